// AI feedback on the take a candidate asks for: a structured report streamed from OpenAI while it
// is written, saved when complete, counted against the plan's monthly AI feedback. Generation runs
// on its own (a page that goes away loses nothing: the report is saved, and a reloaded page follows
// the rest of the stream). Any failure is saved as such, costs nothing, and leaves the answer and
// its automatic feedback as they were.
import { EventEmitter } from 'node:events';
import type { Static } from 'typebox';
import type { AnswerSummary, TimedWord } from '@rehearse/analysis';
import type { FastifyBaseLogger } from 'fastify';
import type { PrismaClient } from '@rehearse/db';
import { AiFeedbackReport, type AiFeedback as AiFeedbackSchema } from '@rehearse/protocol';
import { aiFeedbackUsed, checkWithinPlan, planOf } from '../billing/plans.ts';
import { mean } from '../answers/figures.ts';
import { HttpError } from '../plugins/errors.ts';
import { describeAiError, structuredOutput, type Ai } from './openai.ts';
import { feedbackMessages, type FrameworkId } from './prompts.ts';

type Report = Static<typeof AiFeedbackReport>;
type AiFeedback = Static<typeof AiFeedbackSchema>;
type FeedbackRow = NonNullable<Awaited<ReturnType<PrismaClient['answerFeedback']['findUnique']>>>;

/** What a stream subscriber hears: the text so far first, then each delta, then the saved row. */
export type FeedbackEvent = { type: 'text'; text: string } | { type: 'delta'; delta: string } | { type: 'done'; feedback: AiFeedback };

const FORMAT = structuredOutput('answer_feedback', AiFeedbackReport);

/** Text generated so far for each feedback in progress on this API process. */
class Generation extends EventEmitter<{ event: [FeedbackEvent] }> {
  text = '';
  readonly abort = new AbortController();
}

export function presentFeedback(row: FeedbackRow, streaming: boolean): AiFeedback {
  return {
    id: row.id,
    answerId: row.answerId,
    status: row.status,
    model: row.model,
    report: (row.report as Report | null) ?? null,
    score: row.score,
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? '' } : null,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
    streamUrl: row.status === 'streaming' && streaming ? `/api/answers/${row.answerId}/feedback/${row.id}/stream` : null,
  };
}

/** Mean rubric score, one decimal. */
export function rubricScore(report: Report): number {
  return mean(Object.values(report.rubric).map((r) => r.score))!;
}

/** A quote's time clamped into the answer, strings of the report trimmed to what a page shows. */
function tidy(report: Report, durationSeconds: number): Report {
  const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
  const point = (p: Report['strengths'][number]) => ({ point: clip(p.point, 600), quote: clip(p.quote, 400), at: Math.min(Math.max(0, p.at), durationSeconds) });
  return {
    ...report,
    summary: clip(report.summary, 1200),
    strengths: report.strengths.map(point),
    improvements: report.improvements.map(point),
    strongerVersion: { part: clip(report.strongerVersion.part, 40), text: clip(report.strongerVersion.text, 2000) },
    offTopicNote: report.onTopic ? '' : clip(report.offTopicNote, 600),
  };
}

export class FeedbackService {
  readonly #db: PrismaClient;
  readonly #ai: Ai | null;
  readonly #log: FastifyBaseLogger;
  readonly #timeoutMs: number;
  readonly #deadlineMs: number;
  readonly #generations = new Map<string, Generation>();

  constructor({ db, ai, log, timeoutMs, maxRetries }: { db: PrismaClient; ai: Ai | null; log: FastifyBaseLogger; timeoutMs: number; maxRetries: number }) {
    this.#db = db;
    this.#ai = ai;
    this.#log = log;
    this.#timeoutMs = timeoutMs;
    this.#deadlineMs = timeoutMs * (maxRetries + 1) + 1000;
  }

  get available(): boolean {
    return this.#ai !== null;
  }

