// Questions for a role, a company and a job description. With an OpenAI key the model writes them
// (structured output), they are stored as the user's own questions, and each new set counts against
// the plan's monthly allowance; the same input again is served from the cache for free. Without a
// key (or when the model fails) they are picked from the bank by the role and the competencies the
// description asks for, and labelled as such.
import { createHash } from 'node:crypto';
import type { Static } from 'typebox';
import type { FastifyBaseLogger } from 'fastify';
import type { PrismaClient } from '@rehearse/db';
import { GeneratedQuestions, type NewQuestionSet } from '@rehearse/protocol';
import { checkWithinPlan, monthStart, planOf } from '../billing/plans.ts';
import { HttpError } from '../plugins/errors.ts';
import { presentQuestion, visibleTo } from '../questions/service.ts';
import { describeAiError, structuredOutput, type Ai } from './openai.ts';
import { questionSetMessages } from './prompts.ts';

const FORMAT = structuredOutput('question_set', GeneratedQuestions);
/** Questions in a set. */
export const QUESTION_SET_SIZE = 8;

/** Competencies of the bank and the words a job description uses for them (stems, lower case). */
const COMPETENCY_WORDS: Record<string, string[]> = {
  leadership: ['lead', 'leader', 'leadership', 'mentor', 'vision', 'inspire', 'head of'],
  collaboration: ['collaborat', 'cross-functional', 'cross functional', 'teamwork', 'partner with', 'work closely'],
  communication: ['communicat', 'present', 'written', 'verbal', 'storytelling', 'articulate'],
  'stakeholder-management': ['stakeholder', 'executive', 'leadership team', 'align'],
  influence: ['influence', 'persuad', 'negotiat', 'buy-in', 'convince'],
  'problem-solving': ['problem', 'solve', 'troubleshoot', 'debug', 'root cause', 'analytical'],
  analytics: ['data', 'metric', 'analytics', 'sql', 'kpi', 'dashboard', 'insight'],
  'customer-focus': ['customer', 'client', 'user', 'account', 'empathy'],
  ownership: ['ownership', 'own ', 'accountab', 'end-to-end', 'end to end', 'self-starter', 'autonom'],
  adaptability: ['ambigu', 'fast-paced', 'fast paced', 'change', 'adapt', 'startup', 'flexib'],
  prioritization: ['priorit', 'deadline', 'roadmap', 'multiple projects', 'trade-off', 'tradeoff', 'time management'],
  delivery: ['deliver', 'ship', 'execution', 'launch', 'results'],
  'technical-depth': ['architecture', 'design systems', 'scalab', 'distributed', 'performance', 'code review', 'technical'],
  innovation: ['innovat', 'creative', 'experiment', 'new ideas', 'prototype'],
  coaching: ['coach', 'develop people', 'grow the team', 'feedback', 'hire', 'hiring'],
  judgement: ['judgement', 'judgment', 'decision', 'risk', 'trade'],
  growth: ['learn', 'growth', 'curious', 'improve'],
  ethics: ['integrity', 'ethic', 'compliance', 'privacy', 'trust'],
};

/** Role names as a job seeker types them, to the bank's role tags. */
const ROLE_WORDS: [RegExp, string][] = [
  [/\b(software|developer|engineer|programmer|backend|front-?end|full-?stack|sre|devops)\b/i, 'software-engineer'],
  [/\bproduct (manager|owner|lead)|\bpm\b/i, 'product-manager'],
  [/\b(data|analyst|analytics|scientist|machine learning|ml)\b/i, 'data'],
  [/\b(design|designer|ux|ui)\b/i, 'design'],
  [/\b(sales|account executive|business development|sdr|bdr)\b/i, 'sales'],
  [/\b(customer success|support|account manager|customer)\b/i, 'customer-success'],
  [/\b(engineering|people|team|delivery|hiring|line) (manager|lead)\b|\b(head of|director|vp)\b/i, 'people-manager'],
  [/\b(graduate|intern|junior|entry[- ]level|student)\b/i, 'new-graduate'],
];

export function rolesIn(role: string): string[] {
  return [...new Set(ROLE_WORDS.filter(([pattern]) => pattern.test(role)).map(([, tag]) => tag))];
}

