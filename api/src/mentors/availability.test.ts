import { describe, expect, it } from 'vitest';
import { freeSlots, windowsOn, type SlotQuery } from './availability.ts';
import { DateTime } from 'luxon';

const base = (over: Partial<SlotQuery>): SlotQuery => ({
  timezone: 'UTC',
  rules: [],
  exceptions: [],
  bookings: [],
  bufferMinutes: 0,
  minNoticeMinutes: 0,
  minutes: 30,
  from: new Date('2027-03-01T00:00:00Z'),
  to: new Date('2027-03-02T00:00:00Z'),
  now: new Date('2026-01-01T00:00:00Z'),
  ...over,
});
const iso = (slots: { startsAt: Date }[]) => slots.map((s) => s.startsAt.toISOString());
const local = (slots: { startsAt: Date }[], zone: string) => slots.map((s) => DateTime.fromJSDate(s.startsAt, { zone }).toFormat('yyyy-MM-dd HH:mm'));

describe('free slots', () => {
  it('cuts a weekly window into quarter-hour starts that fit the call length', () => {
    // 2027-03-01 is a Monday.
    const slots = freeSlots(base({ rules: [{ weekday: 1, startMinute: 9 * 60, endMinute: 10 * 60 }] }));
    expect(iso(slots)).toEqual(['2027-03-01T09:00:00.000Z', '2027-03-01T09:15:00.000Z', '2027-03-01T09:30:00.000Z']);
    expect(slots[0]!.endsAt.toISOString()).toBe('2027-03-01T09:30:00.000Z');
    expect(freeSlots(base({ minutes: 45, rules: [{ weekday: 1, startMinute: 9 * 60, endMinute: 10 * 60 }] }))).toHaveLength(2);
    // A window shorter than the call gives nothing; another weekday gives nothing.
    expect(freeSlots(base({ rules: [{ weekday: 1, startMinute: 9 * 60, endMinute: 9 * 60 + 20 }] }))).toEqual([]);
    expect(freeSlots(base({ rules: [{ weekday: 2, startMinute: 9 * 60, endMinute: 10 * 60 }] }))).toEqual([]);
  });

  it('keeps a mentor’s 09:00 at 09:00 on their clock across the spring change, so viewers elsewhere see it move', () => {
    // New York springs forward on 2027-03-14; Berlin on 2027-03-28.
    const query = base({ timezone: 'America/New_York', rules: [{ weekday: 1, startMinute: 9 * 60, endMinute: 9 * 60 + 30 }], from: new Date('2027-03-08T00:00:00Z'), to: new Date('2027-04-06T00:00:00Z') });
    const slots = freeSlots(query);
    expect(local(slots, 'America/New_York')).toEqual(['2027-03-08 09:00', '2027-03-15 09:00', '2027-03-22 09:00', '2027-03-29 09:00', '2027-04-05 09:00']);
    expect(iso(slots)).toEqual(['2027-03-08T14:00:00.000Z', '2027-03-15T13:00:00.000Z', '2027-03-22T13:00:00.000Z', '2027-03-29T13:00:00.000Z', '2027-04-05T13:00:00.000Z']);
    // In Berlin the call is at 15:00, then 14:00 in the two weeks the zones disagree, then 15:00 again.
    expect(local(slots, 'Europe/Berlin').map((t) => t.slice(11))).toEqual(['15:00', '14:00', '14:00', '15:00', '15:00']);
  });

  it('does not offer a local time that the spring-forward gap skips, and the fall-back day is an hour longer', () => {
    // 2027-03-14 (Sunday) 02:00–03:00 does not exist in New York.
    const spring = freeSlots(base({ timezone: 'America/New_York', minutes: 15, rules: [{ weekday: 7, startMinute: 90, endMinute: 4 * 60 }], from: new Date('2027-03-14T00:00:00Z'), to: new Date('2027-03-15T00:00:00Z') }));
    expect(local(spring, 'America/New_York')).toEqual(['2027-03-14 01:30', '2027-03-14 01:45', '2027-03-14 03:00', '2027-03-14 03:15', '2027-03-14 03:30', '2027-03-14 03:45']);
    // Every slot is a real 15 minutes and none overlaps another.
    for (let i = 1; i < spring.length; i++) expect(spring[i]!.startsAt.getTime()).toBeGreaterThanOrEqual(spring[i - 1]!.endsAt.getTime());
    // 2027-11-07 (Sunday) 01:00–02:00 happens twice: a 00:00–03:00 window is four hours long.
    const fall = freeSlots(base({ timezone: 'America/New_York', minutes: 60, rules: [{ weekday: 7, startMinute: 0, endMinute: 3 * 60 }], from: new Date('2027-11-07T00:00:00Z'), to: new Date('2027-11-08T12:00:00Z') }));
    const last = fall.at(-1)!;
    expect(last.endsAt.toISOString()).toBe('2027-11-07T08:00:00.000Z'); // 03:00 EST
    expect(fall[0]!.startsAt.toISOString()).toBe('2027-11-07T04:00:00.000Z'); // 00:00 EDT
  });

  it('applies days off, partial days off and extra windows on the mentor’s local date', () => {
    const rules = [{ weekday: 1, startMinute: 9 * 60, endMinute: 11 * 60 }];
    expect(freeSlots(base({ rules, exceptions: [{ date: '2027-03-01', kind: 'off', startMinute: null, endMinute: null }] }))).toEqual([]);
    const partial = freeSlots(base({ rules, exceptions: [{ date: '2027-03-01', kind: 'off', startMinute: 9 * 60 + 30, endMinute: 10 * 60 + 30 }] }));
    expect(iso(partial)).toEqual(['2027-03-01T09:00:00.000Z', '2027-03-01T10:30:00.000Z']);
    const extra = freeSlots(base({ exceptions: [{ date: '2027-03-01', kind: 'extra', startMinute: 18 * 60, endMinute: 18 * 60 + 30 }] }));
    expect(iso(extra)).toEqual(['2027-03-01T18:00:00.000Z']);
    // An exception on another date changes nothing; overlapping windows do not list a start twice.
    expect(freeSlots(base({ rules, exceptions: [{ date: '2027-03-02', kind: 'off', startMinute: null, endMinute: null }] }))).toHaveLength(7);
    expect(freeSlots(base({ rules, exceptions: [{ date: '2027-03-01', kind: 'extra', startMinute: 10 * 60, endMinute: 12 * 60 }] }))).toHaveLength(11);
    // The date is the mentor's: Monday in Tokyo is Sunday evening in UTC.
    const tokyo = freeSlots(base({ timezone: 'Asia/Tokyo', rules: [{ weekday: 1, startMinute: 9 * 60, endMinute: 9 * 60 + 30 }], from: new Date('2027-02-28T00:00:00Z'), to: new Date('2027-03-02T00:00:00Z') }));
    expect(iso(tokyo)).toEqual(['2027-03-01T00:00:00.000Z']);
    expect(windowsOn(DateTime.fromISO('2027-03-01', { zone: 'Asia/Tokyo' }), rules, [{ date: '2027-03-01', kind: 'off', startMinute: null, endMinute: null }])).toEqual([]);
  });

  it('leaves the buffer free after (and before) each booking, and honours the minimum notice', () => {
    const rules = [{ weekday: 1, startMinute: 9 * 60, endMinute: 12 * 60 }];
    // A 10:00–10:30 booking with a 15-minute buffer keeps 10:00–10:45.
    const bookings = [{ startsAt: new Date('2027-03-01T10:00:00Z'), blockedUntil: new Date('2027-03-01T10:45:00Z') }];
    const slots = freeSlots(base({ rules, bookings, bufferMinutes: 15 }));
    // A 09:15 start would run to 09:45 + 15 min buffer = 10:00: fits; 09:30 would not.
    expect(iso(slots)).toEqual(['2027-03-01T09:00:00.000Z', '2027-03-01T09:15:00.000Z', '2027-03-01T10:45:00.000Z', '2027-03-01T11:00:00.000Z', '2027-03-01T11:15:00.000Z', '2027-03-01T11:30:00.000Z']);
    const notice = freeSlots(base({ rules, now: new Date('2027-03-01T08:50:00Z'), minNoticeMinutes: 60 }));
    expect(iso(notice)[0]).toBe('2027-03-01T10:00:00.000Z');
    // Nothing in the past.
    expect(freeSlots(base({ rules, now: new Date('2027-03-02T00:00:00Z') }))).toEqual([]);
  });
});
