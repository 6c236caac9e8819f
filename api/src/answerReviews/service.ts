// Recorded-answer reviews, a mentor's second product: a seeker pays a mentor to review one of
// their recorded practice answers; the mentor watches it with the transcript, leaves timestamped
// comments and a rating per competency within the hours they offer, or the payment is refunded
// (a job on the queue at the deadline). Paid like calls (payments.ts), the mentor paid after the
// dispute window.
import type { PrismaClient } from '@rehearse/db';
import type { TimedWord } from '@rehearse/analysis';
import type { Mailer } from '../mail/mailer.ts';
import { mentorShare, type BookingPayments, type Payable } from '../bookings/payments.ts';
import { DISPUTE_WINDOW_HOURS, feeOf } from '../bookings/policy.ts';
import { HttpError } from '../plugins/errors.ts';
import type { JobQueue } from '../plugins/jobs.ts';

export const REVIEW_JOBS = { deadline: 'answer-review.deadline', payout: 'answer-review.payout' } as const;
/** At most this many comments on one review, each this long. */
export const REVIEW_COMMENTS_MAX = 100;

type Row = NonNullable<Awaited<ReturnType<PrismaClient['answerReview']['findUnique']>>>;

export interface ReviewRating {
  competency: string;
  score: number;
  note?: string;
}

function payable(r: Row): Payable {
  return { purpose: 'answer_review', id: r.id, priceCents: r.priceCents, feeCents: r.feeCents, currency: r.currency, refundedCents: r.refundedCents, stripeCustomerId: r.stripeCustomerId, paymentIntentId: r.paymentIntentId, transferId: r.transferId };
}

export class AnswerReviewService {
  readonly #db: PrismaClient;
  readonly #payments: BookingPayments;
  readonly #jobs: JobQueue;
  readonly #mailer: Mailer;
  readonly #publicUrl: string;
  readonly #feePercent: number;
  readonly #now: () => Date;

  constructor(deps: { db: PrismaClient; payments: BookingPayments; jobs: JobQueue; mailer: Mailer; publicUrl: string; feePercent: number; now: () => Date }) {
    this.#db = deps.db;
    this.#payments = deps.payments;
    this.#jobs = deps.jobs;
    this.#mailer = deps.mailer;
    this.#publicUrl = deps.publicUrl;
    this.#feePercent = deps.feePercent;
    this.#now = deps.now;
    this.#jobs.define<{ reviewId: string }>(REVIEW_JOBS.deadline, (d) => this.#deadline(d.reviewId));
    this.#jobs.define<{ reviewId: string }>(REVIEW_JOBS.payout, (d) => this.#payout(d.reviewId));
  }