/** The competencies a job description asks for, most mentioned first. */
export function competenciesIn(text: string, max = 5): string[] {
  const lower = ` ${text.toLowerCase().replace(/\s+/g, ' ')} `;
  const counts = Object.entries(COMPETENCY_WORDS)
    .map(([competency, words]) => ({ competency, count: words.reduce((n, w) => n + (lower.split(w).length - 1), 0) }))
    .filter((c) => c.count > 0)
    .sort((a, b) => b.count - a.count || a.competency.localeCompare(b.competency));
  return counts.slice(0, max).map((c) => c.competency);
}

/** Normalised input: what makes two requests "the same" for the cache. */
function inputHash(role: string, company: string, jobDescription: string): string {
  const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
  return createHash('sha256').update(JSON.stringify([norm(role), norm(company), norm(jobDescription)])).digest('hex');
}

type SetRow = NonNullable<Awaited<ReturnType<PrismaClient['questionSet']['findUnique']>>>;

export class QuestionSetService {
  readonly #db: PrismaClient;
  readonly #ai: Ai | null;
  readonly #log: FastifyBaseLogger;

  constructor({ db, ai, log }: { db: PrismaClient; ai: Ai | null; log: FastifyBaseLogger }) {
    this.#db = db;
    this.#ai = ai;
    this.#log = log;
  }

