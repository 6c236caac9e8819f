import { describe, expect, it } from 'vitest';
import { intervalFor, planSchedule, practiceDates, type ScheduleInput } from './schedule.ts';

const base = (over: Partial<ScheduleInput> = {}): ScheduleInput => ({
  timezone: 'UTC',
  now: new Date('2027-03-01T09:00:00Z'), // a Monday
  interviewDate: '2027-03-15',
  competencies: [
    { competency: 'leadership', score: 4.5, questionIds: ['l1', 'l2', 'l3'] },
    { competency: 'ownership', score: 2, questionIds: ['o1', 'o2', 'o3'] },
    { competency: 'communication', score: null, questionIds: ['c1', 'c2'] },
  ],
  reattempts: [],
  perDay: 1,
  weekdays: [],
  done: [],
  ...over,
});

describe('prep plan schedule', () => {
  it('runs from today to the day before the interview, on the chosen weekdays, in the user’s zone', () => {
    expect(practiceDates(base())).toHaveLength(14);
    expect(practiceDates(base()).at(-1)).toBe('2027-03-14');
    expect(practiceDates(base({ weekdays: [1, 3, 5] }))).toEqual(['2027-03-01', '2027-03-03', '2027-03-05', '2027-03-08', '2027-03-10', '2027-03-12']);
    // 23:30 UTC on Sunday is already Monday in Tokyo: the plan starts on the Tokyo date.
    expect(practiceDates(base({ timezone: 'Asia/Tokyo', now: new Date('2027-02-28T23:30:00Z'), interviewDate: '2027-03-03' }))).toEqual(['2027-03-01', '2027-03-02']);
    // …and across the US spring change the days are still whole calendar days.
    expect(practiceDates(base({ timezone: 'America/New_York', now: new Date('2027-03-13T12:00:00Z'), interviewDate: '2027-03-16' }))).toEqual(['2027-03-13', '2027-03-14', '2027-03-15']);
    // An interview today or in the past leaves nothing to schedule.
    expect(planSchedule(base({ interviewDate: '2027-03-01' }))).toEqual([]);
  });

  it('starts with the weakest competency and brings weak ones back sooner than strong ones', () => {
    const items = planSchedule(base());
    expect(items[0]!.competency).toBe('ownership');
    const days = (c: string) => items.filter((i) => i.competency === c).map((i) => i.date);
    const gaps = (dates: string[]) => dates.slice(1).map((d, i) => (Date.parse(d) - Date.parse(dates[i]!)) / 86_400_000);
    expect(Math.max(...gaps(days('ownership')))).toBeLessThanOrEqual(3);
    expect(Math.min(...gaps(days('leadership')))).toBeGreaterThanOrEqual(4);
    expect(days('ownership').length).toBeGreaterThan(days('leadership').length);
    expect(intervalFor(2)).toBeLessThan(intervalFor(4.5));
  });

  it('does not repeat a question while others of its competency remain, and skips those already done', () => {
    const items = planSchedule(base({ done: ['o1'] }));
    const ownership = items.filter((i) => i.competency === 'ownership').map((i) => i.questionId);
    expect(ownership.slice(0, 2)).toEqual(['o2', 'o3']);
    // Once all are done they come round again rather than leaving the day empty.
    expect(ownership.length).toBeGreaterThan(2);
  });

  it('puts re-attempts of weak answers from the second day on, one a day', () => {
    const items = planSchedule(base({ perDay: 2, reattempts: [{ answerId: 'a1', questionId: 'o9', competency: 'ownership' }, { answerId: 'a2', questionId: 'l9', competency: 'leadership' }] }));
    const re = items.filter((i) => i.kind === 'reattempt');
    expect(re.map((i) => [i.date, i.answerId])).toEqual([['2027-03-02', 'a1'], ['2027-03-03', 'a2']]);
    // A day holds at most perDay items and never the same competency twice.
    const byDay = Map.groupBy(items, (i) => i.date);
    for (const day of byDay.values()) {
      expect(day.length).toBeLessThanOrEqual(2);
      expect(new Set(day.map((i) => i.competency)).size).toBe(day.length);
    }
  });

  it('counts what was done on a day against its places', () => {
    const items = planSchedule(base({ perDay: 2, taken: { '2027-03-01': 1 } }));
    expect(items.filter((i) => i.date === '2027-03-01')).toHaveLength(1);
    expect(items.filter((i) => i.date === '2027-03-02')).toHaveLength(2);
    expect(planSchedule(base({ perDay: 1, taken: { '2027-03-01': 3 } })).some((i) => i.date === '2027-03-01')).toBe(false);
  });

  it('re-plans when the interview moves: fewer days, the same rules', () => {
    const sooner = planSchedule(base({ interviewDate: '2027-03-05' }));
    expect(sooner.map((i) => i.date)).toEqual(['2027-03-01', '2027-03-02', '2027-03-03', '2027-03-04']);
    const later = planSchedule(base({ interviewDate: '2027-03-29' }));
    expect(later).toHaveLength(28);
  });
});