  async request(seekerId: string, input: { answerId: string; mentorId: string; priceCents: number; request?: string }) {
    const seeker = await this.#db.user.findUniqueOrThrow({ where: { id: seekerId } });
    if (!seeker.email) throw new HttpError(409, 'SIGN_UP_FIRST', 'Sign up with an email address before buying a review');
    if (input.mentorId === seekerId) throw new HttpError(409, 'OWN_REVIEW', 'You cannot review your own answer for pay');
    const answer = await this.#db.answer.findUnique({ where: { id: input.answerId } });
    if (!answer || answer.userId !== seekerId || answer.bookingId !== null) throw new HttpError(404, 'ANSWER_NOT_FOUND', 'No such answer');
    if (!answer.recordingKey) throw new HttpError(409, 'NO_RECORDING', 'This answer has no recording to review');
    const mentor = await this.#db.mentorProfile.findUnique({ where: { userId: input.mentorId } });
    if (!mentor || mentor.status !== 'approved') throw new HttpError(404, 'MENTOR_NOT_FOUND', 'No such mentor');
    if (mentor.reviewPrice === null) throw new HttpError(409, 'REVIEWS_NOT_OFFERED', 'This mentor does not review recorded answers');
    if (input.priceCents !== mentor.reviewPrice) throw new HttpError(409, 'PRICE_CHANGED', `The price of a review is ${mentor.reviewPrice} (${mentor.currency}), not ${input.priceCents}; reload and confirm`, { priceCents: mentor.reviewPrice });
    const pending = await this.#db.answerReview.findFirst({ where: { answerId: answer.id, mentorId: mentor.userId, status: { in: ['requested', 'open'] } } });
    if (pending) throw new HttpError(409, 'ALREADY_REQUESTED', 'This mentor has this answer to review already', { reviewId: pending.id });
    const row = await this.#db.answerReview.create({
      data: {
        answerId: answer.id,
        seekerId,
        mentorId: mentor.userId,
        priceCents: mentor.reviewPrice,
        feeCents: feeOf(mentor.reviewPrice, this.#feePercent),
        currency: mentor.currency,
        hours: mentor.reviewHours,
        request: input.request?.trim() ?? '',
        testMode: this.#payments.mode === 'test',
      },
    });
    return this.view(seekerId, row.id);
  }

  async checkout(seekerId: string, id: string): Promise<string> {
    const row = await this.#own(seekerId, id);
    if (row.seekerId !== seekerId) throw new HttpError(403, 'NOT_YOUR_REVIEW', 'Only the person who asked for the review pays for it');
    if (row.status !== 'requested') throw new HttpError(409, 'NOT_PAYABLE', 'This review is paid already or was withdrawn');
    const [seeker, mentor] = await Promise.all([this.#db.user.findUniqueOrThrow({ where: { id: seekerId } }), this.#db.user.findUniqueOrThrow({ where: { id: row.mentorId } })]);
    const { url, sessionId, customerId } = await this.#payments.checkout({ item: payable(row), seeker: { id: seekerId, email: seeker.email! }, productName: `Review of a recorded answer by ${mentor.name || 'a mentor'}`, mode: 'payment', expiresAt: null });
    if (sessionId) await this.#db.answerReview.update({ where: { id }, data: { checkoutSessionId: sessionId, stripeCustomerId: customerId } });
    return url;
  }

  /** Checkout finished (from the webhook): the mentor's clock starts. */
  async paid({ reviewId, paymentIntentId, sessionId, customerId }: { reviewId: string; paymentIntentId: string | null; sessionId: string; customerId: string | null }): Promise<void> {
    const now = this.#now();
    const row = await this.#db.answerReview.findUnique({ where: { id: reviewId } });
    if (!row || row.status !== 'requested' || !paymentIntentId) return;
    const dueAt = new Date(now.getTime() + row.hours * 3600_000);
    const { count } = await this.#db.answerReview.updateMany({ where: { id: reviewId, status: 'requested' }, data: { status: 'open', paidAt: now, paymentIntentId, checkoutSessionId: sessionId, stripeCustomerId: customerId ?? row.stripeCustomerId, dueAt } });
    if (count === 0) return;
    await this.#jobs.at(REVIEW_JOBS.deadline, { reviewId }, dueAt);
    await this.#mail(reviewId, 'paid');
  }

  async cancel(seekerId: string, id: string) {
    const row = await this.#own(seekerId, id);
    if (row.seekerId !== seekerId) throw new HttpError(403, 'NOT_YOUR_REVIEW', 'Only the person who asked for the review withdraws it');
    const { count } = await this.#db.answerReview.updateMany({ where: { id, status: 'requested' }, data: { status: 'canceled' } });
    if (count === 0) throw new HttpError(409, 'CANNOT_CANCEL', 'A paid review cannot be withdrawn; it is refunded if the mentor does not deliver in time');
    if (row.checkoutSessionId) await this.#payments.expireCheckout(row.checkoutSessionId);
    return this.view(seekerId, id);
  }

  async comment(mentorId: string, id: string, { atMs, text }: { atMs: number; text: string }) {
    const row = await this.#open(mentorId, id);
    const answer = await this.#db.answer.findUniqueOrThrow({ where: { id: row.answerId }, select: { durationMs: true } });
    if (answer.durationMs !== null && atMs > answer.durationMs) throw new HttpError(400, 'OUTSIDE_RECORDING', `The recording is ${Math.round(answer.durationMs / 1000)} s long`);
    if ((await this.#db.answerReviewComment.count({ where: { reviewId: id } })) >= REVIEW_COMMENTS_MAX) throw new HttpError(429, 'TOO_MANY_COMMENTS', `A review keeps at most ${REVIEW_COMMENTS_MAX} comments`);
    const c = await this.#db.answerReviewComment.create({ data: { reviewId: id, atMs, text: text.trim() } });
    return { id: c.id, atMs: c.atMs, text: c.text, createdAt: c.createdAt.toISOString() };
  }

  async deliver(mentorId: string, id: string, { ratings, summary }: { ratings: ReviewRating[]; summary: string }) {
    const row = await this.#open(mentorId, id);
    const competencies = new Set(ratings.map((r) => r.competency.trim().toLowerCase()));
    if (competencies.size !== ratings.length) throw new HttpError(400, 'DUPLICATE_COMPETENCY', 'Rate each competency once');
    const now = this.#now();
    const { count } = await this.#db.answerReview.updateMany({
      where: { id, status: 'open', dueAt: { gte: now } },
      data: { status: 'delivered', deliveredAt: now, summary: summary.trim(), ratings: ratings.map((r) => ({ competency: r.competency.trim().toLowerCase(), score: r.score, note: r.note?.trim() ?? '' })) },
    });
    if (count === 0) throw new HttpError(409, 'REVIEW_OVERDUE', 'The agreed time has passed; the review was refunded');
    await this.#jobs.at(REVIEW_JOBS.payout, { reviewId: id }, new Date(now.getTime() + DISPUTE_WINDOW_HOURS * 3600_000));
    await this.#mail(id, 'delivered');
    return this.view(mentorId, row.id);
  }

  async list(viewerId: string) {
    const rows = await this.#db.answerReview.findMany({ where: { OR: [{ seekerId: viewerId }, { mentorId: viewerId }], NOT: { status: 'canceled' } }, orderBy: { createdAt: 'desc' }, take: 200, select: { id: true } });
    return Promise.all(rows.map((r) => this.view(viewerId, r.id)));
  }

  async view(viewerId: string, id: string) {
    const row = await this.#own(viewerId, id);
    const [answer, mentor, seeker, comments] = await Promise.all([
      this.#db.answer.findUniqueOrThrow({ where: { id: row.answerId }, include: { question: { select: { text: true, competency: true } }, report: { select: { words: true } } } }),
      this.#db.user.findUniqueOrThrow({ where: { id: row.mentorId }, select: { name: true } }),
      this.#db.user.findUniqueOrThrow({ where: { id: row.seekerId }, select: { name: true } }),
      this.#db.answerReviewComment.findMany({ where: { reviewId: id }, orderBy: { atMs: 'asc' } }),
    ]);
    const as = row.mentorId === viewerId ? ('mentor' as const) : ('seeker' as const);
    const canWatch = as === 'seeker' || row.status === 'open' || row.status === 'delivered';
    return {
      id: row.id,
      as,
      status: row.status,
      mentor: { id: row.mentorId, name: mentor.name || 'Mentor' },
      seeker: { id: row.seekerId, name: seeker.name || 'Candidate' },
      request: row.request,
      priceCents: row.priceCents,
      currency: row.currency,
      hours: row.hours,
      dueAt: row.dueAt?.toISOString() ?? null,
      testMode: row.testMode,
      refundedCents: row.refundedCents,
      deliveredAt: row.deliveredAt?.toISOString() ?? null,
      summary: row.summary,
      ratings: (row.ratings as unknown as ReviewRating[] | null) ?? [],
      comments: comments.map((c) => ({ id: c.id, atMs: c.atMs, text: c.text, createdAt: c.createdAt.toISOString() })),
      answer: {
        id: answer.id,
        question: answer.question.text,
        competency: answer.question.competency,
        durationMs: answer.durationMs,
        recordingUrl: canWatch && answer.recordingKey ? `/api/answer-reviews/${row.id}/recording` : null,
        transcript: canWatch && answer.report ? (answer.report.words as unknown as TimedWord[]).map((w) => ({ text: w.punctuated ?? w.text, start: w.start, end: w.end })) : [],
      },
    };
  }

  /** The reviewed answer's recording: the seeker's own, and the mentor's while the review is paid for. */
  async recording(viewerId: string, id: string): Promise<{ key: string; contentType: string }> {
    const row = await this.#own(viewerId, id);
    if (row.mentorId === viewerId && row.status !== 'open' && row.status !== 'delivered') throw new HttpError(409, 'NOT_PAID', 'The recording is shared with you once the review is paid');
    const answer = await this.#db.answer.findUniqueOrThrow({ where: { id: row.answerId } });
    if (!answer.recordingKey) throw new HttpError(409, 'NO_RECORDING', 'This answer has no recording');
    return { key: answer.recordingKey, contentType: answer.container === 'mp4' ? 'video/mp4' : 'video/webm' };
  }

  /** A mentor's account can receive transfers now: pay delivered reviews whose window passed. */
  async payoutsEnabled(mentorId: string): Promise<void> {
    const owed = await this.#db.answerReview.findMany({ where: { mentorId, status: 'delivered', transferId: null, deliveredAt: { lte: new Date(this.#now().getTime() - DISPUTE_WINDOW_HOURS * 3600_000) } }, select: { id: true } });
    for (const r of owed) await this.#jobs.at(REVIEW_JOBS.payout, { reviewId: r.id }, this.#now());
  }

  async #deadline(id: string): Promise<void> {
    const row = await this.#db.answerReview.findUnique({ where: { id } });
    if (!row || row.status !== 'open' || !row.dueAt || row.dueAt > this.#now()) return;
    const refundId = await this.#payments.refund(payable(row), row.priceCents);
    const { count } = await this.#db.answerReview.updateMany({ where: { id, status: 'open' }, data: { status: 'refunded', refundId, refundedCents: row.priceCents, refundedAt: this.#now() } });
    if (count === 1) await this.#mail(id, 'refunded');
  }

  /** The seeker's bank disputed this payment (held), or the dispute was won (released; paid if due). */
  async disputed(paymentIntentId: string, held: boolean): Promise<void> {
    const row = await this.#db.answerReview.findUnique({ where: { paymentIntentId } });
    if (!row) return;
    await this.#db.answerReview.update({ where: { id: row.id }, data: { disputedAt: held ? (row.disputedAt ?? this.#now()) : null } });
    if (!held && row.status === 'delivered' && row.deliveredAt && row.deliveredAt.getTime() + DISPUTE_WINDOW_HOURS * 3600_000 <= this.#now().getTime()) await this.#jobs.at(REVIEW_JOBS.payout, { reviewId: row.id }, this.#now());
  }

  async #payout(id: string): Promise<void> {
    const row = await this.#db.answerReview.findUnique({ where: { id }, include: { mentor: true } });
    if (!row || row.status !== 'delivered' || row.transferId || row.disputedAt || row.refundedCents >= row.priceCents) return;
    if (!row.mentor.stripeAccountId || !row.mentor.payoutsEnabled) return;
    const transferId = await this.#payments.transfer(payable(row), row.mentor.stripeAccountId, mentorShare(row));
    await this.#db.answerReview.update({ where: { id }, data: { transferId, transferredAt: this.#now() } });
  }

  async #own(viewerId: string, id: string): Promise<Row> {
    const row = await this.#db.answerReview.findUnique({ where: { id } });
    if (!row || (row.seekerId !== viewerId && row.mentorId !== viewerId)) throw new HttpError(404, 'REVIEW_NOT_FOUND', 'No such review');
    return row;
  }

  async #open(mentorId: string, id: string): Promise<Row> {
    const row = await this.#own(mentorId, id);
    if (row.mentorId !== mentorId) throw new HttpError(403, 'MENTOR_ONLY', 'Only the reviewing mentor comments and delivers');
    if (row.status !== 'open') throw new HttpError(409, row.status === 'refunded' ? 'REVIEW_OVERDUE' : 'REVIEW_NOT_OPEN', row.status === 'refunded' ? 'The agreed time has passed; the review was refunded' : `This review is ${row.status}`);
    return row;
  }

  async #mail(id: string, what: 'paid' | 'delivered' | 'refunded'): Promise<void> {
    const row = await this.#db.answerReview.findUniqueOrThrow({ where: { id } });
    const [mentor, seeker] = await Promise.all([this.#db.user.findUniqueOrThrow({ where: { id: row.mentorId } }), this.#db.user.findUniqueOrThrow({ where: { id: row.seekerId } })]);
    const url = new URL(`/reviews/${id}`, this.#publicUrl).href;
    const due = row.dueAt ? `${row.dueAt.toISOString().replace('T', ' ').slice(0, 16)} UTC` : '';
    const mails = {
      paid: [{ to: mentor.email, subject: 'A recorded answer to review', text: `${seeker.name || 'A candidate'} paid for your review of a recorded answer. Deliver it by ${due}, or it is refunded.\n${url}` }],
      delivered: [{ to: seeker.email, subject: 'Your answer review is ready', text: `${mentor.name || 'Your mentor'} reviewed your recorded answer.\n${url}` }],
      refunded: [
        { to: seeker.email, subject: 'Your answer review was refunded', text: `The review was not delivered by ${due}, so ${row.priceCents / 100} ${row.currency.toUpperCase()} is refunded.\n${url}` },
        { to: mentor.email, subject: 'A review ran out of time', text: `The review was not delivered by ${due} and has been refunded to the candidate.\n${url}` },
      ],
    }[what];
    for (const mail of mails) if (mail.to) await this.#mailer.send({ to: mail.to, subject: mail.subject, text: mail.text });
  }
}
