// The interviewer's follow-up after an answer: one question, from OpenAI over the transcript, or
// offline from the question's own follow-ups and the part of the answer that was missing. It is
// kept as a question of the candidate's (source follow_up) so answering it is an ordinary answer,
// linked to the first by parentAnswerId.
import type { AnswerSummary, TimedWord } from '@rehearse/analysis';
import type { FastifyBaseLogger } from 'fastify';
import type { PrismaClient } from '@rehearse/db';
import { GeneratedFollowUp } from '@rehearse/protocol';
import { presentQuestion } from '../questions/service.ts';
import { HttpError } from '../plugins/errors.ts';
import { describeAiError, structuredOutput, type Ai } from './openai.ts';
import { followUpMessages, type FrameworkId } from './prompts.ts';

const FORMAT = structuredOutput('follow_up', GeneratedFollowUp);

/** What to ask about a part the answer did not have, when none of the question's follow-ups does. */
const PART_QUESTIONS: Record<string, string> = {
  situation: 'Before we go on: set the scene for me. Where were you, and what was at stake?',
  task: 'What exactly were you responsible for there, and what did success look like?',
  action: 'Walk me through what you did yourself, step by step.',
  result: 'What was the result, and how did you know it had worked?',
};
/** Words that show a follow-up asks about that part. */
const PART_WORDS: Record<string, RegExp> = {
  situation: /\b(context|situation|background|stake)\b/i,
  task: /\b(goal|responsib|role|expected|success)\w*/i,
  action: /\b(you do|did you|steps?|approach|yourself|how did you)\b/i,
  result: /\b(result|outcome|impact|measure|metric|know it|worked|differently|learn)\w*/i,
};

/** Offline: the question's follow-up that asks about the first missing part; else that part's own question; else its first follow-up. */
export function bankFollowUp(followUps: readonly string[], missing: readonly string[], asked: ReadonlySet<string> = new Set()): string {
  const fresh = followUps.filter((f) => !asked.has(f));
  for (const part of missing) {
    const matching = fresh.find((f) => PART_WORDS[part]?.test(f));
    if (matching) return matching;
  }
  const firstMissing = missing.find((part) => PART_QUESTIONS[part]);
  if (firstMissing) return PART_QUESTIONS[firstMissing]!;
  return fresh[0] ?? followUps[0] ?? 'What would you do differently if you faced the same situation again?';
}

export class FollowUpService {
  readonly #db: PrismaClient;
  readonly #ai: Ai | null;
  readonly #log: FastifyBaseLogger;

  constructor({ db, ai, log }: { db: PrismaClient; ai: Ai | null; log: FastifyBaseLogger }) {
    this.#db = db;
    this.#ai = ai;
    this.#log = log;
  }

  /** The follow-up to one of my answers: made the first time it is asked for, the same one after. */
  async forAnswer(userId: string, answerId: string) {
    const answer = await this.#db.answer.findUnique({ where: { id: answerId }, include: { question: true, report: true } });
    if (!answer || answer.userId !== userId) throw new HttpError(404, 'ANSWER_NOT_FOUND', 'No such answer');
    if (!answer.report) throw new HttpError(409, 'REPORT_NOT_READY', 'The report for this answer is not ready yet');
    if (answer.followUpQuestionId) return this.#present(userId, answer.id, answer.followUpQuestionId);

    const words = answer.report.words as unknown as TimedWord[];
    const summary = answer.report.summary as unknown as Partial<AnswerSummary>;
    const missing = ['situation', 'task', 'action', 'result'].filter((p) => !answer.report!.starHeard.includes(p));
    let text: string | null = null;
    let source: 'ai' | 'bank' = 'bank';
    if (this.#ai && words.length > 0) {
      try {
        const completion = await this.#ai.client.chat.completions.parse({
          model: this.#ai.model,
          messages: followUpMessages({ question: { text: answer.question.text, competency: answer.question.competency, framework: answer.question.framework as FrameworkId }, words }),
          response_format: FORMAT,
          temperature: 0.4,
        });
        const question = completion.choices[0]?.message.parsed?.question.replace(/\s+/g, ' ').trim();
        if (question && question.length >= 10) {
          text = question.slice(0, 300);
          source = 'ai';
        }
      } catch (error) {
        this.#log.warn({ err: error, answerId, code: describeAiError(error).code }, 'AI follow-up failed; using the bank');
      }
    }
    text ??= bankFollowUp(answer.question.followUps, summary.words === 0 ? [] : missing);

    // Made once even if two requests race: the answer row is claimed with its question id.
    const question = await this.#db.$transaction(async (tx) => {
      const created = await tx.question.create({
        data: {
          slug: `follow-up-${crypto.randomUUID()}`,
          text,
          competency: answer.question.competency,
          framework: answer.question.framework,
          kind: answer.question.kind,
          difficulty: answer.question.difficulty,
          source: source === 'ai' ? 'follow_up_ai' : 'follow_up',
          ownerId: userId,
        },
      });
      const claimed = await tx.answer.updateMany({ where: { id: answer.id, followUpQuestionId: null }, data: { followUpQuestionId: created.id } });
      if (claimed.count === 0) {
        await tx.question.delete({ where: { id: created.id } });
        return null;
      }
      return created;
    });
    const questionId = question?.id ?? (await this.#db.answer.findUniqueOrThrow({ where: { id: answer.id } })).followUpQuestionId!;
    return this.#present(userId, answer.id, questionId);
  }

  async #present(userId: string, answerId: string, questionId: string) {
    const [question, answers] = await Promise.all([
      this.#db.question.findUniqueOrThrow({ where: { id: questionId } }),
      this.#db.answer.findMany({ where: { parentAnswerId: answerId, userId }, select: { id: true }, orderBy: { createdAt: 'asc' } }),
    ]);
    return { answerId, question: presentQuestion(question, userId), source: question.source === 'follow_up_ai' ? ('ai' as const) : ('bank' as const), answerIds: answers.map((a) => a.id) };
  }
}
