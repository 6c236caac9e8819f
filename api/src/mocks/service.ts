// Mock interviews: several questions chosen by role, competencies and difficulty, asked one after
// another by the AI interviewer, each answered as an ordinary answer (and its follow-up) linked to
// the interview at its position. Where the candidate is comes from those answers alone, so a page
// reloaded midway carries on at the first question without a finished answer.
import type { Static } from 'typebox';
import type { PrismaClient } from '@rehearse/db';
import type { MockInterview, NewMockInterview } from '@rehearse/protocol';
import { figuresOf, figuresSelect, mean } from '../answers/figures.ts';
import { HttpError } from '../plugins/errors.ts';
import { presentQuestion } from '../questions/service.ts';

/** An answer that counts as given: it has what was recorded (a failed start does not). */
const GIVEN = new Set(['ready', 'interrupted', 'processing']);
/** Active mock interviews one user may have at once. */
export const ACTIVE_MOCKS_MAX = 3;

type MockRow = NonNullable<Awaited<ReturnType<PrismaClient['mockInterview']['findUnique']>>>;

/** Fisher–Yates with an injectable random source (tests pass a seeded one). */
function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export class MockInterviewService {
  readonly #db: PrismaClient;
  readonly #random: () => number;

  constructor({ db, random = Math.random }: { db: PrismaClient; random?: () => number }) {
    this.#db = db;
    this.#random = random;
  }

  async create(userId: string, input: Static<typeof NewMockInterview>): Promise<Static<typeof MockInterview>> {
    const active = await this.#db.mockInterview.count({ where: { userId, status: 'active' } });
    if (active >= ACTIVE_MOCKS_MAX) throw new HttpError(409, 'MOCKS_IN_PROGRESS', `You have ${active} mock interviews in progress; finish one first`);
    const competencies = [...new Set((input.competencies ?? []).map((c) => c.trim().toLowerCase()).filter(Boolean))];
    const role = input.role?.trim().toLowerCase() ?? '';
    // The bank's questions for the role (or every role), motivation last; the wanted competencies first.
    const bank = await this.#db.question.findMany({
      where: { ownerId: null, ...(role ? { OR: [{ roles: { has: role } }, { roles: { isEmpty: true } }] } : {}), ...(input.difficulty ? { difficulty: { lte: input.difficulty } } : {}) },
    });
    const rank = (q: (typeof bank)[number]) => (competencies.length === 0 || competencies.includes(q.competency) ? 0 : 1) + (input.difficulty && q.difficulty !== input.difficulty ? 0.5 : 0) + (role && q.roles.includes(role) ? -0.25 : 0);
    const ordered = shuffle(bank, this.#random).sort((a, b) => rank(a) - rank(b));
    // Variety: one question per competency first (best ranked first), then fill up.
    const picked: typeof bank = [];
    const competenciesPicked = new Set<string>();
    for (const q of ordered) {
      if (picked.length >= input.questions) break;
      if (competenciesPicked.has(q.competency)) continue;
      competenciesPicked.add(q.competency);
      picked.push(q);
    }
    for (const q of ordered) if (picked.length < input.questions && !picked.includes(q)) picked.push(q);
    if (picked.length === 0) throw new HttpError(422, 'NO_QUESTIONS', 'No question in the bank matches that role and difficulty; try fewer filters');
    // An opening question sets the tone: motivation ones go first when there is one, the rest as drawn.
    picked.sort((a, b) => (a.kind === 'motivation' ? -1 : 0) - (b.kind === 'motivation' ? -1 : 0));
    const perQuestion = (input.minutes * 60) / picked.length;
    const thinkSeconds = input.thinkSeconds ?? Math.min(30, Math.max(5, Math.round(perQuestion * 0.1)));
    const row = await this.#db.mockInterview.create({
      data: { userId, role, competencies, difficulty: input.difficulty ?? null, minutes: input.minutes, thinkSeconds, questionIds: picked.map((q) => q.id) },
    });
    return this.get(userId, row.id);
  }

  async #owned(userId: string, id: string): Promise<MockRow> {
    const row = await this.#db.mockInterview.findUnique({ where: { id } });
    if (!row || row.userId !== userId) throw new HttpError(404, 'MOCK_NOT_FOUND', 'No such mock interview');
    return row;
  }

  async list(userId: string) {
    const rows = await this.#db.mockInterview.findMany({ where: { userId }, orderBy: { createdAt: 'desc' }, take: 50, select: { id: true } });
    return Promise.all(rows.map((r) => this.get(userId, r.id)));
  }

  async get(userId: string, id: string): Promise<Static<typeof MockInterview>> {
    const row = await this.#owned(userId, id);
    const [questions, answers] = await Promise.all([
      this.#db.question.findMany({ where: { id: { in: row.questionIds } } }),
      this.#db.answer.findMany({ where: { mockInterviewId: id, userId }, orderBy: { createdAt: 'asc' }, select: { id: true, status: true, durationMs: true, mockPosition: true, parentAnswerId: true } }),
    ]);
    const byId = new Map(questions.map((q) => [q.id, q]));
    const latest = (position: number, followUp: boolean) => {
      const given = answers.filter((a) => a.mockPosition === position && (a.parentAnswerId !== null) === followUp);
      const chosen = given.findLast((a) => GIVEN.has(a.status)) ?? given.at(-1);
      return chosen ? { id: chosen.id, status: chosen.status, durationMs: chosen.durationMs } : null;
    };
    const items = row.questionIds.flatMap((questionId, position) => {
      const question = byId.get(questionId);
      return question ? [{ position, question: presentQuestion(question, userId), answer: latest(position, false), followUpAnswer: latest(position, true) }] : [];
    });
    const current = items.find((item) => !item.answer || !GIVEN.has(item.answer.status))?.position ?? null;
    return {
      id: row.id,
      status: row.status,
      role: row.role,
      competencies: row.competencies,
      difficulty: row.difficulty,
      minutes: row.minutes,
      thinkSeconds: row.thinkSeconds,
      items,
      current,
      createdAt: row.createdAt.toISOString(),
      finishedAt: row.finishedAt?.toISOString() ?? null,
    };
  }

  /** Ends the interview (also with questions left unanswered); its report is then final. */
  async finish(userId: string, id: string) {
    const row = await this.#owned(userId, id);
    const inProgress = await this.#db.answer.count({ where: { mockInterviewId: id, status: { in: ['created', 'recording'] } } });
    if (inProgress > 0) throw new HttpError(409, 'ANSWER_IN_PROGRESS', 'An answer of this interview is still being recorded; stop it first');
    if (row.status === 'active') await this.#db.mockInterview.update({ where: { id }, data: { status: 'finished', finishedAt: new Date() } });
    return this.get(userId, id);
  }

  /** The combined report: each question with its answer and follow-up, and the averages. */
  async report(userId: string, id: string) {
    const mock = await this.get(userId, id);
    const ids = mock.items.flatMap((item) => [item.answer?.id, item.followUpAnswer?.id]).filter((x): x is string => Boolean(x));
    const rows = await this.#db.answer.findMany({ where: { id: { in: ids }, userId }, select: { ...figuresSelect(true), followUpQuestionId: true } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const followUpIds = rows.map((r) => r.followUpQuestionId).filter((x): x is string => Boolean(x));
    const followUpQuestions = new Map((await this.#db.question.findMany({ where: { id: { in: followUpIds } }, select: { id: true, text: true } })).map((q) => [q.id, q.text]));
    const items = mock.items.map((item) => {
      const main = item.answer ? byId.get(item.answer.id) : undefined;
      const follow = item.followUpAnswer ? byId.get(item.followUpAnswer.id) : undefined;
      const followText = main?.followUpQuestionId ? followUpQuestions.get(main.followUpQuestionId) : undefined;
      return {
        position: item.position,
        question: item.question,
        answer: main ? figuresOf(main) : null,
        followUp: followText ? { question: followText, answer: follow ? figuresOf(follow) : null } : null,
      };
    });
    const answered = items.flatMap((i) => (i.answer && GIVEN.has(i.answer.status) ? [i.answer] : []));
    return {
      mockInterview: mock,
      items,
      overall: {
        answered: answered.length,
        questions: items.length,
        wpm: mean(answered.map((a) => a.wpm), 0),
        fillersPerMinute: mean(answered.map((a) => a.fillersPerMinute)),
        starCompleteness: mean(answered.map((a) => a.starHeard.length / 4), 2),
        score: mean(answered.map((a) => a.score)),
      },
    };
  }
}
