// The question bank: bank.json, written by us, upserted by slug when the API starts (one statement,
// so several API processes starting at once are safe). A question edited in the file is updated;
// one removed from the file stays (answers may point at it).
import { readFileSync } from 'node:fs';
import { Compile } from 'typebox/compile';
import { Type, type Static } from 'typebox';
import type { PrismaClient } from '@rehearse/db';

const BankQuestion = Type.Object(
  {
    slug: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 80 }),
    text: Type.String({ minLength: 10, maxLength: 500 }),
    kind: Type.Union([Type.Literal('behavioural'), Type.Literal('situational'), Type.Literal('role_specific'), Type.Literal('motivation')]),
    competency: Type.String({ minLength: 2, maxLength: 40 }),
    roles: Type.Array(Type.String({ minLength: 2, maxLength: 40 })),
    framework: Type.Union([Type.Literal('star'), Type.Literal('carl'), Type.Literal('soar')]),
    difficulty: Type.Integer({ minimum: 1, maximum: 3 }),
    followUps: Type.Array(Type.String({ minLength: 5, maxLength: 300 }), { minItems: 1, maxItems: 3 }),
  },
  { additionalProperties: false },
);
const BankFile = Compile(Type.Object({ $comment: Type.Optional(Type.String()), questions: Type.Array(BankQuestion, { minItems: 1 }) }, { additionalProperties: false }));
export type BankQuestion = Static<typeof BankQuestion>;

/** Reads and checks the bank file; a malformed file stops the API at start, naming the problem. */
export function readQuestionBank(file = new URL('./bank.json', import.meta.url)): BankQuestion[] {
  const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!BankFile.Check(data)) {
    const [first] = BankFile.Errors(data);
    throw new Error(`question bank ${file}: ${first?.instancePath ?? ''} ${first?.message ?? 'is malformed'}`);
  }
  const slugs = new Set<string>();
  for (const q of data.questions) {
    if (slugs.has(q.slug)) throw new Error(`question bank ${file}: slug ${q.slug} appears twice`);
    slugs.add(q.slug);
  }
  return data.questions;
}

/** Upserts the bank; returns how many rows were written (new or changed). */
export async function loadQuestionBank(db: PrismaClient, questions: BankQuestion[] = readQuestionBank()): Promise<number> {
  const rows = JSON.stringify(questions.map(({ followUps, ...q }) => ({ ...q, follow_ups: followUps })));
  return db.$executeRaw`
    INSERT INTO questions (id, slug, text, framework, competency, kind, roles, difficulty, follow_ups, source)
    SELECT gen_random_uuid(), q.slug, q.text, q.framework::"AnswerFramework", q.competency, q.kind::"QuestionKind", q.roles, q.difficulty, q.follow_ups, 'bank'
    FROM jsonb_to_recordset(${rows}::jsonb) AS q(slug text, text text, framework text, competency text, kind text, roles text[], difficulty int, follow_ups text[])
    ON CONFLICT (slug) DO UPDATE SET
      text = EXCLUDED.text, framework = EXCLUDED.framework, competency = EXCLUDED.competency, kind = EXCLUDED.kind,
      roles = EXCLUDED.roles, difficulty = EXCLUDED.difficulty, follow_ups = EXCLUDED.follow_ups, source = 'bank'
    WHERE questions.owner_id IS NULL
      AND (questions.text, questions.framework, questions.competency, questions.kind, questions.roles, questions.difficulty, questions.follow_ups, questions.source)
          IS DISTINCT FROM (EXCLUDED.text, EXCLUDED.framework, EXCLUDED.competency, EXCLUDED.kind, EXCLUDED.roles, EXCLUDED.difficulty, EXCLUDED.follow_ups, 'bank')`;
}
