import type { S3Client } from '@aws-sdk/client-s3';
import { automaticFeedback, fingerprint, originality, topicCheck, type AnswerSummary, type TimedWord } from '@rehearse/analysis';
import type { Config } from '@rehearse/core/config';
import { joinInfo, stopRecording } from './mediaServer.ts';
import { internalUrlOf, placeRoom } from './placement.ts';
import type { PrismaClient } from '@rehearse/db';
import { checkWithinPlan, planOf, recordingUsageOf, type PlanInfo } from '../billing/plans.ts';
import { UNSTARTED_ANSWER_TTL_MS } from '../limits.ts';
import { presentQuestion, visibleTo } from '../questions/service.ts';
import { HttpError } from '../plugins/errors.ts';
import { DAY_MS, extendRetention } from '../retention/policy.ts';

const answerInclude = { question: true } as const;
type AnswerRow = NonNullable<Awaited<ReturnType<PrismaClient['answer']['findUnique']>>> & {
  question: NonNullable<Awaited<ReturnType<PrismaClient['question']['findUnique']>>>;
};

export function presentAnswer(row: AnswerRow) {
  const { question } = row;
  return {
    id: row.id,
    status: row.status,
    question: presentQuestion(question, row.userId),
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    stoppedAt: row.stoppedAt?.toISOString() ?? null,
    recording:
      row.recordingKey && row.durationMs !== null
        ? {
            key: row.recordingKey,
            bytes: Number(row.recordingBytes ?? 0),
            durationMs: row.durationMs,
            container: row.container ?? 'webm',
            audioCodec: row.audioCodec,
            videoCodec: row.videoCodec,
          }
        : null,
    recordingNote: row.recordingNote,
    parentAnswerId: row.parentAnswerId,
    mockInterviewId: row.mockInterviewId,
    cheatSheet: row.cheatSheet as 'off' | 'bullets' | 'script',
    prepItemId: row.prepItemId,
    interviewInviteId: row.interviewInviteId,
    retainUntil: row.recordingDeletedAt ? null : (row.retainUntil?.toISOString() ?? null),
    recordingDeletedAt: row.recordingDeletedAt?.toISOString() ?? null,
  };
}

export class AnswerService {
  readonly #db: PrismaClient;
  readonly #s3: S3Client;
  readonly #bucket: string;
  readonly #config: Config;

  readonly #deletePrefix: (prefix: string) => Promise<number>;

  constructor({ db, s3, bucket, config, deletePrefix }: { db: PrismaClient; s3: S3Client; bucket: string; config: Config; deletePrefix: (prefix: string) => Promise<number> }) {
    this.#deletePrefix = deletePrefix;
    this.#db = db;
    this.#s3 = s3;
    this.#bucket = bucket;
    this.#config = config;
  }

  /** The answer if it belongs to the user; otherwise the same 404 as a missing one, so ids leak nothing. */
  async owned(userId: string, answerId: string): Promise<AnswerRow> {
    const row = await this.#db.answer.findUnique({ where: { id: answerId }, include: answerInclude });
    if (!row || row.userId !== userId) throw new HttpError(404, 'ANSWER_NOT_FOUND', 'No such answer');
    return row;
  }

