// What candidates share with recruiters: video resumes (an ordered set of their answers with a
// headline and a profile) and share links to one answer or a resume. A link's URL carries a
// random token; only its SHA-256 is kept, so the database cannot give links away. Every request
// through a link — the page's data and each range request of the video — checks the link again,
// so revoking or expiry stops a player that already has the media URL at once.
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { AnswerSummary, TimedWord } from '@rehearse/analysis';
import type { PrismaClient } from '@rehearse/db';
import type { Static } from 'typebox';
import type { FeedbackInput, ResumeInput, ShareInput } from '@rehearse/protocol';
import { audit } from '../audit/log.ts';
import { checkWithinPlan, planOf } from '../billing/plans.ts';
import type { AnswerService } from '../answers/service.ts';
import { HttpError } from '../plugins/errors.ts';
import { extendRetention } from '../retention/policy.ts';

type Viewer = FastifyRequest['session'];
type LinkRow = NonNullable<Awaited<ReturnType<ShareService['findByToken']>>>;
export type SharedAnswers = Awaited<ReturnType<ShareService['sharedAnswers']>>;

export const hashToken = (token: string) => createHash('sha256').update(token).digest();
/** A link's token: 32 random bytes, base64url (43 characters). */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Answers that can be shared: the owner's own practice, interview or mock answers with a report (not call recordings). */
export const shareable = (userId: string) => ({ userId, bookingId: null, status: { in: ['ready' as const, 'interrupted' as const] } });

/** How far a page's reported watch time may run ahead of the time since its view began (clock and report timing). */
const WATCH_SLACK_MS = 2_000;

export class ShareService {
  readonly #db: PrismaClient;
  readonly #answers: AnswerService;
  readonly #publicUrl: string;
  readonly #now: () => Date;

  constructor({ db, answers, publicUrl, now = () => new Date() }: { db: PrismaClient; answers: AnswerService; publicUrl: string; now?: () => Date }) {
    this.#db = db;
    this.#answers = answers;
    this.#publicUrl = publicUrl;
    this.#now = now;
  }

  // ----- video resumes -------------------------------------------------------------------------

