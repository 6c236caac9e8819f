// One-way interviews: a recruiter (Recruiter plan) sets a few questions with think and answer
// times, names candidates by e-mail and picks a deadline. Each candidate gets a mailed link (its
// token proves they received it; only the SHA-256 is kept), opens it signed in, records their
// answers through the same live pipeline as practice (`POST /api/answers` with the invitation),
// sees exactly what will be shared, and submits before the deadline. Only submitted answers reach
// the recruiter, who compares the candidates side by side and may leave feedback.
import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { PrismaClient } from '@rehearse/db';
import type { Static } from 'typebox';
import type { FeedbackInput, InterviewInput } from '@rehearse/protocol';
import { audit } from '../audit/log.ts';
import { requireRecruiterPlan } from '../billing/plans.ts';
import type { Mailer } from '../mail/mailer.ts';
import { HttpError } from '../plugins/errors.ts';
import { INTERVIEW_SOURCE, presentQuestion } from '../questions/service.ts';
import { extendRetention } from '../retention/policy.ts';
import { hashToken, presentFeedbackRows, type ShareService } from '../shares/service.ts';

interface Slot {
  questionId: string;
  thinkSeconds: number;
  answerSeconds: number;
}
/** What the recruiter sees of each submitted answer: video, transcript and the key figures (never the AI's or originality notes). */
const SUBMITTED_INCLUDE = { metrics: true, feedback: false, originality: false };
/** How far past its answer time a recording may run (the stop's round trip from the page) and still be submitted. */
export const ANSWER_GRACE_MS = 5_000;
export const SUBMISSION_SHARES = ['The video of each answer', 'Its transcript', 'Pace, words, fillers, pauses and the STAR parts heard'];