  async start(userId: string, questionId: string, { prepItemId, interviewInviteId, cheatSheet = 'off', ...link }: { parentAnswerId?: string; mockInterviewId?: string; prepItemId?: string; interviewInviteId?: string; cheatSheet?: 'off' | 'bullets' | 'script' } = {}) {
    // The bank's questions and the user's own, or a recruiter's question of a one-way interview
    // the user was invited to; anyone else's is as unknown as a made-up id.
    const interview = interviewInviteId ? await this.#checkInterview(userId, questionId, interviewInviteId) : null;
    const question = await this.#db.question.findFirst({ where: { id: questionId, ...(interview ? {} : visibleTo(userId)) } });
    if (!question) throw new HttpError(404, 'QUESTION_NOT_FOUND', 'No such question');
    const linked = await this.#checkLink(userId, questionId, link);
    if (prepItemId) {
      // An item of one of my prep plans, for this question; anyone else's is as unknown as a made-up id.
      const item = await this.#db.prepPlanItem.findFirst({ where: { id: prepItemId, plan: { userId } } });
      if (!item) throw new HttpError(404, 'ITEM_NOT_FOUND', 'No such item in your prep plans');
      if (item.questionId !== questionId) throw new HttpError(409, 'WRONG_QUESTION', 'That plan item is for another question');
    }
    const plan = await planOf(this.#db, userId);
    await this.#checkLimits(userId, plan);
    await this.#checkInProgress(userId, plan);
    const retainUntil = new Date(Date.now() + plan.limits.retentionDays * DAY_MS);
    const mediaUrl = await placeRoom(this.#db, this.#config);
    const row = await this.#db.answer.create({ data: { userId, questionId, mediaUrl, ...linked, cheatSheet, prepItemId: prepItemId ?? null, retainUntil, ...interview }, include: answerInclude });
    return { answer: presentAnswer(row), join: await this.#join(userId, row) };
  }

  /** A one-way interview's answer: my invitation, still open (not submitted, before the deadline), to one of its questions. */
  async #checkInterview(userId: string, questionId: string, inviteId: string) {
    const invite = await this.#db.interviewInvite.findFirst({ where: { id: inviteId, candidateId: userId }, include: { interview: true } });
    if (!invite) throw new HttpError(404, 'INVITE_NOT_FOUND', 'No such interview invitation');
    if (invite.status === 'submitted') throw new HttpError(409, 'INTERVIEW_SUBMITTED', 'You have submitted this interview already');
    if (invite.interview.deadline <= new Date()) throw new HttpError(409, 'DEADLINE_PASSED', 'The deadline for this interview has passed');
    const position = (invite.interview.questions as { questionId: string }[]).findIndex((q) => q.questionId === questionId);
    if (position < 0) throw new HttpError(409, 'NOT_IN_INTERVIEW', 'This question is not part of this interview');
    return { interviewInviteId: inviteId, interviewPosition: position };
  }

  /**
   * A follow-up answer answers its parent's follow-up question; a mock interview's answer answers
   * its current question (or that answer's follow-up). Ids of other users' answers and interviews
   * are as unknown as made-up ones.
   */
  async #checkLink(userId: string, questionId: string, { parentAnswerId, mockInterviewId }: { parentAnswerId?: string; mockInterviewId?: string }) {
    const data: { parentAnswerId?: string; mockInterviewId?: string; mockPosition?: number } = {};
    let parent: { followUpQuestionId: string | null; mockInterviewId: string | null; mockPosition: number | null } | null = null;
    if (parentAnswerId) {
      parent = await this.#db.answer.findFirst({ where: { id: parentAnswerId, userId }, select: { followUpQuestionId: true, mockInterviewId: true, mockPosition: true } });
      if (!parent) throw new HttpError(404, 'ANSWER_NOT_FOUND', 'No such answer to follow up');
      if (parent.followUpQuestionId !== questionId) throw new HttpError(409, 'NOT_THE_FOLLOW_UP', "This question is not that answer's follow-up");
      data.parentAnswerId = parentAnswerId;
    }
    if (mockInterviewId) {
      const mock = await this.#db.mockInterview.findFirst({ where: { id: mockInterviewId, userId } });
      if (!mock) throw new HttpError(404, 'MOCK_NOT_FOUND', 'No such mock interview');
      if (mock.status !== 'active') throw new HttpError(409, 'MOCK_FINISHED', 'This mock interview has finished');
      if (parent) {
        if (parent.mockInterviewId !== mock.id) throw new HttpError(409, 'NOT_IN_MOCK', 'That answer is not part of this mock interview');
        data.mockPosition = parent.mockPosition!;
      } else {
        const position = mock.questionIds.indexOf(questionId);
        if (position < 0) throw new HttpError(409, 'NOT_IN_MOCK', 'This question is not part of this mock interview');
        data.mockPosition = position;
      }
      data.mockInterviewId = mock.id;
    }
    return data;
  }

  /** The plan's practice minutes and kept recordings: starting one more answer must fit in both. */
  async #checkLimits(userId: string, plan: PlanInfo): Promise<void> {
    const usage = await recordingUsageOf(this.#db, userId);
    checkWithinPlan(plan, 'practiceMinutesPerMonth', usage.practiceMinutes, 'practice minutes a month');
    checkWithinPlan(plan, 'recordingsKept', usage.recordingsKept, 'kept recordings (delete some to make room)');
  }

  /**
   * The plan's answers at once. In progress: recording, or created recently (its page may still be
   * connecting); one created long ago that never received media is marked failed here.
   */
  async #checkInProgress(userId: string, plan: PlanInfo): Promise<void> {
    const staleBefore = new Date(Date.now() - UNSTARTED_ANSWER_TTL_MS);
    await this.#db.answer.updateMany({
      where: { userId, status: 'created', createdAt: { lt: staleBefore } },
      data: { status: 'failed', stoppedAt: new Date(), recordingNote: 'No media reached the server before the answer was given up.' },
    });
    const inProgress = await this.#db.answer.findMany({ where: { userId, bookingId: null, status: { in: ['created', 'recording'] } }, select: { id: true }, orderBy: { createdAt: 'asc' } });
    if (inProgress.length < plan.limits.answersAtOnce) return;
    throw new HttpError(409, 'ANSWER_IN_PROGRESS', `You have ${inProgress.length === 1 ? 'an answer' : `${inProgress.length} answers`} in progress; stop it before starting another`, {
      answerIds: inProgress.map((a) => a.id),
      allowed: plan.limits.answersAtOnce,
    });
  }

  /** My answers, newest first, with their report's key figures. */
  async list(userId: string, { status, questionId, before, limit = 50 }: { status?: AnswerRow['status']; questionId?: string; before?: string; limit?: number }) {
    const rows = await this.#db.answer.findMany({
      // Practice answers only: a mentor call's recordings are the booking's.
      where: { userId, bookingId: null, ...(status ? { status } : {}), ...(questionId ? { questionId } : {}), ...(before ? { createdAt: { lt: new Date(before) } } : {}) },
      include: { question: true, report: { select: { wordCount: true, wpm: true, fillerCount: true, pauseCount: true, starHeard: true } } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      answers: page.map(({ report, ...row }) => ({ answer: presentAnswer(row), metrics: report ? { words: report.wordCount, wpm: report.wpm, fillers: report.fillerCount, pauses: report.pauseCount, starHeard: report.starHeard } : null })),
      next: rows.length > limit ? page.at(-1)!.createdAt.toISOString() : null,
    };
  }

  /** Deletes one of my answers with its recording and report; not while it is still being recorded. */
  async remove(userId: string, answerId: string): Promise<void> {
    const row = await this.owned(userId, answerId);
    if (row.status === 'created' || row.status === 'recording' || row.status === 'processing') {
      throw new HttpError(409, 'ANSWER_IN_PROGRESS', 'This answer is still in progress; stop it first');
    }
    // Objects first: if S3 fails, the answer is still there to delete again, nothing is orphaned.
    await this.#deletePrefix(`users/${userId}/answers/${answerId}/`);
    await this.#db.answer.delete({ where: { id: answerId } });
  }

  /** A fresh join token, e.g. after the page lost its WebSocket. */
  async rejoin(userId: string, answerId: string) {
    const row = await this.owned(userId, answerId);
    if (row.status !== 'created' && row.status !== 'recording') throw new HttpError(409, 'ANSWER_FINISHED', 'This answer has already been stopped');
    return { answer: presentAnswer(row), join: await this.#join(userId, row) };
  }

  async #join(userId: string, row: AnswerRow) {
    return joinInfo(this.#config, { userId, roomId: row.id, role: 'candidate', answerId: row.id, mediaUrl: row.mediaUrl, interview: await this.#interviewRules(row) });
  }

  /**
   * A one-way interview's answer carries the recruiter's rules to the media server in its join
   * token: the live coaching only if the recruiter allows it, and the recording stopped by the
   * server a little past the question's answer time (the page stops it first; submitting refuses
   * a longer recording in any case).
   */
  async #interviewRules(row: AnswerRow): Promise<{ liveCoaching: boolean; maxRecordingMs: number } | null> {
    if (!row.interviewInviteId || row.interviewPosition === null) return null;
    const invite = await this.#db.interviewInvite.findUnique({ where: { id: row.interviewInviteId }, select: { interview: { select: { coaching: true, questions: true } } } });
    if (!invite) return null;
    const slot = (invite.interview.questions as { answerSeconds?: number }[])[row.interviewPosition];
    return { liveCoaching: invite.interview.coaching, maxRecordingMs: (slot?.answerSeconds ?? 0) * 1000 + INTERVIEW_STOP_SLACK_MS };
  }

  /** Asks the media server to finish the recording, which it writes to the answer row. */
  async stop(userId: string, answerId: string) {
    const row = await this.owned(userId, answerId);
    if (row.status === 'created' || row.status === 'recording') await stopRecording(this.#config, await internalUrlOf(this.#db, this.#config, row.mediaUrl), answerId);
    return presentAnswer(await this.owned(userId, answerId));
  }

  /** "Keep it longer": the recording is kept the plan's retention days from now, and any deletion warning is void. */
  async keep(userId: string, answerId: string) {
    const row = await this.owned(userId, answerId);
    if (row.recordingDeletedAt || !row.recordingKey) throw new HttpError(409, 'NO_RECORDING', 'This answer has no recording to keep');
    await extendRetention(this.#db, userId, [answerId], new Date());
    return presentAnswer(await this.owned(userId, answerId));
  }

  /** The answer's report, once the media server has saved it (within a couple of seconds of stop). */
  async report(userId: string, answerId: string) {
    const answer = await this.owned(userId, answerId);
    const row = await this.#db.answerReport.findUnique({ where: { answerId } });
    if (!row) throw new HttpError(409, 'REPORT_NOT_READY', 'The report for this answer is not ready yet');
    const words = row.words as unknown as TimedWord[];
    const summary = row.summary as unknown as AnswerSummary;
    return {
      answerId: row.answerId,
      engine: row.engine,
      durationMs: row.durationMs,
      words: words as never,
      summary: summary as unknown as Record<string, unknown>,
      spans: row.spans as never,
      sttError: row.sttError,
      createdAt: row.createdAt.toISOString(),
      // Cheap and pure, so computed when the report is read: always from the current rules.
      feedback: feedbackFor(words, summary, row.durationMs / 1000),
      originality: await this.#originality(userId, answerId, words),
      offTopic: offTopicOf(answer.question.text, words),
    };
  }

  /**
   * Generic phrasing, and similarity to other users' answers: this answer's MinHash fingerprint is
   * kept (made the first time the report is read), candidates sharing an LSH band are found through
   * the index, and only a score and a count come back.
   */
  async #originality(userId: string, answerId: string, words: TimedWord[]) {
    const own = fingerprint(words);
    // Kept the first time the report is read; later reads only look (no write per page view).
    if (own && !(await this.#db.answerFingerprint.findUnique({ where: { answerId }, select: { answerId: true } }))) {
      await this.#db.answerFingerprint.createMany({ data: [{ answerId, userId, signature: own.signature, bands: own.bands }], skipDuplicates: true });
    }
    const others = own
      ? await this.#db.answerFingerprint.findMany({ where: { bands: { hasSome: own.bands }, userId: { not: userId } }, select: { signature: true }, take: ORIGINALITY_CANDIDATES })
      : [];
    const result = originality({ words, own, others: own ? others.map((o) => o.signature).filter((s) => s.length === own.signature.length) : undefined });
    return {
      flagged: result.flagged,
      message: result.message,
      generic: { generic: result.generic.generic, score: result.generic.score, specifics: result.generic.specifics, stockPhrases: result.generic.stockPhrases, reasons: result.generic.reasons },
      similar: result.similar,
    };
  }

  /** Where the page plays the recording from: the API's own route, which checks the owner. */
  async playback(userId: string, answerId: string) {
    const row = await this.owned(userId, answerId);
    if (!row.recordingKey) throw new HttpError(409, 'NO_RECORDING', 'This answer has no recording yet');
    return { url: recordingPath(row.id), container: row.container ?? 'webm' };
  }

  /** The recording's object and how to serve it, for the owner only. */
  async recordingObject(userId: string, answerId: string): Promise<{ key: string; contentType: string }> {
    const row = await this.owned(userId, answerId);
    if (!row.recordingKey) throw new HttpError(409, 'NO_RECORDING', 'This answer has no recording yet');
    return { key: row.recordingKey, contentType: row.container === 'mp4' ? 'video/mp4' : 'video/webm' };
  }
}

/** Automatic feedback; a report saved by an older release without every metric gets none rather than an error. */
function feedbackFor(words: TimedWord[], summary: AnswerSummary, durationSeconds: number) {
  try {
    return automaticFeedback({ words, summary, durationSeconds });
  } catch {
    return { source: 'automatic' as const, points: [], missing: [] };
  }
}

/** A one-way interview's recording is stopped by the media server this long past its answer time (the page's own stop comes first). */
const INTERVIEW_STOP_SLACK_MS = 2_000;

/** Most candidate answers (sharing a band) compared when checking originality. */
const ORIGINALITY_CANDIDATES = 200;

function offTopicOf(question: string, words: TimedWord[]) {
  const check = topicCheck({ question, words });
  return check.offTopic && check.message ? { message: check.message, overlap: check.overlap } : null;
}

/** The product's own address of an answer's recording (relative to PUBLIC_URL). */
export function recordingPath(answerId: string): string {
  return `/api/answers/${answerId}/recording`;
}
