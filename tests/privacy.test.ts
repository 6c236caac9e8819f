// My profile, my data as one export, and deleting my account — every row and every S3 object that
// belongs to me gone (the bucket is listed to prove it), everybody else's untouched.
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BYTES } from '@rehearse/core/limits';
import type { App } from '@rehearse/api';
import { PNG, signUp, startGuest, useApi } from './support/api.ts';

describe('my profile and my data', () => {
  const api = useApi();
  let app: App;
  let origin: string;

  beforeAll(() => {
    ({ app, origin } = api);
  });

  const keysUnder = async (prefix: string) => ((await app.s3.send(new ListObjectsV2Command({ Bucket: app.bucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key!);

  it('edits the profile and stores the avatar in S3 as a re-encoded picture, served only to its owner', async () => {
    const { cookie } = await signUp(app, origin, 'mary@example.com');
    const patch = await app.inject({ method: 'PATCH', url: '/api/me/profile', headers: { cookie, origin }, payload: { name: 'Mary', headline: 'Staff engineer', timezone: 'Europe/Berlin' } });
    expect(patch.statusCode, patch.body).toBe(200);
    expect(patch.json()).toMatchObject({ name: 'Mary', headline: 'Staff engineer', timezone: 'Europe/Berlin', avatarUrl: null });
    const badZone = await app.inject({ method: 'PATCH', url: '/api/me/profile', headers: { cookie, origin }, payload: { timezone: 'Mars/Olympus' } });
    expect(badZone.statusCode).toBe(400);
    expect(badZone.json().error.message).toContain('timezone');

    const avatar = await app.inject({ method: 'PUT', url: '/api/me/avatar', headers: { cookie, origin, 'content-type': 'image/png' }, payload: PNG });
    expect(avatar.statusCode, avatar.body).toBe(200);
    const url = avatar.json().avatarUrl as string;
    expect(url).toMatch(/^\/api\/me\/avatar\?v=/);
    const served = await app.inject({ method: 'GET', url, headers: { cookie } });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/webp');
    expect(await sharp(served.rawPayload).metadata()).toMatchObject({ format: 'webp', width: 512, height: 512 });
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
    const fake = await app.inject({ method: 'PUT', url: '/api/me/avatar', headers: { cookie, origin, 'content-type': 'image/png' }, payload: Buffer.from('<script>alert(1)</script>') });
    expect(fake.statusCode).toBe(415);
    expect(fake.json().error.code).toBe('NOT_AN_IMAGE');
    const huge = await app.inject({ method: 'PUT', url: '/api/me/avatar', headers: { cookie, origin, 'content-type': 'image/png' }, payload: Buffer.concat([PNG, Buffer.alloc(MAX_UPLOAD_BYTES)]) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than 5 MiB' });
    expect((await app.inject({ method: 'GET', url: '/api/me/profile' })).statusCode).toBe(401);
  });

  it('exports everything of mine as JSON, with links to my recordings', async () => {
    const { cookie, id } = await signUp(app, origin, 'ida@example.com');
    const { questions } = (await app.inject({ method: 'GET', url: '/api/questions', headers: { cookie } })).json();
    const { answer } = (await app.inject({ method: 'POST', url: '/api/answers', headers: { cookie, origin }, payload: { questionId: questions[0].id } })).json();
    // As the media server leaves a finished answer: the recording in S3, its key on the row, a report.
    const key = `users/${id}/answers/${answer.id}/answer.webm`;
    await app.s3.send(new PutObjectCommand({ Bucket: app.bucket, Key: key, Body: 'webm bytes' }));
    await app.db.answer.update({ where: { id: answer.id }, data: { status: 'ready', recordingKey: key, recordingBytes: 10n, durationMs: 1000, container: 'webm' } });
    await app.db.answerReport.create({ data: { answerId: answer.id, engine: 'pocketsphinx', durationMs: 1000, words: [], summary: { words: 0 }, spans: [] } });

    const response = await app.inject({ method: 'GET', url: '/api/me/export', headers: { cookie } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-disposition']).toContain('attachment');
    const data = response.json();
    expect(data.account).toMatchObject({ id, email: 'ida@example.com', roles: ['seeker'] });
    expect(JSON.stringify(data)).not.toMatch(/passwordHash|secretHash|argon2/);
    expect(data.answers).toHaveLength(1);
    expect(data.answers[0]).toMatchObject({ id: answer.id, recordingBytes: 10, report: { engine: 'pocketsphinx' }, question: { id: questions[0].id } });
    // The link is the product's own (the API checks who asks), not the object store's.
    const link = new URL(data.answers[0].recordingUrl);
    expect(link.origin).toBe(origin);
    expect((await app.inject({ method: 'GET', url: link.pathname, headers: { cookie } })).body).toBe('webm bytes');
    expect((await app.inject({ method: 'GET', url: link.pathname })).statusCode).toBe(401);
    const stranger = await signUp(app, origin, 'ida.stranger@example.com');
    expect((await app.inject({ method: 'GET', url: link.pathname, headers: { cookie: stranger.cookie } })).statusCode).toBe(404);
  });

  it('deletes my account: every row and every object of mine, nobody else’s', async () => {
    const me = await signUp(app, origin, 'ada.deleted@example.com');
    const other = await signUp(app, origin, 'other.kept@example.com');
    for (const user of [me, other]) {
      const { questions } = (await app.inject({ method: 'GET', url: '/api/questions', headers: { cookie: user.cookie } })).json();
      const { answer } = (await app.inject({ method: 'POST', url: '/api/answers', headers: { cookie: user.cookie, origin }, payload: { questionId: questions[0].id } })).json();
      await app.s3.send(new PutObjectCommand({ Bucket: app.bucket, Key: `users/${user.id}/answers/${answer.id}/answer.webm`, Body: 'x' }));
      await app.s3.send(new PutObjectCommand({ Bucket: app.bucket, Key: `users/${user.id}/answers/${answer.id}/pieces/0000.webm`, Body: 'y' }));
      await app.inject({ method: 'PUT', url: '/api/me/avatar', headers: { cookie: user.cookie, origin, 'content-type': 'image/png' }, payload: PNG });
    }
    expect(await keysUnder(`users/${me.id}/`)).toHaveLength(3);

    const noPassword = await app.inject({ method: 'DELETE', url: '/api/me', headers: { cookie: me.cookie, origin }, payload: {} });
    expect(noPassword.statusCode).toBe(403);
    expect(noPassword.json().error.code).toBe('PASSWORD_REQUIRED');
    const cross = await app.inject({ method: 'DELETE', url: '/api/me', headers: { cookie: me.cookie, origin: 'https://evil.example' }, payload: { password: 'a long enough password' } });
    expect(cross.statusCode).toBe(403);

    const deleted = await app.inject({ method: 'DELETE', url: '/api/me', headers: { cookie: me.cookie, origin }, payload: { password: 'a long enough password' } });
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect(await keysUnder(`users/${me.id}/`)).toEqual([]);
    expect(await app.db.user.findUnique({ where: { id: me.id } })).toBeNull();
    for (const table of [app.db.session, app.db.answer, app.db.userRole, app.db.emailToken] as unknown as { count(q: object): Promise<number> }[]) {
      expect(await table.count({ where: { userId: me.id } })).toBe(0);
    }
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: me.cookie } })).statusCode).toBe(401);

    // The other account is whole.
    expect(await keysUnder(`users/${other.id}/`)).toHaveLength(3);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: other.cookie } })).statusCode).toBe(200);
    const kept = await app.s3.send(new GetObjectCommand({ Bucket: app.bucket, Key: (await keysUnder(`users/${other.id}/answers/`))[0] }));
    expect(kept.$metadata.httpStatusCode).toBe(200);
  });

  it('lets a guest delete everything too, without a password', async () => {
    const { cookie, id } = await startGuest(app, origin);
    const deleted = await app.inject({ method: 'DELETE', url: '/api/me', headers: { cookie, origin }, payload: {} });
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect(await app.db.user.findUnique({ where: { id } })).toBeNull();
  });
});
