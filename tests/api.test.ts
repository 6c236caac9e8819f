// The API over a real PostgreSQL and S3: guest sessions, CSRF, questions and answer ownership.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '@rehearse/api';
import { verifyMediaToken } from '@rehearse/core/media-token';
import { startApi, type TestApi } from './support/api.ts';
import type { TestServices } from './support/services.ts';

describe('API', () => {
  let api: TestApi;
  let services: TestServices;
  let app: App;
  let origin: string;

  beforeAll(async () => {
    // No media server listens at this address: stopping must report it, not hang.
    api = await startApi({ MEDIA_INTERNAL_URL: 'http://127.0.0.1:9' });
    ({ app, services, origin } = api);
  });

  afterAll(async () => {
    await api?.stop();
  });

  async function guest(): Promise<string> {
    const response = await app.inject({ method: 'POST', url: '/api/auth/guest', headers: { origin } });
    expect(response.statusCode).toBe(201);
    const cookie = response.cookies.find((c) => c.name === 'rehearse_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    return `rehearse_session=${cookie.value}`;
  }

  it('gives a guest a session, and nothing without one', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    const cookie = await guest();
    const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json().user).toMatchObject({ guest: true, email: null, roles: ['seeker'] });
    const tampered = cookie.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a'));
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: tampered } })).statusCode).toBe(401);
  });

  it('refuses state-changing requests from another site', async () => {
    const cross = await app.inject({ method: 'POST', url: '/api/auth/guest', headers: { origin: 'https://evil.example' } });
    expect(cross.statusCode).toBe(403);
    expect(cross.json().error.code).toBe('CROSS_SITE_REQUEST');
    const noOrigin = await app.inject({ method: 'POST', url: '/api/auth/guest', headers: { 'sec-fetch-site': 'cross-site' } });
    expect(noOrigin.statusCode).toBe(403);
  });

  it('lists the seeded questions and starts an answer with a join token for the media server', async () => {
    const cookie = await guest();
    const { questions } = (await app.inject({ method: 'GET', url: '/api/questions', headers: { cookie } })).json();
    expect(questions.length).toBeGreaterThanOrEqual(5);
    const started = await app.inject({ method: 'POST', url: '/api/answers', headers: { cookie, origin }, payload: { questionId: questions[0].id } });
    expect(started.statusCode).toBe(201);
    const { answer, join } = started.json();
    expect(answer).toMatchObject({ status: 'created', recording: null, question: { id: questions[0].id } });
    expect(join.mediaUrl).toBe(services.config.media.publicUrl);
    const claims = await verifyMediaToken(join.token, services.config.media.tokenSecret!, 'join');
    expect(claims).toMatchObject({ roomId: answer.id, answerId: answer.id, role: 'candidate', mediaUrl: join.mediaUrl });
    const me = (await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).json();
    expect(claims.userId).toBe(me.user.id);
  });

  it('shows, joins, stops and plays an answer only for its owner', async () => {
    const owner = await guest();
    const other = await guest();
    const { questions } = (await app.inject({ method: 'GET', url: '/api/questions', headers: { cookie: owner } })).json();
    const { answer } = (await app.inject({ method: 'POST', url: '/api/answers', headers: { cookie: owner, origin }, payload: { questionId: questions[1].id } })).json();
    for (const [method, url] of [
      ['GET', `/api/answers/${answer.id}`],
      ['POST', `/api/answers/${answer.id}/join`],
      ['POST', `/api/answers/${answer.id}/stop`],
      ['GET', `/api/answers/${answer.id}/playback`],
      ['GET', `/api/answers/${answer.id}/report`],
    ] as const) {
      const response = await app.inject({ method, url, headers: { cookie: other, origin } });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json().error.code).toBe('ANSWER_NOT_FOUND');
    }
    expect((await app.inject({ method: 'GET', url: `/api/answers/${answer.id}`, headers: { cookie: owner } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/api/answers/${answer.id}/playback`, headers: { cookie: owner } })).json().error.code).toBe('NO_RECORDING');
    const stop = await app.inject({ method: 'POST', url: `/api/answers/${answer.id}/stop`, headers: { cookie: owner, origin } });
    expect(stop.statusCode).toBe(502);
    expect(stop.json().error.code).toBe('MEDIA_UNAVAILABLE');

    // The report: not there until the media server saves it, then the owner's alone.
    const reportUrl = `/api/answers/${answer.id}/report`;
    const early = await app.inject({ method: 'GET', url: reportUrl, headers: { cookie: owner } });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('REPORT_NOT_READY');
    const words = [{ text: 'so', start: 0.5, end: 0.7, confidence: 0.9, engine: 'pocketsphinx' }];
    await app.db.answerReport.create({ data: { answerId: answer.id, engine: 'pocketsphinx', durationMs: 2000, words, summary: { words: 1 }, spans: [{ engine: 'pocketsphinx', from: 0, to: 0.7 }] } });
    const ready = await app.inject({ method: 'GET', url: reportUrl, headers: { cookie: owner } });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().report).toMatchObject({ answerId: answer.id, engine: 'pocketsphinx', durationMs: 2000, words, summary: { words: 1 }, sttError: null });
    // One word is not an answer: the automatic feedback says so, and nothing else.
    expect(ready.json().report.feedback).toEqual({ source: 'automatic', missing: expect.any(Array), points: [expect.objectContaining({ kind: 'improvement', topic: 'length', message: expect.stringContaining('Only 1 word was heard') })] });
    expect((await app.inject({ method: 'GET', url: reportUrl, headers: { cookie: other } })).statusCode).toBe(404);
  });

  it('answers bad input with 400 and a field-level message', async () => {
    const cookie = await guest();
    const notUuid = await app.inject({ method: 'POST', url: '/api/answers', headers: { cookie, origin }, payload: { questionId: 'nope' } });
    expect(notUuid.statusCode).toBe(400);
    expect(notUuid.json().error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('questionId') });
    const extra = await app.inject({ method: 'POST', url: '/api/answers', headers: { cookie, origin }, payload: { questionId: '00000000-0000-7000-8000-000000000000', admin: true } });
    expect(extra.statusCode).toBe(400);
    const missing = await app.inject({ method: 'POST', url: '/api/answers', headers: { cookie, origin }, payload: { questionId: '00000000-0000-7000-8000-000000000000' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('QUESTION_NOT_FOUND');
  });
});
