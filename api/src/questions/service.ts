// Questions a user may see: the bank's and their own. Filters by kind, role, competency, framework
// and difficulty, and full-text search with PostgreSQL's own (English stemming, web-search syntax:
// quotes, OR, -word).
import type { Static } from 'typebox';
import type { NewQuestion, QuestionQuery } from '@rehearse/protocol';
import type { PrismaClient } from '@rehearse/db';
import { HttpError } from '../plugins/errors.ts';
import { OWN_QUESTIONS_MAX } from '../limits.ts';

type QuestionRow = NonNullable<Awaited<ReturnType<PrismaClient['question']['findUnique']>>>;

export function presentQuestion(row: QuestionRow, userId: string | null) {
  return {
    id: row.id,
    slug: row.slug,
    text: row.text,
    framework: row.framework,
    competency: row.competency,
    kind: row.kind,
    roles: row.roles,
    difficulty: row.difficulty,
    followUps: row.followUps,
    own: row.ownerId !== null && row.ownerId === userId,
  };
}

/** Questions made for one answer (the interviewer's follow-ups): the user's, but not listed with their own. */
export const FOLLOW_UP_SOURCES = ['follow_up', 'follow_up_ai'];
/** A mentor call's recording is filed under a question of its own (source call), never listed. */
export const CALL_SOURCE = 'call';
/** A recruiter's one-way interview question: answered by the invited candidates, never listed. */
export const INTERVIEW_SOURCE = 'interview';

/**
 * The bank's questions and the user's own; nobody else's. A one-way interview's questions keep
 * their candidates' answers when the recruiter's account goes (they lose their owner then), and
 * are never the bank's.
 */
export const visibleTo = (userId: string | null) => ({ OR: [{ ownerId: null, source: { not: INTERVIEW_SOURCE } }, ...(userId ? [{ ownerId: userId }] : [])] });

export class QuestionService {
  readonly #db: PrismaClient;

  constructor(db: PrismaClient) {
    this.#db = db;
  }

  async list(userId: string | null, query: Static<typeof QuestionQuery>) {
    const { kind, role, competency, framework, difficulty, q, mine } = query;
    // A visitor without a session has no questions of their own.
    if (mine && !userId) return [];
    const search = q?.trim();
    // The search ranks; the filters narrow. A search that matches nothing is an empty list.
    const ranked = search ? await this.#search(userId, search) : null;
    const rows = await this.#db.question.findMany({
      where: {
        AND: [
          visibleTo(userId),
          { source: { notIn: [...FOLLOW_UP_SOURCES, CALL_SOURCE, INTERVIEW_SOURCE] } },
          mine ? { ownerId: userId } : {},
          kind ? { kind } : {},
          // A question for every role (none listed) suits each role too.
          role ? { OR: [{ roles: { has: role } }, { roles: { isEmpty: true } }] } : {},
          competency ? { competency } : {},
          framework ? { framework } : {},
          difficulty ? { difficulty } : {},
          ranked ? { id: { in: ranked } } : {},
        ],
      },
      orderBy: [{ ownerId: { sort: 'asc', nulls: 'last' } }, { kind: 'asc' }, { slug: 'asc' }],
    });
    if (ranked) rows.sort((a, b) => ranked.indexOf(a.id) - ranked.indexOf(b.id));
    return rows.map((row) => presentQuestion(row, userId));
  }

  /** Ids of the visible questions matching the search, best first. */
  async #search(userId: string | null, search: string): Promise<string[]> {
    const rows = await this.#db.$queryRaw<{ id: string }[]>`
      SELECT id::text AS id FROM (
        SELECT id, ts_rank(document, query) AS rank
        FROM questions,
             websearch_to_tsquery('english', ${search}) AS query,
             to_tsvector('english', text || ' ' || competency || ' ' || replace(kind::text, '_', ' ') || ' ' || array_to_string(roles, ' ') || ' ' || array_to_string(follow_ups, ' ')) AS document
        WHERE document @@ query AND (owner_id IS NULL OR owner_id = ${userId}::uuid)
      ) matched
      ORDER BY rank DESC
      LIMIT 500`;
    return rows.map((r) => r.id);
  }

  /** The question if the user may see it; the same 404 as a missing one otherwise. */
  async visible(userId: string | null, id: string): Promise<QuestionRow> {
    // By primary key, then the visibility check here: about half the cost of a filtered findFirst.
    const row = await this.#db.question.findUnique({ where: { id } });
    const mine = row !== null && userId !== null && row.ownerId === userId;
    const bank = row !== null && row.ownerId === null && row.source !== INTERVIEW_SOURCE;
    if (!row || !(mine || bank)) throw new HttpError(404, 'QUESTION_NOT_FOUND', 'No such question');
    return row;
  }

  async create(userId: string, input: Static<typeof NewQuestion>) {
    const text = input.text.replace(/\s+/g, ' ').trim();
    if (text.length < 10) throw new HttpError(400, 'VALIDATION_FAILED', 'body/text must be a question of at least 10 characters');
    const count = await this.#db.question.count({ where: { ownerId: userId } });
    if (count >= OWN_QUESTIONS_MAX) throw new HttpError(409, 'QUESTION_LIMIT', `You have ${count} questions of your own, the most one account may keep; delete some first`);
    const row = await this.#db.question.create({
      data: {
        slug: `own-${crypto.randomUUID()}`,
        text,
        competency: input.competency?.trim().toLowerCase() ?? '',
        framework: input.framework ?? 'star',
        kind: input.kind ?? 'behavioural',
        source: 'user',
        ownerId: userId,
      },
    });
    return presentQuestion(row, userId);
  }

  async remove(userId: string, id: string): Promise<void> {
    const row = await this.#db.question.findFirst({ where: { id, ownerId: userId } });
    if (!row) throw new HttpError(404, 'QUESTION_NOT_FOUND', 'No such question of yours');
    if ((await this.#db.answer.count({ where: { questionId: id } })) > 0) {
      throw new HttpError(409, 'QUESTION_HAS_ANSWERS', 'You have answered this question; delete those answers first');
    }
    await this.#db.question.delete({ where: { id } });
  }
}
