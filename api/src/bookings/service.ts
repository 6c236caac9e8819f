// Booked calls with mentors: holding a slot (the database's exclusion constraint decides between
// concurrent seekers), paying for it, cancelling with the refund policy, the timed steps of a call
// (jobs on the PostgreSQL queue: hold expiry, room open and close, no-show check, charging a saved
// card, the mentor's payout after the dispute window, reminders) and the seeker's review.
import type { PrismaClient } from '@rehearse/db';
import type { Static } from 'typebox';
import type { Booking as BookingOut, BookingInput, ReviewInput } from '@rehearse/protocol';
import { BOOKING_HORIZON_DAYS, MAX_ACTIVE_HOLDS } from '../limits.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { MentorService } from '../mentors/service.ts';
import type { CallLength } from '../mentors/availability.ts';
import { HttpError } from '../plugins/errors.ts';
import type { JobQueue } from '../plugins/jobs.ts';
import { bookingInvite } from './invite.ts';
import { mentorShare, type BookingPayments, type Payable } from './payments.ts';
import * as policy from './policy.ts';

type Row = NonNullable<Awaited<ReturnType<PrismaClient['booking']['findUnique']>>>;
type RowWithPeople = Row & { mentor: { user: { name: string; email: string | null } }; seeker: { name: string; email: string | null }; review: { bookingId: string } | null };

export const JOBS = {
  expireHold: 'booking.expire-hold',
  openRoom: 'booking.open-room',
  noShowCheck: 'booking.no-show-check',
  closeRoom: 'booking.close-room',
  charge: 'booking.charge',
  payout: 'booking.payout',
  remind: 'booking.remind',
} as const;

interface TimedJob {
  bookingId: string;
  /** The start the job was scheduled for: a job for a start that has since moved does nothing. */
  startsAt: string;
}

const withPeople = { mentor: { include: { user: { select: { name: true, email: true } } } }, seeker: { select: { name: true, email: true } }, review: { select: { bookingId: true } } } as const;

/** A booking as the payments module sees it. */
function payable(b: Row): Payable {
  return { purpose: 'booking', id: b.id, priceCents: b.priceCents, feeCents: b.feeCents, currency: b.currency, refundedCents: b.refundedCents, stripeCustomerId: b.stripeCustomerId, paymentIntentId: b.paymentIntentId, transferId: b.transferId };
}

/** PostgreSQL's exclusion_violation (23P01), however the driver adapter wraps it. */
function isOverlap(error: unknown): boolean {
  const text = `${(error as { code?: string }).code ?? ''} ${(error as Error).message ?? ''} ${JSON.stringify((error as { meta?: unknown }).meta ?? '')}`;
  return text.includes('23P01') || text.includes('bookings_no_overlap');
}

export class BookingService {
  private readonly db: PrismaClient;
  private readonly mentors: MentorService;
  private readonly payments: BookingPayments;
  private readonly jobs: JobQueue;
  private readonly mailer: Mailer;
  private readonly publicUrl: string;
  private readonly feePercent: number;
  private readonly mailFrom: string;
  /** The time: the system's, or a test's clock (the job queue's, so jobs and rows agree). */
  readonly now: () => Date;
  /** Called when a mentor's account can receive transfers (their other work is paid too). */
  onPayoutsEnabled: ((mentorId: string) => Promise<void>) | null = null;
  /** Called when a call's room closes (the calls domain finishes the recordings). */
  onRoomClosed: ((bookingId: string) => Promise<void>) | null = null;