  async #ownedAnswer(userId: string, answerId: string) {
    const answer = await this.#db.answer.findUnique({ where: { id: answerId }, include: { question: true, report: true } });
    if (!answer || answer.userId !== userId) throw new HttpError(404, 'ANSWER_NOT_FOUND', 'No such answer');
    return answer;
  }

  /** The same 404 as #ownedAnswer, without reading the transcript (lists and streams need only the owner). */
  async #checkOwner(userId: string, answerId: string): Promise<void> {
    const answer = await this.#db.answer.findUnique({ where: { id: answerId }, select: { userId: true } });
    if (!answer || answer.userId !== userId) throw new HttpError(404, 'ANSWER_NOT_FOUND', 'No such answer');
  }

  /** The answer's AI feedbacks, newest first, with this month's allowance. */
  async list(userId: string, answerId: string) {
    await this.#checkOwner(userId, answerId);
    await this.#expireOrphans(answerId);
    const [rows, used, plan] = await Promise.all([
      this.#db.answerFeedback.findMany({ where: { answerId }, orderBy: { createdAt: 'desc' } }),
      aiFeedbackUsed(this.#db, userId),
      planOf(this.#db, userId),
    ]);
    return { feedbacks: rows.map((row) => presentFeedback(row, this.#generations.has(row.id))), available: this.available, used, allowed: plan.limits.aiFeedbackPerMonth };
  }

  /**
   * Asks for AI feedback on one take. One at a time per answer (asking again while one streams
   * returns it); the plan's monthly allowance is checked and taken under a per-user lock, so a
   * burst of requests cannot overspend it.
   */
  async request(userId: string, answerId: string): Promise<{ feedback: AiFeedback; created: boolean }> {
    if (!this.#ai) throw new HttpError(409, 'AI_NOT_CONFIGURED', 'AI feedback needs an OpenAI key on this server (OPENAI_API_KEY); the automatic feedback is shown instead');
    const ai = this.#ai;
    const answer = await this.#ownedAnswer(userId, answerId);
    if (!answer.report) throw new HttpError(409, 'REPORT_NOT_READY', 'The report for this answer is not ready yet');
    if (answer.report.wordCount === 0) throw new HttpError(409, 'NOTHING_TO_REVIEW', 'No speech was heard in this answer, so there is nothing for the AI coach to review');
    await this.#expireOrphans(answerId);
    const plan = await planOf(this.#db, userId);
    const outcome = await this.#db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`ai-feedback:${userId}`}, 0))`;
      const streaming = await tx.answerFeedback.findFirst({ where: { answerId, status: 'streaming' } });
      if (streaming) return { row: streaming, created: false };
      checkWithinPlan(plan, 'aiFeedbackPerMonth', await aiFeedbackUsed(tx, userId), 'AI feedback reports a month');
      return { row: await tx.answerFeedback.create({ data: { answerId, userId, model: ai.model } }), created: true };
    });
    if (outcome.created) {
      const generation = new Generation();
      this.#generations.set(outcome.row.id, generation);
      const report = answer.report;
      // Started now, not after the reply: the request to OpenAI is on its way while the page subscribes.
      void this.#generate(ai, outcome.row, generation, {
        question: { text: answer.question.text, competency: answer.question.competency, framework: answer.question.framework as FrameworkId },
        words: report.words as unknown as TimedWord[],
        summary: report.summary as unknown as AnswerSummary,
        durationSeconds: report.durationMs / 1000,
      });
    }
    return { feedback: presentFeedback(outcome.row, this.#generations.has(outcome.row.id)), created: outcome.created };
  }

  async #generate(ai: Ai, row: FeedbackRow, generation: Generation, input: Parameters<typeof feedbackMessages>[0]): Promise<void> {
    let saved: FeedbackRow;
    // The SDK's timeout (per attempt) ends at the response headers; this deadline covers the
    // whole streamed answer, retries included.
    const signal = AbortSignal.any([generation.abort.signal, AbortSignal.timeout(this.#deadlineMs)]);
    try {
      const stream = ai.client.chat.completions.stream({ model: ai.model, messages: feedbackMessages(input), response_format: FORMAT, temperature: 0.3 }, { signal });
      stream.on('content.delta', ({ delta }) => {
        generation.text += delta;
        generation.emit('event', { type: 'delta', delta });
      });
      const completion = await stream.finalChatCompletion();
      const message = completion.choices[0]?.message;
      if (message?.refusal) throw Object.assign(new Error(message.refusal), { refused: true });
      const parsed = message?.parsed;
      if (!parsed) throw new SyntaxError('no structured output');
      const report = tidy(parsed, input.durationSeconds);
      saved = await this.#db.answerFeedback.update({ where: { id: row.id }, data: { status: 'complete', report, score: rubricScore(report), completedAt: new Date() } });
    } catch (error) {
      const refused = (error as { refused?: boolean }).refused === true;
      const timedOut = signal.aborted && !generation.abort.signal.aborted;
      const described = refused
        ? { code: 'AI_REFUSED', message: 'The AI coach declined to review this answer.' }
        : timedOut
          ? { code: 'AI_TIMEOUT', message: 'The AI service took too long to write the feedback.' }
          : describeAiError(error);
      this.#log.warn({ err: error, feedbackId: row.id, code: described.code }, 'AI feedback failed; the automatic feedback stands');
      saved = await this.#db.answerFeedback
        .update({ where: { id: row.id }, data: { status: 'failed', errorCode: described.code, errorMessage: described.message, completedAt: new Date() } })
        .catch((saveError: unknown) => {
          this.#log.error({ err: saveError, feedbackId: row.id }, 'the failed AI feedback could not be saved');
          return { ...row, status: 'failed' as const, errorCode: described.code, errorMessage: described.message, completedAt: new Date() };
        });
    }
    this.#generations.delete(row.id);
    generation.emit('event', { type: 'done', feedback: presentFeedback(saved, false) });
  }

  /**
   * Follows one feedback: the text so far, every delta, then the saved row. Finished ones answer
   * `done` at once; one left streaming by an API process that is gone is marked failed first.
   */
  async follow(userId: string, answerId: string, feedbackId: string, onEvent: (event: FeedbackEvent) => void): Promise<() => void> {
    await this.#checkOwner(userId, answerId);
    const generation = this.#generations.get(feedbackId);
    if (generation) {
      onEvent({ type: 'text', text: generation.text });
      const listener = (event: FeedbackEvent) => onEvent(event);
      generation.on('event', listener);
      return () => generation.off('event', listener);
    }
    await this.#expireOrphans(answerId);
    const row = await this.#db.answerFeedback.findUnique({ where: { id: feedbackId } });
    if (!row || row.answerId !== answerId) throw new HttpError(404, 'FEEDBACK_NOT_FOUND', 'No such feedback');
    onEvent({ type: 'done', feedback: presentFeedback(row, false) });
    return () => {};
  }

  /** Rows left streaming past the timeout with nobody generating them here (the process died). */
  async #expireOrphans(answerId: string): Promise<void> {
    const staleBefore = new Date(Date.now() - this.#timeoutMs * 3 - 30_000);
    const stale = await this.#db.answerFeedback.findMany({ where: { answerId, status: 'streaming', createdAt: { lt: staleBefore } }, select: { id: true } });
    const orphans = stale.map((r) => r.id).filter((id) => !this.#generations.has(id));
    if (orphans.length === 0) return;
    await this.#db.answerFeedback.updateMany({
      where: { id: { in: orphans }, status: 'streaming' },
      data: { status: 'failed', errorCode: 'AI_INTERRUPTED', errorMessage: 'The AI feedback was interrupted (the server restarted); ask again, it was not counted.', completedAt: new Date() },
    });
  }

  /** Closing the API: generations in flight are aborted and saved as interrupted. */
  async close(): Promise<void> {
    const pending = [...this.#generations.values()].map((g) => new Promise<void>((resolve) => g.on('event', (event) => event.type === 'done' && resolve())));
    for (const generation of this.#generations.values()) generation.abort.abort();
    await Promise.race([Promise.all(pending), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
  }
}