  async #checkAnswers(userId: string, answerIds: string[]): Promise<void> {
    const found = await this.#db.answer.count({ where: { id: { in: answerIds }, ...shareable(userId) } });
    // Someone else's answer is as unknown as a made-up id.
    if (found !== answerIds.length) throw new HttpError(404, 'ANSWER_NOT_FOUND', 'Every answer in a resume must be one of your finished answers');
  }

  async #presentResume(row: { id: string; userId: string; headline: string; profile: string; answerIds: string[]; createdAt: Date; updatedAt: Date }) {
    const answers = await this.#db.answer.findMany({ where: { id: { in: row.answerIds }, userId: row.userId }, include: { question: { select: { text: true } } } });
    const byId = new Map(answers.map((a) => [a.id, a]));
    return {
      id: row.id,
      headline: row.headline,
      profile: row.profile,
      answers: row.answerIds.flatMap((id) => {
        const a = byId.get(id);
        return a ? [{ id: a.id, question: a.question.text, durationMs: a.durationMs, createdAt: a.createdAt.toISOString() }] : [];
      }),
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  async createResume(userId: string, input: Static<typeof ResumeInput>) {
    await this.#checkAnswers(userId, input.answerIds);
    if ((await this.#db.videoResume.count({ where: { userId } })) >= RESUMES_MAX) throw new HttpError(409, 'TOO_MANY_RESUMES', `Keep at most ${RESUMES_MAX} video resumes; delete one first`);
    return this.#presentResume(await this.#db.videoResume.create({ data: { userId, ...input } }));
  }

  async #ownedResume(userId: string, id: string) {
    const row = await this.#db.videoResume.findUnique({ where: { id } });
    if (!row || row.userId !== userId) throw new HttpError(404, 'RESUME_NOT_FOUND', 'No such video resume');
    return row;
  }

  async updateResume(userId: string, id: string, input: Static<typeof ResumeInput>) {
    await this.#ownedResume(userId, id);
    await this.#checkAnswers(userId, input.answerIds);
    return this.#presentResume(await this.#db.videoResume.update({ where: { id }, data: input }));
  }

  async resumes(userId: string) {
    const rows = await this.#db.videoResume.findMany({ where: { userId }, orderBy: { createdAt: 'desc' } });
    return Promise.all(rows.map((r) => this.#presentResume(r)));
  }

  async resume(userId: string, id: string) {
    return this.#presentResume(await this.#ownedResume(userId, id));
  }

  async removeResume(userId: string, id: string): Promise<void> {
    await this.#ownedResume(userId, id);
    await this.#db.videoResume.delete({ where: { id } });
  }

  // ----- links, the owner's side ---------------------------------------------------------------

  #state(link: { revokedAt: Date | null; expiresAt: Date }): 'active' | 'expired' | 'revoked' {
    return link.revokedAt ? 'revoked' : link.expiresAt <= this.#now() ? 'expired' : 'active';
  }

  async #presentLink(link: Awaited<ReturnType<ShareService['ownedLink']>>) {
    return {
      id: link.id,
      kind: link.kind as 'answer' | 'resume',
      targetId: (link.answerId ?? link.resumeId)!,
      title: link.answer?.question.text ?? link.resume?.headline ?? '',
      label: link.label,
      expiresAt: link.expiresAt.toISOString(),
      revokedAt: link.revokedAt?.toISOString() ?? null,
      state: this.#state(link),
      include: { metrics: link.includeMetrics, feedback: link.includeFeedback, originality: link.includeOriginality },
      recipients: link.recipients,
      viewCount: link.viewCount,
      lastViewedAt: link.lastViewedAt?.toISOString() ?? null,
      createdAt: link.createdAt.toISOString(),
    };
  }

  async create(request: FastifyRequest, input: Static<typeof ShareInput>) {
    const userId = request.session!.user.id;
    if (input.kind === 'answer') await this.#checkAnswers(userId, [input.id]);
    else await this.#ownedResume(userId, input.id);
    const token = randomBytes(32).toString('base64url');
    const now = this.#now();
    const plan = await planOf(this.#db, userId, now);
    const link = await this.#db.$transaction(async (tx) => {
      // Counted and made under one lock per user, so a burst cannot make more than the plan allows.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`share-links:${userId}`}, 0))`;
      const active = await tx.shareLink.count({ where: { ownerId: userId, revokedAt: null, expiresAt: { gt: now } } });
      checkWithinPlan(plan, 'activeShareLinks', active, 'active share links');
      return tx.shareLink.create({
        data: {
          ownerId: userId,
          kind: input.kind,
          answerId: input.kind === 'answer' ? input.id : null,
          resumeId: input.kind === 'resume' ? input.id : null,
          tokenHash: hashToken(token),
          label: input.label ?? '',
          expiresAt: new Date(now.getTime() + input.expiresInDays * DAY_MS),
          recipients: (input.recipients ?? []).map((e) => e.trim().toLowerCase()),
          includeMetrics: input.include?.metrics ?? true,
          includeFeedback: input.include?.feedback ?? false,
          includeOriginality: input.include?.originality ?? false,
        },
        include: linkInclude,
      });
    });
    // Sharing keeps the recordings: retention counts from the last share or view.
    await extendRetention(this.#db, userId, await this.#answerIdsOf(link), now);
    await audit(this.#db, request, { action: 'share.create', targetType: 'share_link', targetId: link.id, details: { kind: link.kind, expiresAt: link.expiresAt.toISOString(), recipients: link.recipients.length } });
    return { link: await this.#presentLink(link), url: `${this.#publicUrl}/s/${token}` };
  }

  async ownedLink(userId: string, id: string) {
    const link = await this.#db.shareLink.findUnique({ where: { id }, include: linkInclude });
    if (!link || link.ownerId !== userId) throw new HttpError(404, 'SHARE_NOT_FOUND', 'No such share link');
    return link;
  }

  async links(userId: string) {
    const rows = await this.#db.shareLink.findMany({ where: { ownerId: userId }, include: linkInclude, orderBy: { createdAt: 'desc' }, take: 200 });
    return Promise.all(rows.map((r) => this.#presentLink(r)));
  }

  async detail(userId: string, id: string) {
    const link = await this.ownedLink(userId, id);
    const views = await this.#db.shareView.findMany({ where: { linkId: id }, orderBy: { startedAt: 'desc' }, take: 500 });
    const viewerIds = [...new Set(views.flatMap((v) => (v.viewerId ? [v.viewerId] : [])))];
    const viewers = new Map((await this.#db.user.findMany({ where: { id: { in: viewerIds } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
    return {
      link: await this.#presentLink(link),
      views: views.map((v) => ({
        id: v.id,
        viewer: v.viewerId ? { email: v.viewerEmail, name: viewers.get(v.viewerId) ?? '' } : null,
        startedAt: v.startedAt.toISOString(),
        lastSeenAt: v.lastSeenAt.toISOString(),
        watchedMs: v.watchedMs,
      })),
      feedback: await this.feedbackFor(userId, { linkId: id }),
    };
  }

  async revoke(request: FastifyRequest, id: string) {
    const link = await this.ownedLink(request.session!.user.id, id);
    const revoked = link.revokedAt ? link : await this.#db.shareLink.update({ where: { id }, data: { revokedAt: this.#now() }, include: linkInclude });
    if (!link.revokedAt) await audit(this.#db, request, { action: 'share.revoke', targetType: 'share_link', targetId: id });
    return this.#presentLink(revoked);
  }

  /** The recruiters' feedback a candidate received (visible unless an admin hid it). */
  async feedbackFor(candidateId: string, where: { linkId?: string; inviteId?: string } = {}) {
    const rows = await this.#db.recruiterFeedback.findMany({ where: { candidateId, hiddenAt: null, ...where }, orderBy: { createdAt: 'desc' }, take: 200 });
    return presentFeedbackRows(this.#db, rows);
  }

  // ----- links, the viewer's side ----------------------------------------------------------------

  findByToken(token: string) {
    if (!TOKEN.test(token)) return Promise.resolve(null);
    return this.#db.shareLink.findUnique({ where: { tokenHash: hashToken(token) }, include: { ...linkInclude, owner: { select: { name: true, headline: true, suspendedAt: true } } } });
  }

  /**
   * The link if this viewer may use it now. Unknown, revoked and expired links each say so (the
   * token is the secret, so saying which is harmless); a link for named recruiters needs one of
   * them signed in with that address verified, so nobody can sign up with a recruiter's address,
   * and holding the recruiter role: a named link is for recruiter accounts only, so a named
   * address on a plain candidate account is refused too.
   */
  async usable(token: string, viewer: Viewer): Promise<LinkRow> {
    const link = await this.findByToken(token);
    if (!link || link.owner.suspendedAt) throw new HttpError(404, 'SHARE_NOT_FOUND', 'This link does not exist');
    if (link.revokedAt) throw new HttpError(410, 'SHARE_REVOKED', 'The candidate has stopped sharing this');
    if (link.expiresAt <= this.#now()) throw new HttpError(410, 'SHARE_EXPIRED', 'This link has expired');
    if (viewer?.user.id === link.ownerId || link.recipients.length === 0) return link;
    if (!viewer) throw new HttpError(401, 'SIGN_IN_REQUIRED', 'This link is for named recruiters: sign in to watch');
    if (!viewer.user.email || !viewer.user.emailVerified || !link.recipients.includes(viewer.user.email)) throw new HttpError(403, 'SHARE_NOT_FOR_YOU', 'This link was shared with other accounts');
    if (!viewer.user.roles.includes('recruiter')) throw new HttpError(403, 'RECRUITER_ONLY', 'This link is for named recruiter accounts: this account is not a recruiter');
    return link;
  }

  async #answerIdsOf(link: { kind: string; answerId: string | null; resume: { answerIds: string[] } | null }): Promise<string[]> {
    return link.kind === 'answer' ? [link.answerId!] : (link.resume?.answerIds ?? []);
  }

  /** Opens the link: what the candidate chose to show, and a view recorded (and audited) unless it is the owner. */
  async open(request: FastifyRequest, token: string) {
    const viewer = request.session;
    const link = await this.usable(token, viewer);
    const owner = viewer?.user.id === link.ownerId;
    const now = this.#now();
    let viewId: string | null = null;
    if (!owner) {
      const view = await this.#db.shareView.create({
        data: { linkId: link.id, viewerId: viewer?.user.id ?? null, viewerEmail: viewer?.user.email ?? '', ipAddress: request.ip, userAgent: String(request.headers['user-agent'] ?? '').slice(0, 300) },
      });
      viewId = view.id;
      await this.#db.shareLink.update({ where: { id: link.id }, data: { viewCount: { increment: 1 }, lastViewedAt: now } });
      await extendRetention(this.#db, link.ownerId, await this.#answerIdsOf(link), now);
      await audit(this.#db, request, { action: 'share.view', targetType: 'share_link', targetId: link.id, details: { viewId, ownerId: link.ownerId } });
    }
    const include = { metrics: link.includeMetrics, feedback: link.includeFeedback, originality: link.includeOriginality };
    const answers = await this.sharedAnswers(link.ownerId, await this.#answerIdsOf(link), include, (id) => `/api/s/${token}/answers/${id}/recording`);
    const isRecruiter = !!viewer && !owner && viewer.user.roles.includes('recruiter');
    const mine = isRecruiter ? await this.#db.recruiterFeedback.findFirst({ where: { linkId: link.id, recruiterId: viewer.user.id } }) : null;
    return {
      kind: link.kind as 'answer' | 'resume',
      candidate: { name: link.owner.name, headline: link.owner.headline },
      resume: link.resume ? { headline: link.resume.headline, profile: link.resume.profile } : null,
      answers,
      expiresAt: link.expiresAt.toISOString(),
      viewId,
      canGiveFeedback: isRecruiter,
      myFeedback: mine ? (await presentFeedbackRows(this.#db, [mine]))[0]! : null,
    };
  }

  /**
   * The owner's answers `ids` (in that order; deleted or unfinished ones left out) as a viewer sees
   * them: video, transcript, and what `include` allows. Share links, discovery and one-way
   * interviews show answers this one way, each with its own checked media route.
   */
  async sharedAnswers(ownerId: string, ids: string[], include: { metrics: boolean; feedback: boolean; originality: boolean }, mediaUrl: (answerId: string) => string) {
    const rows = await this.#db.answer.findMany({ where: { id: { in: ids }, ...shareable(ownerId) }, include: { question: true } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const out = [];
    for (const id of ids) {
      const row = byId.get(id);
      if (!row) continue;
      const report = await this.#answers.report(ownerId, row.id).catch(() => null);
      const summary = report?.summary as unknown as AnswerSummary | undefined;
      const words = (report?.words ?? []) as unknown as TimedWord[];
      out.push({
        id: row.id,
        question: row.question.text,
        competency: row.question.competency,
        createdAt: row.createdAt.toISOString(),
        durationMs: row.durationMs,
        mediaUrl: row.recordingKey && !row.recordingDeletedAt ? mediaUrl(row.id) : null,
        transcript: words.map((w) => ({ text: w.punctuated ?? w.text, start: w.start, end: w.end })),
        metrics:
          include.metrics && summary?.pace
            ? { wpm: summary.pace.overall.wpm === null ? null : Math.round(summary.pace.overall.wpm), words: summary.words, fillers: summary.fillers.count, pauses: summary.pauses.count, starHeard: summary.star.heard }
            : null,
        feedback: include.feedback && report ? report.feedback.points.map((p) => ({ kind: p.kind, message: p.message })) : null,
        originality: include.originality && report ? { flagged: report.originality.flagged, message: report.originality.message ?? '' } : null,
      });
    }
    return out;
  }

  /** The object of one of the owner's shareable answers, if it is among `ids` and still has its recording. */
  async recordingOf(ownerId: string, ids: string[], answerId: string) {
    if (!ids.includes(answerId)) throw new HttpError(404, 'ANSWER_NOT_FOUND', 'No such answer here');
    const row = await this.#db.answer.findFirst({ where: { id: answerId, ...shareable(ownerId) } });
    if (!row?.recordingKey || row.recordingDeletedAt) throw new HttpError(404, 'NO_RECORDING', 'This recording is not there any more');
    return { key: row.recordingKey, contentType: row.container === 'mp4' ? 'video/mp4' : 'video/webm' };
  }

  /** The recording of one of the link's answers, checked like the page (each range request). */
  async recording(token: string, viewer: Viewer, answerId: string) {
    const link = await this.usable(token, viewer);
    return this.recordingOf(link.ownerId, await this.#answerIdsOf(link), answerId);
  }

  /**
   * How long this opening's video has played (the page reports it while playing); only ever grows,
   * and never past the time since the view began (a page cannot claim more than it could play).
   */
  async watched(token: string, viewer: Viewer, viewId: string, watchedMs: number): Promise<void> {
    const link = await this.usable(token, viewer);
    const view = await this.#db.shareView.findFirst({ where: { id: viewId, linkId: link.id, viewerId: viewer?.user.id ?? null }, select: { startedAt: true } });
    if (!view) throw new HttpError(404, 'VIEW_NOT_FOUND', 'No such view of this link');
    const now = this.#now();
    const played = Math.min(watchedMs, Math.max(0, now.getTime() - view.startedAt.getTime() + WATCH_SLACK_MS));
    await this.#db.shareView.updateMany({ where: { id: viewId, watchedMs: { lt: played } }, data: { watchedMs: played, lastSeenAt: now } });
  }

  /** A recruiter's ratings and comment on what a link shows them (one per recruiter per link; sending again replaces it). */
  async leaveFeedback(request: FastifyRequest, token: string, input: Static<typeof FeedbackInput>) {
    const viewer = request.session;
    const link = await this.usable(token, viewer);
    if (!viewer) throw new HttpError(401, 'SIGN_IN_REQUIRED', 'Sign in as a recruiter to leave feedback');
    if (viewer.user.id === link.ownerId) throw new HttpError(403, 'OWN_SHARE', 'This is your own share');
    if (!viewer.user.roles.includes('recruiter')) throw new HttpError(403, 'RECRUITER_ONLY', 'Only recruiter accounts can leave feedback');
    const data = { ratings: input.ratings, comment: input.comment.trim() };
    const existing = await this.#db.recruiterFeedback.findFirst({ where: { linkId: link.id, recruiterId: viewer.user.id } });
    const row = existing
      ? await this.#db.recruiterFeedback.update({ where: { id: existing.id }, data })
      : await this.#db.recruiterFeedback.create({ data: { ...data, linkId: link.id, candidateId: link.ownerId, recruiterId: viewer.user.id } });
    await audit(this.#db, request, { action: 'share.feedback', targetType: 'share_link', targetId: link.id, details: { feedbackId: row.id } });
    return (await presentFeedbackRows(this.#db, [row]))[0]!;
  }
}

const DAY_MS = 86_400_000;
const RESUMES_MAX = 20;
const linkInclude = { answer: { include: { question: { select: { text: true } } } }, resume: true } as const;

/** Feedback rows with their recruiter's name and address. */
export async function presentFeedbackRows(db: PrismaClient, rows: { id: string; recruiterId: string; ratings: unknown; comment: string; createdAt: Date; linkId: string | null; inviteId: string | null }[]) {
  const recruiters = new Map((await db.user.findMany({ where: { id: { in: rows.map((r) => r.recruiterId) } }, select: { id: true, name: true, email: true } })).map((u) => [u.id, u]));
  return rows.map((r) => ({
    id: r.id,
    recruiter: { name: recruiters.get(r.recruiterId)?.name ?? '', email: recruiters.get(r.recruiterId)?.email ?? '' },
    ratings: r.ratings as { competency: string; rating: number }[],
    comment: r.comment,
    createdAt: r.createdAt.toISOString(),
    linkId: r.linkId,
    inviteId: r.inviteId,
  }));
}
