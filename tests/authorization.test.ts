// The authorization matrix: for every role (and a guest, and nobody), every route that reads or
// changes one user's data, tried against another user's resource. Nobody gets in; the owner does.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { App } from '@rehearse/api';
import { signUp, startGuest, useApi } from './support/api.ts';

type Role = 'seeker' | 'mentor' | 'recruiter' | 'admin';
const ROLES: Role[] = ['seeker', 'mentor', 'recruiter', 'admin'];

describe('authorization matrix', () => {
  const api = useApi();
  let app: App;
  let origin: string;
  let owner: { cookie: string; id: string };
  let answerId: string;
  let ownerSessionId: string;

  async function account(email: string, roles: Role[]) {
    const user = await signUp(app, origin, email);
    await app.db.userRole.deleteMany({ where: { userId: user.id } });
    await app.db.userRole.createMany({ data: roles.map((role) => ({ userId: user.id, role })) });
    return user;
  }

  beforeAll(async () => {
    ({ app, origin } = api);
    owner = await account('owner@example.com', ['seeker']);
    const questionId = (await app.db.question.findFirstOrThrow()).id;
    const started = await app.inject({ method: 'POST', url: '/api/answers', headers: { cookie: owner.cookie, origin }, payload: { questionId } });
    answerId = started.json().answer.id;
    const key = `users/${owner.id}/answers/${answerId}/answer.webm`;
    await app.s3.send(new PutObjectCommand({ Bucket: app.bucket, Key: key, Body: 'x' }));
    await app.db.answer.update({ where: { id: answerId }, data: { status: 'ready', recordingKey: key, recordingBytes: 1n, durationMs: 1000, container: 'webm' } });
    await app.db.answerReport.create({ data: { answerId, engine: 'pocketsphinx', durationMs: 1000, words: [], summary: {}, spans: [] } });
    ownerSessionId = (await app.db.session.findFirstOrThrow({ where: { userId: owner.id } })).id;
  });

  /** Routes on the owner's resources, with what a stranger must get. */
  const routes = () =>
    [
      { method: 'GET', url: `/api/answers/${answerId}`, stranger: 404 },
      { method: 'POST', url: `/api/answers/${answerId}/join`, stranger: 404 },
      { method: 'POST', url: `/api/answers/${answerId}/stop`, stranger: 404 },
      { method: 'GET', url: `/api/answers/${answerId}/playback`, stranger: 404 },
      { method: 'GET', url: `/api/answers/${answerId}/report`, stranger: 404 },
      { method: 'DELETE', url: `/api/auth/sessions/${ownerSessionId}`, stranger: 404 },
    ] as const;

  for (const role of ['nobody', 'guest', ...ROLES, 'every role'] as const) {
    it(`keeps ${role} out of another user's answers and sessions`, async () => {
      let cookie: string | undefined;
      if (role === 'guest') {
        cookie = (await startGuest(app, origin)).cookie;
      } else if (role !== 'nobody') {
        cookie = (await account(`${role.replace(' ', '-')}-${Date.now()}@example.com`, role === 'every role' ? ROLES : [role])).cookie;
      }
      for (const route of routes()) {
        const response = await app.inject({ method: route.method, url: route.url, headers: { origin, ...(cookie ? { cookie } : {}) } });
        expect(response.statusCode, `${role}: ${route.method} ${route.url}`).toBe(cookie ? route.stranger : 401);
      }
      // What is "mine" is always the caller's own, never the owner's.
      if (cookie) {
        const exported = (await app.inject({ method: 'GET', url: '/api/me/export', headers: { cookie } })).json();
        expect(JSON.stringify(exported)).not.toContain(answerId);
        expect(exported.account.id).not.toBe(owner.id);
        const sessions = (await app.inject({ method: 'GET', url: '/api/auth/sessions', headers: { cookie } })).json().sessions as { id: string }[];
        expect(sessions.map((s) => s.id)).not.toContain(ownerSessionId);
      }
      // The owner's things are untouched.
      expect(await app.db.answer.findUnique({ where: { id: answerId } })).not.toBeNull();
      expect(await app.db.session.findUnique({ where: { id: ownerSessionId } })).not.toBeNull();
    });
  }

  it('lets the owner do all of it', async () => {
    for (const route of routes().filter((r) => r.method === 'GET')) {
      const response = await app.inject({ method: route.method, url: route.url, headers: { cookie: owner.cookie } });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(200);
    }
    expect((await app.inject({ method: 'GET', url: '/api/me/export', headers: { cookie: owner.cookie } })).json().answers[0].id).toBe(answerId);
  });
});