  constructor(deps: { db: PrismaClient; mentors: MentorService; payments: BookingPayments; jobs: JobQueue; mailer: Mailer; publicUrl: string; feePercent: number; mailFrom: string; now?: () => Date }) {
    this.now = deps.now ?? (() => new Date());
    this.db = deps.db;
    this.mentors = deps.mentors;
    this.payments = deps.payments;
    this.jobs = deps.jobs;
    this.mailer = deps.mailer;
    this.publicUrl = deps.publicUrl;
    this.feePercent = deps.feePercent;
    this.mailFrom = deps.mailFrom;
    this.jobs.define<{ bookingId: string }>(JOBS.expireHold, (d) => this.expireHold(d.bookingId));
    this.jobs.define<TimedJob>(JOBS.openRoom, (d) => this.openRoom(d));
    this.jobs.define<TimedJob>(JOBS.noShowCheck, (d) => this.noShowCheck(d));
    this.jobs.define<TimedJob>(JOBS.closeRoom, (d) => this.closeRoom(d));
    this.jobs.define<TimedJob>(JOBS.charge, (d) => this.chargeSavedCard(d));
    this.jobs.define<{ bookingId: string }>(JOBS.payout, (d) => this.payout(d.bookingId));
    this.jobs.define<TimedJob & { kind: string }>(JOBS.remind, (d) => this.remind(d));
  }

  // ---- seekers and mentors ----------------------------------------------------------------