/** `a***@example.com`: enough for the holder of a link to know which account to use, no more. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at <= 0 ? '***' : `${email[0]}***${email.slice(at)}`;
}

export class InterviewService {
  readonly #db: PrismaClient;
  readonly #shares: ShareService;
  readonly #mailer: Mailer;
  readonly #publicUrl: string;
  readonly #now: () => Date;

  constructor({ db, shares, mailer, publicUrl, now = () => new Date() }: { db: PrismaClient; shares: ShareService; mailer: Mailer; publicUrl: string; now?: () => Date }) {
    this.#db = db;
    this.#shares = shares;
    this.#mailer = mailer;
    this.#publicUrl = publicUrl;
    this.#now = now;
  }

  // ----- the recruiter's side -----

  async create(request: FastifyRequest, input: Static<typeof InterviewInput>) {
    const recruiterId = request.session!.user.id;
    await requireRecruiterPlan(this.#db, recruiterId, this.#now());
    const deadline = new Date(input.deadline);
    if (deadline.getTime() <= this.#now().getTime() + 3_600_000) throw new HttpError(400, 'DEADLINE_TOO_SOON', 'Give candidates at least an hour');
    const emails = [...new Set(input.candidates.map((e) => e.trim().toLowerCase()))];
    const tokens = new Map(emails.map((e) => [e, randomBytes(32).toString('base64url')]));
    const interview = await this.#db.$transaction(async (tx) => {
      const questions: Slot[] = [];
      for (const q of input.questions) {
        const row = await tx.question.create({ data: { slug: `interview-${randomBytes(8).toString('hex')}`, text: q.text.trim(), source: INTERVIEW_SOURCE, ownerId: recruiterId, competency: '' } });
        questions.push({ questionId: row.id, thinkSeconds: q.thinkSeconds, answerSeconds: q.answerSeconds });
      }
      return tx.recruiterInterview.create({
        data: { recruiterId, title: input.title.trim(), company: input.company?.trim() ?? '', coaching: input.coaching, deadline, questions: questions as object[], invites: { create: emails.map((email) => ({ email, tokenHash: hashToken(tokens.get(email)!) })) } },
      });
    });
    for (const [email, token] of tokens) {
      await this.#mailer.send({
        to: email,
        subject: `${interview.company || request.session!.user.name || 'A recruiter'} invites you to a one-way interview: ${interview.title}`,
        text: `You are invited to answer ${input.questions.length} question${input.questions.length === 1 ? '' : 's'} on camera before ${deadline.toISOString().replace('T', ' ').slice(0, 16)} UTC.\n\nStart here (sign in or sign up first): ${this.#publicUrl}/interviews/invite/${token}\n\nYou see exactly what will be shared before you submit.`,
      });
    }
    await audit(this.#db, request, { action: 'interview.create', targetType: 'recruiter_interview', targetId: interview.id, details: { invites: emails.length } });
    return this.view(recruiterId, interview.id);
  }

  async #owned(recruiterId: string, id: string) {
    const row = await this.#db.recruiterInterview.findUnique({ where: { id }, include: { invites: { orderBy: { email: 'asc' } } } });
    if (!row || row.recruiterId !== recruiterId) throw new HttpError(404, 'INTERVIEW_NOT_FOUND', 'No such interview');
    return row;
  }

  async #questions(slots: Slot[]) {
    const rows = await this.#db.question.findMany({ where: { id: { in: slots.map((s) => s.questionId) } } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    return slots.map((s) => ({ ...s, text: byId.get(s.questionId)?.text ?? '', row: byId.get(s.questionId)! }));
  }

  /** The latest answer per question position of an invitation (a candidate may record a question again before submitting). */
  async #latestAnswers(invite: { id: string; candidateId: string | null }, count: number): Promise<(string | null)[]> {
    if (!invite.candidateId) return Array.from({ length: count }, () => null);
    const rows = await this.#db.answer.findMany({ where: { interviewInviteId: invite.id, userId: invite.candidateId, status: { in: ['ready', 'interrupted'] } }, orderBy: { createdAt: 'asc' }, select: { id: true, interviewPosition: true } });
    const out: (string | null)[] = Array.from({ length: count }, () => null);
    for (const r of rows) if (r.interviewPosition !== null && r.interviewPosition < count) out[r.interviewPosition] = r.id;
    return out;
  }

  async view(recruiterId: string, id: string) {
    const row = await this.#owned(recruiterId, id);
    const slots = row.questions as unknown as Slot[];
    const questions = await this.#questions(slots);
    const names = new Map((await this.#db.user.findMany({ where: { id: { in: row.invites.flatMap((i) => (i.candidateId ? [i.candidateId] : [])) } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
    const invites = [];
    for (const invite of row.invites) {
      const submitted = invite.status === 'submitted' && invite.candidateId;
      const ids = submitted ? await this.#latestAnswers(invite, slots.length) : [];
      const shown = submitted ? await this.#shares.sharedAnswers(invite.candidateId!, ids.filter((x): x is string => !!x), SUBMITTED_INCLUDE, (a) => `/api/interviews/${id}/invites/${invite.id}/answers/${a}/recording`) : [];
      const byId = new Map(shown.map((a) => [a.id, a]));
      invites.push({
        inviteId: invite.id,
        email: invite.email,
        name: invite.candidateId ? (names.get(invite.candidateId) ?? '') : '',
        status: invite.status as 'invited' | 'submitted',
        submittedAt: invite.submittedAt?.toISOString() ?? null,
        answers: submitted ? ids.map((a) => (a ? (byId.get(a) ?? null) : null)) : [],
        feedback: await presentFeedbackRows(this.#db, await this.#db.recruiterFeedback.findMany({ where: { inviteId: invite.id, recruiterId, hiddenAt: null } })),
      });
    }
    return {
      id: row.id,
      title: row.title,
      company: row.company,
      coaching: row.coaching,
      deadline: row.deadline.toISOString(),
      questions: questions.map(({ row: _row, ...q }) => q),
      createdAt: row.createdAt.toISOString(),
      invites,
    };
  }

  async list(recruiterId: string) {
    await requireRecruiterPlan(this.#db, recruiterId, this.#now());
    const rows = await this.#db.recruiterInterview.findMany({ where: { recruiterId }, orderBy: { createdAt: 'desc' }, take: 100, select: { id: true } });
    return Promise.all(rows.map((r) => this.view(recruiterId, r.id)));
  }

  /** A submitted answer's recording, for the interview's recruiter only. */
  async recording(recruiterId: string, id: string, inviteId: string, answerId: string) {
    const row = await this.#owned(recruiterId, id);
    const invite = row.invites.find((i) => i.id === inviteId);
    if (!invite || invite.status !== 'submitted' || !invite.candidateId) throw new HttpError(404, 'ANSWER_NOT_FOUND', 'No such submitted answer');
    const ids = (await this.#latestAnswers(invite, (row.questions as unknown as Slot[]).length)).filter((x): x is string => !!x);
    return this.#shares.recordingOf(invite.candidateId, ids, answerId);
  }

  async leaveFeedback(request: FastifyRequest, id: string, inviteId: string, input: Static<typeof FeedbackInput>) {
    const recruiterId = request.session!.user.id;
    const row = await this.#owned(recruiterId, id);
    const invite = row.invites.find((i) => i.id === inviteId);
    if (!invite || invite.status !== 'submitted' || !invite.candidateId) throw new HttpError(409, 'NOT_SUBMITTED', 'Feedback follows a submission');
    const data = { ratings: input.ratings, comment: input.comment.trim() };
    const existing = await this.#db.recruiterFeedback.findFirst({ where: { inviteId, recruiterId } });
    const saved = existing ? await this.#db.recruiterFeedback.update({ where: { id: existing.id }, data }) : await this.#db.recruiterFeedback.create({ data: { ...data, inviteId, candidateId: invite.candidateId, recruiterId } });
    await audit(this.#db, request, { action: 'interview.feedback', targetType: 'interview_invite', targetId: inviteId, details: { feedbackId: saved.id } });
    return (await presentFeedbackRows(this.#db, [saved]))[0]!;
  }

  // ----- the candidate's side -----

  /**
   * Opens a mailed invitation: it becomes the signed-in account's (once; another account then gets
   * a 404). Only the account whose verified address is the one invited may take it, as a share link
   * for named recruiters checks its viewers: a forwarded link, or an account signed up with the
   * invited address but never confirmed, is refused and nothing is written.
   */
  async accept(request: FastifyRequest, token: string) {
    const { id: userId, email, emailVerified } = request.session!.user;
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new HttpError(404, 'INVITE_NOT_FOUND', 'This invitation link is not valid');
    const invite = await this.#db.interviewInvite.findUnique({ where: { tokenHash: hashToken(token) } });
    if (!invite || (invite.candidateId && invite.candidateId !== userId)) throw new HttpError(404, 'INVITE_NOT_FOUND', 'This invitation link is not valid');
    if (!invite.candidateId) {
      if (email?.trim().toLowerCase() !== invite.email.toLowerCase()) throw new HttpError(403, 'INVITE_FOR_ANOTHER_EMAIL', `This invitation was sent to ${maskEmail(invite.email)}: sign in with that address to open it`);
      if (!emailVerified) throw new HttpError(403, 'EMAIL_NOT_VERIFIED', 'Confirm your email address (we mailed you a link), then open the invitation again');
      const claimed = await this.#db.interviewInvite.updateMany({ where: { id: invite.id, candidateId: null }, data: { candidateId: userId } });
      if (claimed.count === 0) throw new HttpError(404, 'INVITE_NOT_FOUND', 'This invitation link is not valid');
      await audit(this.#db, request, { action: 'interview.accept', targetType: 'interview_invite', targetId: invite.id });
    }
    return this.candidateView(userId, invite.id);
  }

  /**
   * The recruiter's answer time holds on the server too, not only in the page: a recording (its
   * duration as the media server measured the file) longer than the question's answer time and a
   * little grace (the stop's round trip) cannot be submitted; the candidate records it again.
   */
  async #checkAnswerTimes(slots: Slot[], ids: string[]) {
    const rows = await this.#db.answer.findMany({ where: { id: { in: ids } }, select: { id: true, durationMs: true } });
    const duration = new Map(rows.map((r) => [r.id, r.durationMs]));
    const over = slots.findIndex((slot, i) => (duration.get(ids[i]!) ?? 0) > slot.answerSeconds * 1000 + ANSWER_GRACE_MS);
    if (over >= 0) throw new HttpError(409, 'ANSWER_TOO_LONG', `Your answer to question ${over + 1} is longer than its ${slots[over]!.answerSeconds} seconds: record it again`);
  }

  async #mine(userId: string, inviteId: string) {
    const invite = await this.#db.interviewInvite.findFirst({ where: { id: inviteId, candidateId: userId }, include: { interview: true } });
    if (!invite) throw new HttpError(404, 'INVITE_NOT_FOUND', 'No such interview invitation');
    return invite;
  }

  async candidateView(userId: string, inviteId: string) {
    const invite = await this.#mine(userId, inviteId);
    const slots = invite.interview.questions as unknown as Slot[];
    const questions = await this.#questions(slots);
    const ids = await this.#latestAnswers(invite, slots.length);
    const preview = await this.#shares.sharedAnswers(userId, ids.filter((x): x is string => !!x), SUBMITTED_INCLUDE, (a) => `/api/answers/${a}/recording`);
    const byId = new Map(preview.map((a) => [a.id, a]));
    const recruiter = await this.#db.user.findUnique({ where: { id: invite.interview.recruiterId }, select: { name: true } });
    return {
      inviteId: invite.id,
      title: invite.interview.title,
      company: invite.interview.company,
      recruiter: { name: recruiter?.name ?? '' },
      coaching: invite.interview.coaching,
      deadline: invite.interview.deadline.toISOString(),
      closed: invite.interview.deadline <= this.#now(),
      status: invite.status as 'invited' | 'submitted',
      questions: questions.map((q, i) => ({ questionId: q.questionId, text: q.text, thinkSeconds: q.thinkSeconds, answerSeconds: q.answerSeconds, answerId: ids[i] ?? null, question: presentQuestion(q.row, userId) })),
      shares: SUBMISSION_SHARES,
      preview: ids.map((a) => (a ? (byId.get(a) ?? null) : null)),
      feedback: await this.#shares.feedbackFor(userId, { inviteId }),
    };
  }

  async invitations(userId: string) {
    const rows = await this.#db.interviewInvite.findMany({ where: { candidateId: userId }, orderBy: { createdAt: 'desc' }, take: 100, select: { id: true } });
    return Promise.all(rows.map((r) => this.candidateView(userId, r.id)));
  }

  /** Submits every question's latest answer, before the deadline, once. */
  async submit(request: FastifyRequest, inviteId: string) {
    const userId = request.session!.user.id;
    const invite = await this.#mine(userId, inviteId);
    if (invite.status === 'submitted') throw new HttpError(409, 'INTERVIEW_SUBMITTED', 'You have submitted this interview already');
    if (invite.interview.deadline <= this.#now()) throw new HttpError(409, 'DEADLINE_PASSED', 'The deadline for this interview has passed');
    const slots = invite.interview.questions as unknown as Slot[];
    const ids = await this.#latestAnswers(invite, slots.length);
    if (ids.some((a) => a === null)) throw new HttpError(409, 'INCOMPLETE', 'Answer every question before you submit');
    await this.#checkAnswerTimes(slots, ids as string[]);
    const done = await this.#db.interviewInvite.updateMany({ where: { id: inviteId, status: 'invited' }, data: { status: 'submitted', submittedAt: this.#now() } });
    if (done.count === 0) throw new HttpError(409, 'INTERVIEW_SUBMITTED', 'You have submitted this interview already');
    await extendRetention(this.#db, userId, ids as string[], this.#now());
    await audit(this.#db, request, { action: 'interview.submit', targetType: 'interview_invite', targetId: inviteId, details: { answers: ids } });
    return this.candidateView(userId, inviteId);
  }
}
