import { describe, expect, it } from 'vitest';
import { centsOf, clockOf, dayKey, formatPrice, groupByDay, initials, languageName, lowestOffer, minuteOf, splitBookings, splitLanguages, splitTags } from './format.ts';

describe('mentoring formats', () => {
  it('writes prices in their currency, without cents when whole', () => {
    expect(formatPrice(2500, 'usd')).toBe('$25');
    expect(formatPrice(1250, 'eur')).toBe('€12.50');
    expect(formatPrice(100_000, 'gbp')).toBe('£1,000');
  });

  it('finds the cheapest length offered, the shorter on a tie', () => {
    expect(lowestOffer({ 15: null, 30: 6000, 45: 9000 })).toEqual({ minutes: 30, cents: 6000 });
    expect(lowestOffer({ 15: 5000, 30: 5000, 45: null })).toEqual({ minutes: 15, cents: 5000 });
    expect(lowestOffer({ 15: null, 30: null, 45: null })).toBeNull();
  });

  it('reads typed prices, tags and languages', () => {
    expect([centsOf(25), centsOf(12.5), centsOf(19.99), centsOf(null), centsOf(Number.NaN)]).toEqual([2500, 1250, 1999, null, null]);
    expect(splitTags(' System design, behavioural,,system design ')).toEqual(['System design', 'behavioural', 'system design']);
    expect(splitLanguages('EN, pt-br, de, en')).toEqual(['en', 'pt-BR', 'de']);
    expect(languageName('de')).toBe('German');
    expect(initials('Maya  Mentor')).toBe('MM');
    expect(initials('')).toBe('?');
  });

  it('turns clock times into minutes from midnight and back, 24:00 included', () => {
    expect([minuteOf('09:00'), minuteOf('9:30'), minuteOf('24:00'), minuteOf('24:01'), minuteOf('12:60'), minuteOf('noon')]).toEqual([540, 570, 1440, null, null, null]);
    expect([clockOf(540), clockOf(0), clockOf(1440)]).toEqual(['09:00', '00:00', '24:00']);
  });

  it('groups slots by the viewer’s calendar day, across a daylight-saving change', () => {
    // Berlin moves to summer time on 2027-03-28: 22:30 UTC is 23:30 on the 27th (UTC+1), but a day
    // later 00:30 on the 29th (UTC+2); 23:30 UTC on the 27th is already the 28th there.
    const slots = ['2027-03-27T22:30:00.000Z', '2027-03-27T23:30:00.000Z', '2027-03-28T21:30:00.000Z', '2027-03-28T22:30:00.000Z'].map((startsAt) => ({ startsAt }));
    expect(groupByDay(slots, 'Europe/Berlin').map((d) => [d.key, d.slots.length])).toEqual([['2027-03-27', 1], ['2027-03-28', 2], ['2027-03-29', 1]]);
    expect(groupByDay(slots, 'UTC').map((d) => [d.key, d.slots.length])).toEqual([['2027-03-27', 2], ['2027-03-28', 2]]);
    expect(dayKey('2027-03-28T23:59:00.000Z', 'America/New_York')).toBe('2027-03-28');
  });

  it('splits bookings into upcoming (soonest first) and the rest', () => {
    const now = Date.parse('2027-03-01T12:00:00Z');
    const at = (day: number) => `2027-03-0${day}T10:00:00.000Z`;
    // As the API lists them: newest first.
    const list = [
      { id: 'later', status: 'confirmed' as const, endsAt: at(5) },
      { id: 'soon', status: 'held' as const, endsAt: at(3) },
      { id: 'cancelled', status: 'canceled' as const, endsAt: at(2) },
      { id: 'done', status: 'completed' as const, endsAt: at(1) },
    ];
    const { upcoming, past } = splitBookings(list, now);
    expect(upcoming.map((b) => b.id)).toEqual(['soon', 'later']);
    expect(past.map((b) => b.id)).toEqual(['cancelled', 'done']);
  });
});
