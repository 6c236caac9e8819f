// My answers: the list (mine only, newest first, a page at a time, with their report's figures)
// and deleting one with its recording and report — never someone else's, never one in progress.
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { reportFigures, type AnswerSummary } from '@rehearse/analysis';
import type { App } from '@rehearse/api';
import { signUp, useApi } from './support/api.ts';

describe('my answers', () => {
  const api = useApi();
  let app: App;
  let origin: string;
  let questionId: string;

  beforeAll(async () => {
    ({ app, origin } = api);
    questionId = (await app.db.question.findFirstOrThrow({ where: { slug: 'disagreement' } })).id;
  });

  /** An answer as the media server leaves a finished one: a recording in S3 and a report. */
  async function finished(userId: string, createdAt: Date, { status = 'ready' as 'ready' | 'recording', words = 120 } = {}) {
    const answer = await app.db.answer.create({ data: { userId, questionId, mediaUrl: 'ws://x', status, createdAt, durationMs: 61_000, container: 'webm', recordingBytes: 4n, recordingKey: `users/${userId}/answers/PLACEHOLDER/answer.webm` } });
    const key = `users/${userId}/answers/${answer.id}/answer.webm`;
    await app.db.answer.update({ where: { id: answer.id }, data: { recordingKey: key } });
    await app.s3.send(new PutObjectCommand({ Bucket: app.bucket, Key: key, Body: 'webm' }));
    await app.s3.send(new PutObjectCommand({ Bucket: app.bucket, Key: `users/${userId}/answers/${answer.id}/pieces/piece-0.webm`, Body: 'piece' }));
    // Saved as the media server saves it: the summary, and its key figures as columns.
    const summary = { words, pace: { overall: { wpm: 141.5 } }, fillers: { count: 3 }, pauses: { count: 2 }, star: { heard: ['situation', 'action'] } } as unknown as AnswerSummary;
    await app.db.answerReport.create({ data: { answerId: answer.id, engine: 'pocketsphinx', durationMs: 61_000, words: [], spans: [], summary: summary as object, ...reportFigures(summary) } });
    return answer.id;
  }
  const keysOf = async (prefix: string) => ((await app.s3.send(new ListObjectsV2Command({ Bucket: app.bucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key!);

  it('lists only my answers, newest first, with their figures, a page at a time and by status', async () => {
    const me = await signUp(app, origin, 'history@example.com');
    const other = await signUp(app, origin, 'history.other@example.com');
    const ids: string[] = [];
    for (let day = 1; day <= 5; day++) ids.push(await finished(me.id, new Date(Date.UTC(2026, 10, day))));
    const theirs = await finished(other.id, new Date(Date.UTC(2026, 10, 3)));
    const get = async (query: string, cookie = me.cookie) => {
      const response = await app.inject({ method: 'GET', url: `/api/answers${query}`, headers: { cookie } });
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as { answers: { answer: { id: string; status: string; question: { id: string } }; metrics: { words: number; wpm: number; fillers: number; pauses: number; starHeard: string[] } | null }[]; next: string | null };
    };
    const all = await get('');
    expect(all.answers.map((a) => a.answer.id)).toEqual([...ids].reverse());
    expect(all.answers.map((a) => a.answer.id)).not.toContain(theirs);
    expect(all.answers[0]!.metrics).toEqual({ words: 120, wpm: 141.5, fillers: 3, pauses: 2, starHeard: ['situation', 'action'] });
    expect(all.next).toBeNull();

    const first = await get('?limit=2');
    expect(first.answers.map((a) => a.answer.id)).toEqual([ids[4], ids[3]]);
    const second = await get(`?limit=2&before=${encodeURIComponent(first.next!)}`);
    expect(second.answers.map((a) => a.answer.id)).toEqual([ids[2], ids[1]]);
    const third = await get(`?limit=2&before=${encodeURIComponent(second.next!)}`);
    expect(third.answers.map((a) => a.answer.id)).toEqual([ids[0]]);
    expect(third.next).toBeNull();

    await app.db.answer.update({ where: { id: ids[1]! }, data: { status: 'interrupted' } });
    expect((await get('?status=interrupted')).answers.map((a) => a.answer.id)).toEqual([ids[1]]);
    expect((await get(`?questionId=${questionId}`)).answers).toHaveLength(5);
    for (const bad of ['?status=deleted', '?limit=0', '?limit=1000', '?before=yesterday', '?userId=x']) {
      expect((await app.inject({ method: 'GET', url: `/api/answers${bad}`, headers: { cookie: me.cookie } })).statusCode, bad).toBe(400);
    }
    expect((await app.inject({ method: 'GET', url: '/api/answers' })).statusCode).toBe(401);
  });

  it('deletes my answer with its recording and report; not someone else’s, not one in progress', async () => {
    const me = await signUp(app, origin, 'deleter@example.com');
    const other = await signUp(app, origin, 'deleter.other@example.com');
    const mine = await finished(me.id, new Date());
    const kept = await finished(me.id, new Date(Date.now() - 1000));
    const theirs = await finished(other.id, new Date());
    const live = await finished(me.id, new Date(), { status: 'recording' });
    const remove = (id: string, cookie: string) => app.inject({ method: 'DELETE', url: `/api/answers/${id}`, headers: { cookie, origin } });

    expect((await remove(theirs, me.cookie)).statusCode).toBe(404);
    expect(await keysOf(`users/${other.id}/answers/${theirs}/`)).toHaveLength(2);
    const inProgress = await remove(live, me.cookie);
    expect(inProgress.statusCode).toBe(409);
    expect(inProgress.json().error.code).toBe('ANSWER_IN_PROGRESS');
    const cross = await app.inject({ method: 'DELETE', url: `/api/answers/${mine}`, headers: { cookie: me.cookie, origin: 'https://evil.example' } });
    expect(cross.statusCode).toBe(403);

    expect((await remove(mine, me.cookie)).statusCode).toBe(204);
    expect(await keysOf(`users/${me.id}/answers/${mine}/`)).toEqual([]);
    expect(await app.db.answer.findUnique({ where: { id: mine } })).toBeNull();
    expect(await app.db.answerReport.findUnique({ where: { answerId: mine } })).toBeNull();
    // Everything else stays: my other answer, theirs.
    expect(await keysOf(`users/${me.id}/answers/${kept}/`)).toHaveLength(2);
    expect(await app.db.answer.findUnique({ where: { id: theirs } })).not.toBeNull();
    expect((await remove(mine, me.cookie)).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: '/api/answers/not-a-uuid', headers: { cookie: me.cookie, origin } })).statusCode).toBe(400);
  });
});
