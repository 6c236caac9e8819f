// The mentoring pages' pure helpers: prices, call lengths, tags and languages, clock times of a
// mentor's week, and slots grouped by the viewer's calendar day.
import type { BookingStatus, CallMinutes, MentorProfile } from '../api.ts';

export const CALL_LENGTHS: readonly CallMinutes[] = [15, 30, 45];

/** How far ahead a mentor's profile lists free slots. */
export const SLOT_DAYS = 14;

/** The API's rule: a call can be moved until this many hours before it starts. */
export const MOVE_UNTIL_HOURS = 24;

/** ISO weekdays 1 (Monday) … 7 (Sunday), as the API numbers them. */
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** "$25" or "€12.50": whole amounts without cents. */
export function formatPrice(cents: number, currency: string): string {
  const digits = cents % 100 === 0 ? 0 : 2;
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase(), minimumFractionDigits: digits, maximumFractionDigits: digits }).format(cents / 100);
}

export function offeredLengths(prices: MentorProfile['prices']): CallMinutes[] {
  return CALL_LENGTHS.filter((minutes) => prices[minutes] !== null);
}

/** The cheapest call offered (the shorter one on a tie), for "from $25 / 15 min". */
export function lowestOffer(prices: MentorProfile['prices']): { minutes: CallMinutes; cents: number } | null {
  let best: { minutes: CallMinutes; cents: number } | null = null;
  for (const minutes of offeredLengths(prices)) {
    const cents = prices[minutes]!;
    if (!best || cents < best.cents) best = { minutes, cents };
  }
  return best;
}

export function initials(name: string): string {
  const letters = name.trim().split(/\s+/).filter(Boolean).map((word) => word[0]!.toUpperCase());
  return (letters.length > 1 ? letters[0]! + letters.at(-1)! : (letters[0] ?? '?'));
}

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });

/** "German" for "de"; the tag itself when it names nothing. */
export function languageName(tag: string): string {
  try {
    return languageNames.of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** "System design, behavioural" → ["System design", "behavioural"]: trimmed, without empties or repeats. */
export function splitTags(text: string): string[] {
  return [...new Set(text.split(',').map((tag) => tag.trim()).filter(Boolean))];
}

/** Comma-separated BCP 47 tags, canonical where they parse ("EN-us" → "en-US"). */
export function splitLanguages(text: string): string[] {
  return [
    ...new Set(
      splitTags(text).map((tag) => {
        try {
          return Intl.getCanonicalLocales(tag)[0]!;
        } catch {
          return tag;
        }
      }),
    ),
  ];
}

/** A price typed in the currency's major unit (25, 12.5) in cents; empty (null): not offered. */
export function centsOf(major: number | null | undefined): number | null {
  return major === null || major === undefined || Number.isNaN(major) ? null : Math.round(major * 100);
}

export function majorOf(cents: number | null): number | null {
  return cents === null ? null : cents / 100;
}

/** Minutes from midnight as "HH:MM" (1440 is "24:00", the end of the day). */
export function clockOf(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** "09:30" → 570; null when it is not a time of day (24:00 is, as an end). */
export function minuteOf(clock: string): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(clock.trim());
  if (!match) return null;
  const minute = Number(match[1]) * 60 + Number(match[2]);
  return Number(match[2]) < 60 && minute <= 24 * 60 ? minute : null;
}

/** The calendar day (YYYY-MM-DD) an instant falls on in `timeZone`. */
export function dayKey(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/** Slots (in time order) grouped by the viewer's calendar day. */
export function groupByDay<T extends { startsAt: string }>(slots: readonly T[], timeZone: string): { key: string; slots: T[] }[] {
  const days: { key: string; slots: T[] }[] = [];
  for (const slot of slots) {
    const key = dayKey(slot.startsAt, timeZone);
    if (days.at(-1)?.key === key) days.at(-1)!.slots.push(slot);
    else days.push({ key, slots: [slot] });
  }
  return days;
}

export const STATUS_LABELS: Record<BookingStatus, string> = {
  held: 'Held, not paid',
  confirmed: 'Confirmed',
  completed: 'Completed',
  canceled: 'Cancelled',
  no_show: 'No-show',
  expired: 'Expired',
};

/** Not over yet, and still going ahead (held or confirmed). */
export function isUpcoming(booking: { status: BookingStatus; endsAt: string }, now: number): boolean {
  return (booking.status === 'held' || booking.status === 'confirmed') && Date.parse(booking.endsAt) > now;
}

/** Bookings as the API lists them (newest first) into upcoming ones, soonest first, and the rest. */
export function splitBookings<T extends { status: BookingStatus; endsAt: string }>(bookings: readonly T[], now: number): { upcoming: T[]; past: T[] } {
  return { upcoming: bookings.filter((b) => isUpcoming(b, now)).reverse(), past: bookings.filter((b) => !isUpcoming(b, now)) };
}
