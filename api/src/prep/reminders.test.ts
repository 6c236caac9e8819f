import { describe, expect, it } from 'vitest';
import { nextReminder } from './reminders.ts';

const MON = 1;
const THU = 4;
const at = (iso: string) => new Date(iso);
const next = (over: Partial<Parameters<typeof nextReminder>[0]>, now: string) =>
  nextReminder({ timezone: 'UTC', minute: 7 * 60 + 30, days: [], interviewDate: '2027-03-31', ...over }, at(now))?.toISOString() ?? null;

describe('the next prep reminder', () => {
  it('falls on the chosen days only (Mon and Thu), at the chosen local time', () => {
    // Tuesday 2027-03-02 → Thursday the 4th, then Monday the 8th.
    expect(next({ days: [MON, THU] }, '2027-03-02T12:00:00Z')).toBe('2027-03-04T07:30:00.000Z');
    expect(next({ days: [MON, THU] }, '2027-03-04T07:30:00Z')).toBe('2027-03-08T07:30:00.000Z');
    expect(next({ days: [THU] }, '2027-03-05T00:00:00Z')).toBe('2027-03-11T07:30:00.000Z');
    // No days chosen: every day.
    expect(next({}, '2027-03-02T12:00:00Z')).toBe('2027-03-03T07:30:00.000Z');
  });

  it('takes the next chosen day once today’s time has passed, and today while it has not', () => {
    // Monday 07:29:59 → today; 07:30:00 exactly and later → Thursday.
    expect(next({ days: [MON, THU] }, '2027-03-01T07:29:59Z')).toBe('2027-03-01T07:30:00.000Z');
    expect(next({ days: [MON, THU] }, '2027-03-01T07:30:00Z')).toBe('2027-03-04T07:30:00.000Z');
    expect(next({ days: [MON, THU] }, '2027-03-01T20:00:00Z')).toBe('2027-03-04T07:30:00.000Z');
  });

  it('keeps the local time across Berlin’s spring and autumn changes', () => {
    const berlin = { timezone: 'Europe/Berlin', days: [MON, THU] };
    // Thursday 25 March 2027 07:30 CET (UTC+1); Sunday the 28th clocks go forward; Monday 29th 07:30 CEST (UTC+2).
    expect(next(berlin, '2027-03-25T06:30:00Z')).toBe('2027-03-29T05:30:00.000Z');
    expect(next({ ...berlin, days: [] }, '2027-03-27T12:00:00Z')).toBe('2027-03-28T05:30:00.000Z');
    // Autumn: Sunday 31 October 2027 clocks go back; Monday 1 November 07:30 CET is 06:30 UTC.
    expect(next({ ...berlin, interviewDate: '2027-11-10' }, '2027-10-28T05:30:00Z')).toBe('2027-11-01T06:30:00.000Z');
    // A time that does not exist on the change day (02:30 on 28 March) moves to 03:30 CEST.
    expect(next({ timezone: 'Europe/Berlin', minute: 2 * 60 + 30 }, '2027-03-27T12:00:00Z')).toBe('2027-03-28T01:30:00.000Z');
  });

  it('keeps the local time across New York’s spring change (a week before Europe’s)', () => {
    const ny = { timezone: 'America/New_York', days: [MON, THU] };
    // Thursday 11 March 2027 07:30 EST (UTC−5); Sunday the 14th clocks go forward; Monday 15th 07:30 EDT (UTC−4).
    expect(next(ny, '2027-03-11T11:00:00Z')).toBe('2027-03-11T12:30:00.000Z');
    expect(next(ny, '2027-03-11T12:30:00Z')).toBe('2027-03-15T11:30:00.000Z');
    // The local day is New York’s: 03:00 UTC on Friday the 12th is still Thursday evening there.
    expect(next(ny, '2027-03-12T03:00:00Z')).toBe('2027-03-15T11:30:00.000Z');
  });

  it('stops after the interview day (which still gets its morning reminder)', () => {
    expect(next({ days: [MON, THU], interviewDate: '2027-03-04' }, '2027-03-02T12:00:00Z')).toBe('2027-03-04T07:30:00.000Z');
    expect(next({ days: [MON, THU], interviewDate: '2027-03-04' }, '2027-03-04T08:00:00Z')).toBeNull();
    // No chosen day left before the interview: none.
    expect(next({ days: [MON], interviewDate: '2027-03-06' }, '2027-03-02T12:00:00Z')).toBeNull();
  });
});
