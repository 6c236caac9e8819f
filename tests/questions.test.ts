// The question bank (loaded from api/src/questions/bank.json at start), its filters and full-text
// search, and questions of one's own that nobody else can see or answer. Over a real PostgreSQL.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { App } from '@rehearse/api';
import { loadQuestionBank, readQuestionBank } from '@rehearse/api/questions/bank';
import { OWN_QUESTIONS_MAX } from '@rehearse/api/limits';
import { signUp, useApi } from './support/api.ts';

interface Q {
  id: string;
  slug: string;
  text: string;
  kind: string;
  roles: string[];
  framework: string;
  difficulty: number;
  followUps: string[];
  own: boolean;
}

describe('the question bank', () => {
  const api = useApi();
  let app: App;
  let origin: string;

  beforeAll(() => {
    ({ app, origin } = api);
  });

  const list = async (query = '', cookie?: string) => {
    const response = await app.inject({ method: 'GET', url: `/api/questions${query}`, headers: cookie ? { cookie } : {} });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().questions as Q[];
  };

  it('holds at least 150 questions of every kind, for every role, with follow-ups, loaded at start', async () => {
    const all = await list();
    expect(all.length).toBeGreaterThanOrEqual(150);
    expect(new Set(all.map((q) => q.kind))).toEqual(new Set(['behavioural', 'situational', 'role_specific', 'motivation']));
    expect(new Set(all.map((q) => q.framework))).toEqual(new Set(['star', 'carl', 'soar']));
    expect(new Set(all.map((q) => q.difficulty))).toEqual(new Set([1, 2, 3]));
    const roles = new Set(all.flatMap((q) => q.roles));
    for (const role of ['software-engineer', 'product-manager', 'data', 'design', 'sales', 'customer-success', 'people-manager', 'new-graduate']) expect(roles).toContain(role);
    expect(all.every((q) => q.followUps.length >= 1 && q.followUps.length <= 2 && !q.own)).toBe(true);
    // The first release's six questions are part of the bank now, tagged.
    expect(all.find((q) => q.slug === 'disagreement')).toMatchObject({ kind: 'behavioural', followUps: expect.arrayContaining([expect.any(String)]) });
  });

  it('loads idempotently: again nothing is written; an edited question is updated in place', async () => {
    const before = await app.db.question.count();
    expect(await loadQuestionBank(app.db)).toBe(0);
    const bank = readQuestionBank();
    const edited = bank.map((q) => (q.slug === 'tight-deadline' ? { ...q, text: `${q.text} (edited)` } : q));
    expect(await loadQuestionBank(app.db, edited)).toBe(1);
    expect((await app.db.question.findUniqueOrThrow({ where: { slug: 'tight-deadline' } })).text).toMatch(/\(edited\)$/);
    expect(await loadQuestionBank(app.db, bank)).toBe(1);
    expect(await app.db.question.count()).toBe(before);
  });

  it('refuses a malformed bank file, saying what is wrong', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-bank-'));
    try {
      const file = path.join(dir, 'bank.json');
      const one = readQuestionBank()[0]!;
      await writeFile(file, JSON.stringify({ questions: [one, one] }));
      expect(() => readQuestionBank(new URL(`file://${file}`))).toThrow(/appears twice/);
      await writeFile(file, JSON.stringify({ questions: [{ ...one, kind: 'trivia' }] }));
      expect(() => readQuestionBank(new URL(`file://${file}`))).toThrow(/kind/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('filters by kind, role, difficulty and framework', async () => {
    expect((await list('?kind=situational')).every((q) => q.kind === 'situational')).toBe(true);
    const sales = await list('?role=sales');
    expect(sales.some((q) => q.roles.includes('sales'))).toBe(true);
    // Questions for every role suit sales too; those for other roles only do not.
    expect(sales.every((q) => q.roles.length === 0 || q.roles.includes('sales'))).toBe(true);
    expect(sales.some((q) => q.roles.length === 0)).toBe(true);
    expect((await list('?difficulty=3&framework=carl')).every((q) => q.difficulty === 3 && q.framework === 'carl')).toBe(true);
    expect((await list('?kind=role_specific&role=data')).every((q) => q.kind === 'role_specific' && q.roles.includes('data'))).toBe(true);
    for (const bad of ['?kind=trivia', '?difficulty=9', '?admin=true', `?q=${'x'.repeat(201)}`]) {
      expect((await app.inject({ method: 'GET', url: `/api/questions${bad}` })).statusCode, bad).toBe(400);
    }
  });

  it('searches the text with PostgreSQL full-text search: stems, phrases, exclusions', async () => {
    const conflicts = await list('?q=conflicts');
    expect(conflicts.length).toBeGreaterThan(0);
    expect(conflicts.every((q) => /conflict/i.test(`${q.text} ${q.followUps.join(' ')}`))).toBe(true);
    const phrase = await list(`?q=${encodeURIComponent('"tight deadline"')}`);
    expect(phrase.map((q) => q.slug)).toContain('tight-deadline');
    const withoutDeadline = await list(`?q=${encodeURIComponent('project -deadline')}`);
    expect(withoutDeadline.some((q) => /deadline/i.test(q.text))).toBe(false);
    expect(await list('?q=xylophone')).toEqual([]);
    // Markup and operators are words to search for, never SQL or HTML.
    expect(await list(`?q=${encodeURIComponent("<script>alert(1)</script>' OR 1=1 --")}`)).toEqual([]);
    const both = await list('?q=customer&kind=situational');
    expect(both.length).toBeGreaterThan(0);
    expect(both.every((q) => q.kind === 'situational')).toBe(true);
  });

  it('keeps my own questions mine: nobody else sees, finds or answers them', async () => {
    const me = await signUp(app, origin, 'asker@example.com');
    const other = await signUp(app, origin, 'peeker@example.com');
    const post = (cookie: string, payload: object) => app.inject({ method: 'POST', url: '/api/questions', headers: { cookie, origin }, payload });
    const markup = 'Tell me about <img src=x onerror=alert(1)> your xylophone band?';
    const created = await post(me.cookie, { text: markup, competency: 'Music' });
    expect(created.statusCode, created.body).toBe(201);
    const question = created.json().question as Q;
    expect(question).toMatchObject({ text: markup, own: true, kind: 'behavioural', competency: 'music' });

    expect((await list('?mine=true', me.cookie)).map((q) => q.id)).toEqual([question.id]);
    expect((await list('?q=xylophone', me.cookie)).map((q) => q.id)).toEqual([question.id]);
    expect(await list('?q=xylophone', other.cookie)).toEqual([]);
    expect(await list('?q=xylophone')).toEqual([]);
    expect((await list('', other.cookie)).some((q) => q.id === question.id)).toBe(false);
    expect((await app.inject({ method: 'GET', url: `/api/questions/${question.id}`, headers: { cookie: other.cookie } })).statusCode).toBe(404);
    const theirStart = await app.inject({ method: 'POST', url: '/api/answers', headers: { cookie: other.cookie, origin }, payload: { questionId: question.id } });
    expect(theirStart.statusCode).toBe(404);
    expect(theirStart.json().error.code).toBe('QUESTION_NOT_FOUND');

    const myStart = await app.inject({ method: 'POST', url: '/api/answers', headers: { cookie: me.cookie, origin }, payload: { questionId: question.id } });
    expect(myStart.statusCode, myStart.body).toBe(201);
    expect(myStart.json().answer.question).toMatchObject({ id: question.id, own: true });
    expect((await app.inject({ method: 'DELETE', url: `/api/questions/${question.id}`, headers: { cookie: other.cookie, origin } })).statusCode).toBe(404);
    const answered = await app.inject({ method: 'DELETE', url: `/api/questions/${question.id}`, headers: { cookie: me.cookie, origin } });
    expect(answered.statusCode).toBe(409);
    expect(answered.json().error.code).toBe('QUESTION_HAS_ANSWERS');
    const bankQuestion = (await list())[0]!;
    expect((await app.inject({ method: 'DELETE', url: `/api/questions/${bankQuestion.id}`, headers: { cookie: me.cookie, origin } })).statusCode).toBe(404);

    const second = (await post(me.cookie, { text: 'What would your last manager say about you?' })).json().question as Q;
    expect((await app.inject({ method: 'DELETE', url: `/api/questions/${second.id}`, headers: { cookie: me.cookie, origin } })).statusCode).toBe(204);
    expect((await list('?mine=true', me.cookie)).map((q) => q.id)).toEqual([question.id]);
  });

  it('refuses bad questions and more than the limit, and visitors who are not signed in', async () => {
    const me = await signUp(app, origin, 'prolific@example.com');
    const post = (payload: object, cookie: string | null = me.cookie) => app.inject({ method: 'POST', url: '/api/questions', headers: { origin, ...(cookie ? { cookie } : {}) }, payload });
    expect((await post({ text: 'A question without a session' }, null)).statusCode).toBe(401);
    for (const payload of [{ text: 'short' }, { text: '          ' + ' '.repeat(20) }, { text: 'x'.repeat(501) }, { text: 'A fine question here?', kind: 'trivia' }, { text: 'A fine question here?', owner: 'someone' }]) {
      const response = await post(payload);
      expect(response.statusCode, JSON.stringify(payload).slice(0, 60)).toBe(400);
    }
    const huge = await post({ text: 'x'.repeat(1024 * 1024) });
    expect([400, 413]).toContain(huge.statusCode);
    await app.db.question.createMany({ data: Array.from({ length: OWN_QUESTIONS_MAX }, (_, i) => ({ slug: `own-limit-${i}`, text: `Question number ${i} of mine?`, ownerId: me.id, source: 'user' })) });
    const over = await post({ text: 'One question too many for me?' });
    expect(over.statusCode).toBe(409);
    expect(over.json().error.code).toBe('QUESTION_LIMIT');
  });
});
