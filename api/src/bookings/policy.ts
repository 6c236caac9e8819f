// The rules of a booked call, in one place: how long a hold lasts, when the room opens and closes,
// when a far-off booking's saved card is charged, the cancellation and no-show rules, and when the
// mentor is paid. Pure functions of the booking and the time, unit-tested beside this file.

/** An unpaid hold keeps the slot this long (Stripe Checkout sessions last at least 30 minutes). */
export const HOLD_MINUTES = 30;
/** The call's room opens this long before the start… */
export const ROOM_OPENS_MINUTES_BEFORE = 5;
/** …and closes this long after the end. */
export const ROOM_GRACE_MINUTES = 10;
/** A party not in the room this long after the start is a no-show. */
export const NO_SHOW_MINUTES = 10;
/** The mentor is paid this long after the call, if nobody disputed it. */
export const DISPUTE_WINDOW_HOURS = 48;
/** The seeker cancelling at least this long before the start gets everything back; later, nothing. */
export const FULL_REFUND_HOURS_BEFORE = 24;
/** Card authorisations expire after about 7 days: a call further off than this saves the card (SetupIntent)… */
export const CHARGE_NOW_WITHIN_DAYS = 6;
/** …and charges it this long before the call. */
export const CHARGE_HOURS_BEFORE = 48;
/** Reminder emails before the call. */
export const REMINDERS = [
  { kind: '24h', minutesBefore: 24 * 60 },
  { kind: '15m', minutesBefore: 15 },
] as const;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface BookingTimes {
  startsAt: Date;
  endsAt: Date;
}

export function roomOpensAt(b: BookingTimes): Date {
  return new Date(b.startsAt.getTime() - ROOM_OPENS_MINUTES_BEFORE * MINUTE);
}
export function roomClosesAt(b: BookingTimes): Date {
  return new Date(b.endsAt.getTime() + ROOM_GRACE_MINUTES * MINUTE);
}
export function noShowCheckAt(b: BookingTimes): Date {
  return new Date(b.startsAt.getTime() + NO_SHOW_MINUTES * MINUTE);
}
export function payoutAt(b: BookingTimes): Date {
  return new Date(b.endsAt.getTime() + DISPUTE_WINDOW_HOURS * HOUR);
}
export function holdExpiresAt(now: Date): Date {
  return new Date(now.getTime() + HOLD_MINUTES * MINUTE);
}

/** Pay now (Checkout in payment mode), or save the card now and charge it at `chargeAt`. */
export function paymentPlan(b: BookingTimes, now: Date): { kind: 'pay_now' } | { kind: 'save_card'; chargeAt: Date } {
  if (b.startsAt.getTime() - now.getTime() <= CHARGE_NOW_WITHIN_DAYS * 24 * HOUR) return { kind: 'pay_now' };
  return { kind: 'save_card', chargeAt: new Date(b.startsAt.getTime() - CHARGE_HOURS_BEFORE * HOUR) };
}

/** The platform's fee from a price, rounded to the smallest unit. */
export function feeOf(priceCents: number, feePercent: number): number {
  return Math.round((priceCents * feePercent) / 100);
}

/** What a cancellation by `by` at `now` refunds of what was paid. */
export function refundOnCancel(b: BookingTimes & { paidCents: number }, by: 'seeker' | 'mentor', now: Date): number {
  if (by === 'mentor') return b.paidCents;
  return b.startsAt.getTime() - now.getTime() >= FULL_REFUND_HOURS_BEFORE * HOUR ? b.paidCents : 0;
}

/** Who missed the call at the no-show check: who had not joined by then, or had left before it and not come back. */
export function noShowOf(
  presence: { mentorJoinedAt: Date | null; seekerJoinedAt: Date | null; mentorLeftAt?: Date | null; seekerLeftAt?: Date | null },
  b: BookingTimes,
): 'mentor' | 'seeker' | 'both' | null {
  const deadline = noShowCheckAt(b).getTime();
  // Absent 10 minutes in: never came by then, or came and left before it without coming back.
  const absent = (joinedAt: Date | null, leftAt: Date | null | undefined) => !joinedAt || joinedAt.getTime() > deadline || (leftAt != null && leftAt.getTime() <= deadline);
  const mentorAbsent = absent(presence.mentorJoinedAt, presence.mentorLeftAt);
  const seekerAbsent = absent(presence.seekerJoinedAt, presence.seekerLeftAt);
  return mentorAbsent && seekerAbsent ? 'both' : mentorAbsent ? 'mentor' : seekerAbsent ? 'seeker' : null;
}

/** After a no-show: the seeker gets everything back unless they alone were absent. */
export function refundOnNoShow(noShow: 'mentor' | 'seeker' | 'both', paidCents: number): number {
  return noShow === 'seeker' ? 0 : paidCents;
}