  /** Holds a slot for the seeker until it is paid or the hold runs out. */
  async hold(seekerId: string, input: Static<typeof BookingInput>, now = this.now()): Promise<Static<typeof BookingOut>> {
    const seeker = await this.db.user.findUniqueOrThrow({ where: { id: seekerId } });
    if (!seeker.email) throw new HttpError(409, 'SIGN_UP_FIRST', 'Sign up with an email address before booking a call');
    if (input.mentorId === seekerId) throw new HttpError(409, 'OWN_CALENDAR', 'You cannot book a call with yourself');
    const startsAt = new Date(input.startsAt);
    if (startsAt.getTime() <= now.getTime()) throw new HttpError(400, 'BOOKING_IN_PAST', 'That time has passed; pick a slot in the future');
    if (startsAt.getTime() > now.getTime() + BOOKING_HORIZON_DAYS * 86_400_000) throw new HttpError(400, 'BOOKING_TOO_FAR', `Calls can be booked up to ${BOOKING_HORIZON_DAYS} days ahead`);
    const minutes = input.minutes as CallLength;
    // The slot must be one the mentor offers (availability, notice, buffer); whether another
    // seeker got there first is the database's to say, below.
    const { profile, priceCents, slots } = await this.mentors.slots(input.mentorId, minutes, startsAt, new Date(startsAt.getTime() + 60_000), now);
    if (input.priceCents !== priceCents) throw new HttpError(409, 'PRICE_CHANGED', `The price of this call is ${priceCents} (${profile.currency}), not ${input.priceCents}; reload and confirm`, { priceCents });
    if (!slots.some((s) => s.startsAt.getTime() === startsAt.getTime())) {
      const offered = (await this.mentors.slots(input.mentorId, minutes, startsAt, new Date(startsAt.getTime() + 60_000), now, { ignoreBookings: true })).slots.length > 0;
      throw offered ? new HttpError(409, 'SLOT_TAKEN', 'Someone else has just booked this time; pick another slot') : new HttpError(409, 'SLOT_NOT_AVAILABLE', 'The mentor does not offer this time; pick one of their free slots');
    }
    const endsAt = new Date(startsAt.getTime() + minutes * 60_000);
    const blockedUntil = new Date(endsAt.getTime() + profile.bufferMinutes * 60_000);
    // Holds that ran out give their time back before the constraint is asked (on its own: it is
    // idempotent, and keeps the transaction below to the few statements that must be one).
    await this.db.booking.updateMany({ where: { mentorId: input.mentorId, status: 'held', holdExpiresAt: { lte: now }, startsAt: { lt: blockedUntil }, blockedUntil: { gt: startsAt } }, data: { status: 'expired' } });
    let booking: Row;
    try {
      booking = await this.db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`booking-holds:${seekerId}`}, 0))`;
        const active = await tx.booking.count({ where: { seekerId, status: 'held', holdExpiresAt: { gt: now } } });
        if (active >= MAX_ACTIVE_HOLDS) throw new HttpError(429, 'TOO_MANY_HOLDS', `You have ${active} unpaid bookings; pay for or cancel one first`, { limit: MAX_ACTIVE_HOLDS });
        return tx.booking.create({
          data: {
            mentorId: input.mentorId,
            seekerId,
            startsAt,
            endsAt,
            blockedUntil,
            minutes,
            priceCents,
            feeCents: policy.feeOf(priceCents, this.feePercent),
            currency: profile.currency,
            holdExpiresAt: policy.holdExpiresAt(now),
            agenda: input.agenda?.trim() ?? '',
            testMode: this.payments.mode === 'test',
          },
        });
        // A burst of seekers for one slot queues for the pool's connections and for the first
        // insert's commit (the constraint makes the others wait for it). On a busy host that queue
        // has taken more than 15 s for 50 seekers at once; a refusal then would be a 500 instead of
        // SLOT_TAKEN, so the queue gets a minute (each transaction itself is three statements).
      }, { maxWait: 60_000, timeout: 60_000 });
    } catch (error) {
      if (isOverlap(error)) throw new HttpError(409, 'SLOT_TAKEN', 'Someone else has just booked this time; pick another slot');
      throw error;
    }
    await this.jobs.at(JOBS.expireHold, { bookingId: booking.id }, booking.holdExpiresAt!);
    return this.view(seekerId, booking.id);
  }

  /** One booking, to its seeker or its mentor; anyone else is told it does not exist. */
  async view(viewerId: string, id: string): Promise<Static<typeof BookingOut>> {
    return this.present(await this.own(viewerId, id), viewerId);
  }

  async list(viewerId: string): Promise<Static<typeof BookingOut>[]> {
    const rows = await this.db.booking.findMany({
      where: { OR: [{ seekerId: viewerId }, { mentorId: viewerId }], NOT: { status: 'expired' } },
      include: withPeople,
      orderBy: { startsAt: 'desc' },
      take: 200,
    });
    return rows.map((r) => this.present(r, viewerId));
  }

  /** Where the seeker pays for a held booking. */
  async checkout(viewerId: string, id: string, now = this.now()): Promise<string> {
    const booking = await this.own(viewerId, id);
    if (booking.seekerId !== viewerId) throw new HttpError(403, 'NOT_YOUR_BOOKING', 'Only the person who booked the call pays for it');
    if (booking.status !== 'held') throw new HttpError(409, 'NOT_PAYABLE', booking.status === 'expired' ? 'The hold on this slot ran out; book it again' : 'This booking is paid already or was cancelled');
    if (booking.holdExpiresAt && booking.holdExpiresAt <= now) throw new HttpError(409, 'HOLD_EXPIRED', 'The hold on this slot ran out; book it again');
    const { url, sessionId, customerId } = await this.payments.checkout({
      item: payable(booking),
      seeker: { id: viewerId, email: booking.seeker.email! },
      productName: `${booking.minutes}-minute call with ${booking.mentor.user.name || 'your mentor'}`,
      mode: policy.paymentPlan(booking, now).kind === 'pay_now' ? 'payment' : 'setup',
      expiresAt: booking.holdExpiresAt,
    });
    if (sessionId) await this.db.booking.update({ where: { id }, data: { checkoutSessionId: sessionId, stripeCustomerId: customerId } });
    return url;
  }

  /** Checkout finished (from the webhook): the booking is confirmed, or refunded if it cannot be. */
  async checkoutCompleted(facts: { bookingId: string; mode: 'payment' | 'setup'; paymentIntentId: string | null; setupIntentId: string | null; customerId: string | null; sessionId: string }, now = this.now()): Promise<void> {
    const booking = await this.db.booking.findUnique({ where: { id: facts.bookingId } });
    if (!booking || booking.status === 'confirmed' || booking.status === 'completed') return;
    const paid = facts.mode === 'payment' ? { paymentIntentId: facts.paymentIntentId, paidAt: now } : {};
    const card = facts.mode === 'setup' && facts.setupIntentId ? { paymentMethodId: await this.payments.savedPaymentMethod(facts.setupIntentId) } : {};
    let confirmed = false;
    if (booking.status === 'held' || booking.status === 'expired') {
      try {
        // A hold that ran out while the seeker was paying is revived if nobody took the time since.
        const { count } = await this.db.booking.updateMany({
          where: { id: booking.id, status: { in: ['held', 'expired'] } },
          data: { status: 'confirmed', holdExpiresAt: null, checkoutSessionId: facts.sessionId, stripeCustomerId: facts.customerId ?? booking.stripeCustomerId, ...paid, ...card },
        });
        confirmed = count === 1;
      } catch (error) {
        if (!isOverlap(error)) throw error;
      }
    }
    if (!confirmed) {
      // Paid for a slot that is no longer theirs (cancelled, or taken after the hold ran out).
      await this.db.booking.update({ where: { id: booking.id }, data: { checkoutSessionId: facts.sessionId, ...paid, ...card, status: booking.status === 'canceled' ? 'canceled' : 'expired' } });
      if (facts.mode === 'payment' && facts.paymentIntentId) await this.refund(booking.id, booking.priceCents);
      return;
    }
    const fresh = await this.db.booking.findUniqueOrThrow({ where: { id: booking.id } });
    await this.schedule(fresh, now);
    await this.notify(fresh.id, 'confirmed');
  }

  async cancel(viewerId: string, id: string, now = this.now()): Promise<Static<typeof BookingOut>> {
    const booking = await this.own(viewerId, id);
    const by = booking.mentorId === viewerId ? 'mentor' : 'seeker';
    if (booking.status !== 'held' && booking.status !== 'confirmed') throw new HttpError(409, 'CANNOT_CANCEL', `A booking that is ${booking.status.replace('_', '-')} cannot be cancelled`);
    if (booking.status === 'confirmed' && booking.startsAt <= now) throw new HttpError(409, 'CALL_STARTED', 'The call has started; it can no longer be cancelled');
    const paidCents = booking.paidAt ? booking.priceCents : 0;
    const refund = booking.status === 'confirmed' ? policy.refundOnCancel({ ...booking, paidCents }, by, now) : 0;
    const { count } = await this.db.booking.updateMany({
      where: { id, status: booking.status },
      data: { status: 'canceled', canceledBy: by, canceledAt: now, holdExpiresAt: null, icsSequence: { increment: 1 } },
    });
    if (count === 0) throw new HttpError(409, 'CANNOT_CANCEL', 'The booking changed meanwhile; reload it');
    if (refund > 0) await this.refund(id, refund);
    if (booking.status === 'held' && booking.checkoutSessionId) await this.payments.expireCheckout(booking.checkoutSessionId);
    if (booking.status === 'confirmed') {
      // A late cancellation by the seeker keeps the mentor's pay, on the usual schedule.
      if (by === 'seeker' && refund === 0 && booking.paidAt) await this.jobs.at(JOBS.payout, { bookingId: id }, policy.payoutAt(booking));
      await this.notify(id, 'canceled');
    }
    return this.view(viewerId, id);
  }

  /**
   * The seeker moves the call to another of the mentor's free slots, until 24 h before it. The
   * exclusion constraint decides against concurrent bookings; the timeline's jobs are scheduled
   * for the new start (those for the old one find the start moved and do nothing), and both get
   * the invite again under the same UID with a higher SEQUENCE.
   */
  async reschedule(viewerId: string, id: string, startsAtIso: string, now = this.now()): Promise<Static<typeof BookingOut>> {
    const booking = await this.own(viewerId, id);
    if (booking.seekerId !== viewerId) throw new HttpError(403, 'NOT_YOUR_BOOKING', 'Only the person who booked the call moves it; the mentor can cancel instead');
    if (booking.status !== 'confirmed' && booking.status !== 'held') throw new HttpError(409, 'CANNOT_RESCHEDULE', `A booking that is ${booking.status.replace('_', '-')} cannot be moved`);
    if (booking.startsAt.getTime() - now.getTime() < policy.FULL_REFUND_HOURS_BEFORE * 3600_000) throw new HttpError(409, 'TOO_LATE_TO_RESCHEDULE', 'A call can be moved until 24 hours before it starts');
    const startsAt = new Date(startsAtIso);
    if (startsAt.getTime() <= now.getTime()) throw new HttpError(400, 'BOOKING_IN_PAST', 'That time has passed; pick a slot in the future');
    if (startsAt.getTime() === booking.startsAt.getTime()) throw new HttpError(409, 'SAME_TIME', 'The call is at that time already');
    const minutes = booking.minutes as CallLength;
    // Offered by the mentor (this booking's own time aside); taken or not is the constraint's call.
    const { profile, slots } = await this.mentors.slots(booking.mentorId, minutes, startsAt, new Date(startsAt.getTime() + 60_000), now, { ignoreBookings: true });
    if (!slots.some((s) => s.startsAt.getTime() === startsAt.getTime())) throw new HttpError(409, 'SLOT_NOT_AVAILABLE', 'The mentor does not offer this time; pick one of their free slots');
    const endsAt = new Date(startsAt.getTime() + minutes * 60_000);
    try {
      await this.db.booking.update({
        where: { id, status: booking.status },
        data: { startsAt, endsAt, blockedUntil: new Date(endsAt.getTime() + profile.bufferMinutes * 60_000), roomOpenedAt: null, icsSequence: { increment: 1 } },
      });
    } catch (error) {
      if (isOverlap(error)) throw new HttpError(409, 'SLOT_TAKEN', 'Someone else has just booked this time; pick another slot');
      throw error;
    }
    if (booking.status === 'confirmed') {
      const moved = await this.db.booking.findUniqueOrThrow({ where: { id } });
      await this.schedule(moved, now);
      await this.notify(id, 'rescheduled');
    }
    return this.view(viewerId, id);
  }

  async review(viewerId: string, id: string, input: Static<typeof ReviewInput>): Promise<void> {
    const booking = await this.own(viewerId, id);
    if (booking.seekerId !== viewerId) throw new HttpError(403, 'NOT_YOUR_BOOKING', 'Only the person who booked the call reviews it');
    if (booking.status !== 'completed') throw new HttpError(409, 'CALL_NOT_COMPLETED', 'A call can be reviewed once it has taken place');
    try {
      await this.db.mentorReview.create({ data: { bookingId: id, mentorId: booking.mentorId, seekerId: viewerId, rating: input.rating, comment: input.comment?.trim() ?? '' } });
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') throw new HttpError(409, 'ALREADY_REVIEWED', 'You have reviewed this call already');
      throw error;
    }
  }

  // ---- money ---------------------------------------------------------------------------------

  private async refund(id: string, cents: number): Promise<void> {
    const booking = await this.db.booking.findUniqueOrThrow({ where: { id } });
    if (booking.refundId || cents <= 0 || !booking.paymentIntentId) return;
    const refundId = await this.payments.refund(payable(booking), cents);
    await this.db.booking.update({ where: { id }, data: { refundId, refundedCents: cents, refundedAt: this.now() } });
  }

  /** An admin's refund (support, a dispute): up to what was paid, reversing the mentor's transfer in part. */
  async refundByAdmin(id: string, cents?: number): Promise<Static<typeof BookingOut>> {
    const booking = await this.db.booking.findUnique({ where: { id } });
    if (!booking) throw new HttpError(404, 'BOOKING_NOT_FOUND', 'No such booking');
    if (!booking.paidAt || !booking.paymentIntentId) throw new HttpError(409, 'NOT_PAID', 'Nothing was paid for this booking');
    if (booking.refundId) throw new HttpError(409, 'ALREADY_REFUNDED', `${booking.refundedCents} was refunded already`);
    const amount = cents ?? booking.priceCents;
    if (amount < 1 || amount > booking.priceCents) throw new HttpError(400, 'INVALID_AMOUNT', `A refund is between 1 and ${booking.priceCents}`);
    await this.refund(id, amount);
    return this.view(booking.seekerId, id);
  }

  /** Whether the mentor is owed this booking's price less the fee. */
  private earns(b: Row): boolean {
    if (!b.paidAt || b.refundedCents >= b.priceCents) return false;
    return b.status === 'completed' || (b.status === 'no_show' && b.noShow === 'seeker') || (b.status === 'canceled' && b.canceledBy === 'seeker' && b.refundedCents === 0);
  }

  /** The seeker's bank disputed this payment (held), or the dispute was won (released; paid if due). */
  async disputed(paymentIntentId: string, held: boolean): Promise<void> {
    const booking = await this.db.booking.findUnique({ where: { paymentIntentId } });
    if (!booking) return;
    await this.db.booking.update({ where: { id: booking.id }, data: { disputedAt: held ? (booking.disputedAt ?? this.now()) : null } });
    if (!held && this.earns(booking) && policy.payoutAt(booking) <= this.now()) await this.jobs.at(JOBS.payout, { bookingId: booking.id }, this.now());
  }

  private async payout(id: string): Promise<void> {
    const booking = await this.db.booking.findUnique({ where: { id }, include: { mentor: true } });
    // A disputed charge pays nobody until the dispute is won (then this job runs again).
    if (!booking || booking.transferId || booking.disputedAt || !this.earns(booking)) return;
    // Not onboarded yet: paid when the account can receive transfers (account.updated).
    if (!booking.mentor.stripeAccountId || !booking.mentor.payoutsEnabled) return;
    const transferId = await this.payments.transfer(payable(booking), booking.mentor.stripeAccountId, mentorShare(booking));
    await this.db.booking.update({ where: { id }, data: { transferId, transferredAt: this.now() } });
  }

  /** What the mentor is owed and not yet paid: calls waiting for the dispute window or for onboarding. */
  async owed(mentorId: string): Promise<{ bookingId: string; amount: number; currency: string; payableFrom: string }[]> {
    const rows = await this.db.booking.findMany({ where: { mentorId, transferId: null, paidAt: { not: null }, status: { in: ['completed', 'no_show', 'canceled'] } }, orderBy: { startsAt: 'asc' } });
    return rows.filter((b) => this.earns(b)).map((b) => ({ bookingId: b.id, amount: mentorShare(b), currency: b.currency, payableFrom: policy.payoutAt(b).toISOString() }));
  }

  /** A mentor's account can receive transfers now: pay what is owed and due. */
  async payoutsEnabled(accountId: string, enabled: boolean): Promise<void> {
    const mentor = await this.db.mentorProfile.findUnique({ where: { stripeAccountId: accountId } });
    if (!mentor) return;
    await this.db.mentorProfile.update({ where: { userId: mentor.userId }, data: { payoutsEnabled: enabled } });
    if (!enabled) return;
    const owed = await this.db.booking.findMany({ where: { mentorId: mentor.userId, transferId: null, paidAt: { not: null }, endsAt: { lte: new Date(this.now().getTime() - policy.DISPUTE_WINDOW_HOURS * 3600_000) } } });
    for (const b of owed) if (this.earns(b)) await this.jobs.at(JOBS.payout, { bookingId: b.id }, this.now());
    await this.onPayoutsEnabled?.(mentor.userId);
  }

  // ---- the call's timeline (jobs) ------------------------------------------------------------

  private async schedule(b: Row, now: Date): Promise<void> {
    const timed = { bookingId: b.id, startsAt: b.startsAt.toISOString() };
    // A saved card is charged 48 h before the call (at once if the call is closer than that now).
    if (!b.paidAt && b.paymentMethodId) await this.jobs.at(JOBS.charge, timed, new Date(Math.max(now.getTime(), b.startsAt.getTime() - policy.CHARGE_HOURS_BEFORE * 3600_000)));
    await this.jobs.at(JOBS.openRoom, timed, policy.roomOpensAt(b));
    await this.jobs.at(JOBS.noShowCheck, timed, policy.noShowCheckAt(b));
    await this.jobs.at(JOBS.closeRoom, timed, policy.roomClosesAt(b));
    for (const r of policy.REMINDERS) {
      const at = new Date(b.startsAt.getTime() - r.minutesBefore * 60_000);
      if (at > now) await this.jobs.at(JOBS.remind, { ...timed, kind: r.kind }, at);
    }
  }

  /** The row a timed job acts on, if the booking is still confirmed for the start it was scheduled for. */
  private async current(job: TimedJob): Promise<Row | null> {
    const b = await this.db.booking.findUnique({ where: { id: job.bookingId } });
    return b && b.status === 'confirmed' && b.startsAt.toISOString() === job.startsAt ? b : null;
  }

  private async expireHold(id: string, now = this.now()): Promise<void> {
    const booking = await this.db.booking.findUnique({ where: { id } });
    const { count } = await this.db.booking.updateMany({ where: { id, status: 'held', holdExpiresAt: { lte: now } }, data: { status: 'expired' } });
    if (count === 1 && booking?.checkoutSessionId) await this.payments.expireCheckout(booking.checkoutSessionId);
  }

  private async openRoom(job: TimedJob): Promise<void> {
    const b = await this.current(job);
    if (b && !b.roomOpenedAt) await this.db.booking.update({ where: { id: b.id }, data: { roomOpenedAt: this.now() } });
  }

  private async noShowCheck(job: TimedJob): Promise<void> {
    const b = await this.current(job);
    if (!b) return;
    const noShow = policy.noShowOf(b, b);
    if (!noShow) return;
    const { count } = await this.db.booking.updateMany({ where: { id: b.id, status: 'confirmed' }, data: { status: 'no_show', noShow, roomClosedAt: this.now() } });
    if (count === 0) return;
    await this.onRoomClosed?.(b.id);
    await this.refund(b.id, policy.refundOnNoShow(noShow, b.paidAt ? b.priceCents : 0));
    if (noShow === 'seeker') await this.jobs.at(JOBS.payout, { bookingId: b.id }, policy.payoutAt(b));
    await this.notify(b.id, 'no_show');
  }

  private async closeRoom(job: TimedJob): Promise<void> {
    const b = await this.current(job);
    if (!b) return;
    await this.onRoomClosed?.(b.id);
    await this.completeCall(b.id);
  }

  /** The call took place (its room closed, or a party ended it): completed, and the mentor's payout scheduled. */
  async completeCall(id: string): Promise<void> {
    const b = await this.db.booking.findUniqueOrThrow({ where: { id } });
    const { count } = await this.db.booking.updateMany({ where: { id, status: 'confirmed' }, data: { status: 'completed', roomClosedAt: this.now() } });
    if (count === 1) await this.jobs.at(JOBS.payout, { bookingId: id }, policy.payoutAt(b));
  }

  private async chargeSavedCard(job: TimedJob): Promise<void> {
    const b = await this.current(job);
    if (!b || b.paidAt) return;
    try {
      if (!b.paymentMethodId) throw new Error('no saved card');
      const paymentIntentId = await this.payments.charge(payable(b), b.paymentMethodId);
      await this.db.booking.update({ where: { id: b.id }, data: { paymentIntentId, paidAt: this.now() } });
    } catch (error) {
      // The card was declined (or needs the seeker): the call is off, and both are told.
      await this.db.booking.updateMany({ where: { id: b.id, status: 'confirmed' }, data: { status: 'canceled', canceledBy: 'system', canceledAt: this.now(), icsSequence: { increment: 1 } } });
      await this.notify(b.id, 'charge_failed', (error as Error).message);
    }
  }

  private async remind(job: TimedJob & { kind: string }): Promise<void> {
    if (await this.current(job)) await this.notify(job.bookingId, job.kind === '24h' ? 'remind_24h' : 'remind_15m');
  }

  // ---- mail ----------------------------------------------------------------------------------

  private async notify(id: string, what: 'confirmed' | 'rescheduled' | 'canceled' | 'no_show' | 'charge_failed' | 'remind_24h' | 'remind_15m', detail = ''): Promise<void> {
    const b = await this.db.booking.findUniqueOrThrow({ where: { id }, include: withPeople });
    const url = new URL(`/bookings/${b.id}`, this.publicUrl).href;
    const mentorName = b.mentor.user.name || 'your mentor';
    const seekerName = b.seeker.name || 'your candidate';
    const when = `${b.startsAt.toISOString().replace('T', ' ').slice(0, 16)} UTC (${b.minutes} minutes)`;
    const invite = what === 'confirmed' || what === 'rescheduled' || what === 'canceled' || what === 'charge_failed'
      ? bookingInvite({ bookingId: b.id, sequence: b.icsSequence, startsAt: b.startsAt, endsAt: b.endsAt, mentorName, seekerName, mentorEmail: b.mentor.user.email, seekerEmail: b.seeker.email, url, organizerEmail: this.mailFrom.replace(/^.*<([^>]+)>.*$/, '$1'), canceled: what !== 'confirmed' && what !== 'rescheduled' })
      : undefined;
    const lines: Record<typeof what, [string, string]> = {
      confirmed: [`Booked: mentor call on ${when}`, `Your call is booked for ${when}. The room opens 5 minutes before the start: ${url}\nThe invite attached puts it in your calendar.`],
      rescheduled: [`Moved: mentor call to ${when}`, `Your call has moved to ${when}. The invite attached updates it in your calendar.\n${url}`],
      canceled: [`Cancelled: mentor call on ${when}`, `The call on ${when} was cancelled by the ${b.canceledBy}.${b.refundedCents > 0 ? ` ${b.refundedCents / 100} ${b.currency.toUpperCase()} is refunded to the card it was paid with.` : ''}\n${url}`],
      no_show: [`Missed: mentor call on ${when}`, `The ${b.noShow === 'both' ? 'call had nobody in the room' : `${b.noShow} was not in the room`} 10 minutes after the start.${b.refundedCents > 0 ? ` ${b.refundedCents / 100} ${b.currency.toUpperCase()} is refunded.` : ''}\n${url}`],
      charge_failed: [`Cancelled: the card for your call on ${when} was declined`, `We could not charge the saved card (${detail}), so the call on ${when} is cancelled.\n${url}`],
      remind_24h: [`Tomorrow: mentor call on ${when}`, `Your call is in 24 hours: ${when}.\n${url}`],
      remind_15m: [`In 15 minutes: mentor call`, `Your call starts in 15 minutes; the room opens in 10.\n${url}`],
    };
    const [subject, text] = lines[what];
    for (const to of [b.seeker.email, b.mentor.user.email]) if (to) await this.mailer.send({ to, subject, text, ...(invite ? { calendar: invite } : {}) });
  }

  // ---- reading ---------------------------------------------------------------------------------

  private async own(viewerId: string, id: string): Promise<RowWithPeople> {
    const booking = await this.db.booking.findUnique({ where: { id }, include: withPeople });
    if (!booking || (booking.seekerId !== viewerId && booking.mentorId !== viewerId)) throw new HttpError(404, 'BOOKING_NOT_FOUND', 'No such booking');
    return booking;
  }

  private present(b: RowWithPeople, viewerId: string, now = this.now()): Static<typeof BookingOut> {
    const paidCents = b.paidAt ? b.priceCents : 0;
    const as = b.mentorId === viewerId ? 'mentor' : 'seeker';
    return {
      id: b.id,
      status: b.status,
      as,
      mentor: { id: b.mentorId, name: b.mentor.user.name || 'Mentor' },
      seeker: { id: b.seekerId, name: b.seeker.name || 'Candidate' },
      startsAt: b.startsAt.toISOString(),
      endsAt: b.endsAt.toISOString(),
      minutes: b.minutes,
      priceCents: b.priceCents,
      currency: b.currency,
      agenda: b.agenda,
      holdExpiresAt: b.status === 'held' ? (b.holdExpiresAt?.toISOString() ?? null) : null,
      paid: b.paidAt !== null,
      cardSaved: b.paymentMethodId !== null,
      refundedCents: b.refundedCents,
      canceledBy: b.canceledBy,
      noShow: b.noShow,
      testMode: b.testMode,
      room: { opensAt: policy.roomOpensAt(b).toISOString(), closesAt: policy.roomClosesAt(b).toISOString(), open: b.roomOpenedAt !== null && b.roomClosedAt === null && b.status === 'confirmed' },
      refundIfCanceled: b.status === 'confirmed' ? policy.refundOnCancel({ ...b, paidCents }, as, now) : 0,
      reviewed: b.review !== null,
    };
  }
}
