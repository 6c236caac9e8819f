// A mentor's free slots: weekly rules written in the mentor's time zone, dated exceptions (days
// off, extra windows), the bookings that already keep time (with the buffer after each), and the
// minimum notice. Wall-clock times are turned into instants by luxon in the mentor's zone, so a
// 09:00 rule stays 09:00 for the mentor across daylight-saving changes (and moves for viewers in
// other zones); a local time that does not exist that day (the spring-forward gap) is not offered.
// Pure functions: the routes load the rows and the booking service re-checks a requested start
// against the same slots before the database's exclusion constraint has the last word.
import { DateTime, IANAZone } from 'luxon';

export const CALL_LENGTHS = [15, 30, 45] as const;
export type CallLength = (typeof CALL_LENGTHS)[number];
/** Slots start on the quarter hour of the mentor's clock. */
export const SLOT_STEP_MINUTES = 15;

export interface WeeklyRule {
  /** ISO weekday: 1 Monday … 7 Sunday. */
  weekday: number;
  startMinute: number;
  endMinute: number;
}

export interface DatedException {
  /** The mentor's local calendar date, YYYY-MM-DD. */
  date: string;
  kind: 'off' | 'extra';
  /** Both null with `off`: the whole day. */
  startMinute: number | null;
  endMinute: number | null;
}

export interface BlockingBooking {
  startsAt: Date;
  /** The booking's end plus the buffer it was booked with. */
  blockedUntil: Date;
}

export interface SlotQuery {
  timezone: string;
  rules: readonly WeeklyRule[];
  exceptions: readonly DatedException[];
  bookings: readonly BlockingBooking[];
  bufferMinutes: number;
  minNoticeMinutes: number;
  minutes: number;
  /** Slots starting in [from, to). */
  from: Date;
  to: Date;
  now: Date;
}

export interface Slot {
  startsAt: Date;
  endsAt: Date;
}

export function isTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

type Window = [start: number, end: number];

/** Windows minus a window, in minutes of one day. */
function subtract(windows: Window[], [s, e]: Window): Window[] {
  return windows.flatMap(([ws, we]): Window[] => {
    if (e <= ws || s >= we) return [[ws, we]];
    const parts: Window[] = [];
    if (s > ws) parts.push([ws, s]);
    if (e < we) parts.push([e, we]);
    return parts;
  });
}

/** The day's available windows (minutes from local midnight), rules and exceptions applied. */
export function windowsOn(date: DateTime, rules: readonly WeeklyRule[], exceptions: readonly DatedException[]): Window[] {
  const iso = date.toISODate()!;
  let windows: Window[] = rules.filter((r) => r.weekday === date.weekday).map((r) => [r.startMinute, r.endMinute]);
  const today = exceptions.filter((x) => x.date === iso);
  for (const x of today) if (x.kind === 'extra' && x.startMinute !== null && x.endMinute !== null) windows.push([x.startMinute, x.endMinute]);
  for (const x of today) {
    if (x.kind !== 'off') continue;
    windows = x.startMinute === null || x.endMinute === null ? [] : subtract(windows, [x.startMinute, x.endMinute]);
  }
  return windows.sort((a, b) => a[0] - b[0]);
}

/** The instant of a wall-clock minute on a local date, or null if that time does not exist there (DST gap). */
function at(date: DateTime, minute: number): DateTime | null {
  // 24:00 is the next day's midnight: a window may run to the end of the day.
  const base = minute >= 24 * 60 ? date.plus({ days: 1 }) : date;
  const m = minute % (24 * 60);
  const t = DateTime.fromObject({ year: base.year, month: base.month, day: base.day, hour: Math.floor(m / 60), minute: m % 60 }, { zone: date.zone });
  return t.hour === Math.floor(m / 60) && t.minute === m % 60 ? t : null;
}

export function freeSlots(query: SlotQuery): Slot[] {
  const { timezone, minutes, bufferMinutes } = query;
  const earliest = Math.max(query.from.getTime(), query.now.getTime() + query.minNoticeMinutes * 60_000);
  const latest = query.to.getTime();
  if (earliest >= latest) return [];
  const lengthMs = minutes * 60_000;
  const keepMs = (minutes + bufferMinutes) * 60_000;
  const blocking = query.bookings.map((b) => [b.startsAt.getTime(), b.blockedUntil.getTime()] as const);
  const slots: Slot[] = [];
  // Every local date the range touches, one day either side for zones far from UTC.
  let day = DateTime.fromMillis(earliest, { zone: timezone }).startOf('day').minus({ days: 1 });
  const lastDay = DateTime.fromMillis(latest, { zone: timezone }).startOf('day').plus({ days: 1 });
  for (; day <= lastDay; day = day.plus({ days: 1 })) {
    for (const [ws, we] of windowsOn(day, query.rules, query.exceptions)) {
      const windowEnd = at(day, we)?.toMillis() ?? at(day, we + 60)?.toMillis();
      if (windowEnd === undefined) continue;
      for (let m = Math.ceil(ws / SLOT_STEP_MINUTES) * SLOT_STEP_MINUTES; m + minutes <= we + 60; m += SLOT_STEP_MINUTES) {
        const start = at(day, m)?.toMillis();
        if (start === undefined) continue;
        if (start + lengthMs > windowEnd) break;
        if (start < earliest || start >= latest) continue;
        if (blocking.some(([bs, be]) => start < be && bs < start + keepMs)) continue;
        slots.push({ startsAt: new Date(start), endsAt: new Date(start + lengthMs) });
      }
    }
  }
  // Overlapping windows (a rule and an extra window) list an instant twice; keep one of each.
  const unique = new Map(slots.map((s) => [s.startsAt.getTime(), s]));
  return [...unique.values()].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}