  async #present(userId: string, row: SetRow, cached: boolean, note: string | null) {
    const questions = await this.#db.question.findMany({ where: { id: { in: row.questionIds }, ...visibleTo(userId) } });
    questions.sort((a, b) => row.questionIds.indexOf(a.id) - row.questionIds.indexOf(b.id));
    return {
      id: row.id,
      role: row.role,
      company: row.company,
      source: row.source as 'ai' | 'bank',
      competencies: row.competencies,
      questions: questions.map((q) => presentQuestion(q, userId)),
      cached,
      note,
      createdAt: row.createdAt.toISOString(),
    };
  }

  async list(userId: string) {
    const rows = await this.#db.questionSet.findMany({ where: { userId, questionIds: { isEmpty: false } }, orderBy: { createdAt: 'desc' }, take: 20 });
    return Promise.all(rows.map((row) => this.#present(userId, row, true, null)));
  }

  async create(userId: string, input: Static<typeof NewQuestionSet>) {
    const role = input.role.replace(/\s+/g, ' ').trim();
    const company = (input.company ?? '').replace(/\s+/g, ' ').trim();
    const jobDescription = (input.jobDescription ?? '').trim();
    if (role.length < 2) throw new HttpError(400, 'VALIDATION_FAILED', 'body/role must name a role, e.g. "Product manager"');
    // The cache key says whether the model may be asked: without a key, the bank's pick is cached too.
    const hash = `${this.#ai ? 'ai' : 'bank'}:${inputHash(role, company, jobDescription)}`;
    const cached = await this.#db.questionSet.findUnique({ where: { userId_inputHash: { userId, inputHash: hash } } });
    if (cached) {
      if (cached.source === 'ai' && cached.questionIds.length === 0) throw new HttpError(409, 'QUESTION_SET_IN_PROGRESS', 'These questions are still being written; try again in a moment');
      return this.#present(userId, cached, true, null);
    }

    if (this.#ai) {
      const reserved = await this.#reserve(userId, hash, role, company);
      try {
        return await this.#generate(userId, reserved, role, company, jobDescription);
      } catch (error) {
        await this.#db.questionSet.delete({ where: { id: reserved.id } }).catch(() => {});
        if (error instanceof HttpError) throw error;
        const described = describeAiError(error);
        this.#log.warn({ err: error, code: described.code }, 'question generation failed; picking from the bank');
        return this.#fromBank(userId, `bank-fallback:${hash}`, role, company, jobDescription, `The AI service failed (${described.message}); these questions are picked from our bank instead.`);
      }
    }
    return this.#fromBank(userId, hash, role, company, jobDescription, null);
  }

  /**
   * Takes one of the plan's generated sets this month before asking the model: the count and the
   * placeholder row under a per-user lock, so a burst cannot overspend the allowance. The
   * placeholder (no questions yet) is the cache entry others with the same input wait for.
   */
  async #reserve(userId: string, hash: string, role: string, company: string) {
    const plan = await planOf(this.#db, userId);
    try {
      return await this.#db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`question-sets:${userId}`}, 0))`;
        const used = await tx.questionSet.count({ where: { userId, source: 'ai', createdAt: { gte: monthStart(new Date()) } } });
        checkWithinPlan(plan, 'aiQuestionSetsPerMonth', used, 'generated question sets a month');
        return tx.questionSet.create({ data: { userId, inputHash: hash, role, company, source: 'ai', questionIds: [] } });
      });
    } catch (error) {
      // The same input asked for twice at once: the first one is writing it.
      if ((error as { code?: string }).code === 'P2002') throw new HttpError(409, 'QUESTION_SET_IN_PROGRESS', 'These questions are still being written; try again in a moment');
      throw error;
    }
  }

  async #generate(userId: string, reserved: SetRow, role: string, company: string, jobDescription: string) {
    const ai = this.#ai!;
    const completion = await ai.client.chat.completions.parse({
      model: ai.model,
      messages: questionSetMessages({ role, company, jobDescription, count: QUESTION_SET_SIZE }),
      response_format: FORMAT,
      temperature: 0.7,
    });
    const message = completion.choices[0]?.message;
    if (message?.refusal) throw new HttpError(422, 'AI_REFUSED', 'The AI service declined to write questions for this input; try a different description');
    const parsed = message?.parsed;
    if (!parsed) throw new SyntaxError('no structured output');
    const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
    const roles = rolesIn(role);
    const row = await this.#db.$transaction(async (tx) => {
      const ids: string[] = [];
      for (const q of parsed.questions.slice(0, 10)) {
        const text = q.text.replace(/\s+/g, ' ').trim().slice(0, 500);
        if (text.length < 10) continue;
        const created = await tx.question.create({
          data: {
            slug: `ai-${crypto.randomUUID()}`,
            text,
            kind: q.kind,
            competency: slug(q.competency),
            framework: q.framework,
            difficulty: q.difficulty,
            roles,
            followUps: q.followUps.map((f) => f.trim().slice(0, 300)).filter((f) => f.length > 0).slice(0, 2),
            source: 'ai',
            company: company.slice(0, 80),
            ownerId: userId,
          },
        });
        ids.push(created.id);
      }
      if (ids.length === 0) throw new SyntaxError('no usable questions');
      return tx.questionSet.update({ where: { id: reserved.id }, data: { competencies: parsed.competencies.map(slug).filter(Boolean).slice(0, 8), questionIds: ids } });
    });
    return this.#present(userId, row, false, null);
  }

  /** The bank's questions for the role (or every role) that match the description's competencies best. */
  async #fromBank(userId: string, hash: string, role: string, company: string, jobDescription: string, note: string | null) {
    const competencies = competenciesIn(`${role} ${jobDescription}`);
    const roles = rolesIn(role);
    const bank = await this.#db.question.findMany({ where: { ownerId: null }, orderBy: { slug: 'asc' } });
    const scored = bank
      .map((q) => ({
        q,
        score:
          (q.roles.some((r) => roles.includes(r)) ? 3 : q.roles.length === 0 ? 1 : -5) +
          (competencies.includes(q.competency) ? 4 - competencies.indexOf(q.competency) * 0.5 : 0) +
          (q.kind === 'motivation' && company ? 1 : 0),
      }))
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score || a.q.slug.localeCompare(b.q.slug));
    // Not eight of one competency: at most two per competency while others remain.
    const picked: typeof bank = [];
    const perCompetency = new Map<string, number>();
    for (const { q } of scored) {
      if (picked.length >= QUESTION_SET_SIZE) break;
      if ((perCompetency.get(q.competency) ?? 0) >= 2) continue;
      perCompetency.set(q.competency, (perCompetency.get(q.competency) ?? 0) + 1);
      picked.push(q);
    }
    for (const { q } of scored) if (picked.length < QUESTION_SET_SIZE && !picked.includes(q)) picked.push(q);
    const row = await this.#db.questionSet.upsert({
      where: { userId_inputHash: { userId, inputHash: hash } },
      create: { userId, inputHash: hash, role, company, source: 'bank', competencies, questionIds: picked.map((q) => q.id) },
      update: {},
    });
    return this.#present(userId, row, false, note ?? 'Picked from our question bank by the role and the competencies in the description (no AI on this server).');
  }
}
