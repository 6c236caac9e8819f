// Accounts over a real PostgreSQL: sign-up (a guest keeps their answers), email verification and
// password reset through the dev outbox, log-in, sessions, rate limits, security headers and the
// OpenAPI docs.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '@rehearse/api';
import { sessionCookie, startApi, type TestApi } from './support/api.ts';

describe('accounts', () => {
  let api: TestApi;
  let app: App;
  let origin: string;
  let client = 0;

  beforeAll(async () => {
    api = await startApi();
    ({ app, origin } = api);
  });

  afterAll(async () => {
    await api?.stop();
  });

  /** Each test from its own address, so the rate limits of one do not spill into another. */
  function as(address = `10.0.0.${++client}`) {
    const call = (method: 'GET' | 'POST' | 'DELETE', url: string, { cookie, payload }: { cookie?: string; payload?: object } = {}) =>
      app.inject({ method, url, remoteAddress: address, headers: { origin, ...(cookie ? { cookie } : {}), 'user-agent': `test ${address}` }, ...(payload ? { payload } : {}) });
    return call;
  }


  it('signs up with an email and a password, stores only an argon2id hash, and logs in again', async () => {
    const call = as();
    const signup = await call('POST', '/api/auth/signup', { payload: { email: 'Ada@Example.com', password: 'correct horse battery', name: 'Ada' } });
    expect(signup.statusCode, signup.body).toBe(201);
    expect(signup.json().user).toMatchObject({ email: 'ada@example.com', name: 'Ada', guest: false, roles: ['seeker'] });
    expect(signup.body).not.toContain('argon2');
    const row = await app.db.user.findUnique({ where: { email: 'ada@example.com' } });
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);

    const wrong = await call('POST', '/api/auth/login', { payload: { email: 'ada@example.com', password: 'wrong horse battery' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('INVALID_CREDENTIALS');
    const unknown = await call('POST', '/api/auth/login', { payload: { email: 'nobody@example.com', password: 'correct horse battery' } });
    expect(unknown.json().error).toEqual(wrong.json().error);

    const login = await call('POST', '/api/auth/login', { payload: { email: 'ADA@example.com', password: 'correct horse battery' } });
    expect(login.statusCode).toBe(200);
    const cookie = sessionCookie(login)!;
    expect((await call('GET', '/api/auth/me', { cookie })).json().user.email).toBe('ada@example.com');

    const taken = await call('POST', '/api/auth/signup', { payload: { email: 'ada@example.com', password: 'another long password' } });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('EMAIL_TAKEN');
  });

  it('keeps a guest’s answers when the guest signs up, under a new session', async () => {
    const call = as();
    const guest = sessionCookie(await call('POST', '/api/auth/guest'))!;
    const { questions } = (await call('GET', '/api/questions', { cookie: guest })).json();
    const { answer } = (await call('POST', '/api/answers', { cookie: guest, payload: { questionId: questions[0].id } })).json();
    const signup = await call('POST', '/api/auth/signup', { cookie: guest, payload: { email: 'grace@example.com', password: 'a long enough password' } });
    expect(signup.statusCode).toBe(201);
    const member = sessionCookie(signup)!;
    expect(member).not.toBe(guest);
    // The guest's token ended with the sign-up; the new one sees the same answer.
    expect((await call('GET', '/api/auth/me', { cookie: guest })).statusCode).toBe(401);
    expect((await call('GET', `/api/answers/${answer.id}`, { cookie: member })).statusCode).toBe(200);
  });

  /**
   * The newest mail to `to` in the dev outbox's table (mail is sent after the reply, so it is
   * waited for), and the token in its link. Read as the operator would, not through the API:
   * whoever asked for a reset link cannot read the outbox.
   */
  async function mailTo(to: string, path: string, { count = 1 }: { count?: number } = {}) {
    const emails = await vi.waitFor(
      async () => {
        const rows = await app.db.outboxEmail.findMany({ where: { to, text: { contains: path } }, orderBy: { createdAt: 'desc' } });
        expect(rows.length).toBeGreaterThanOrEqual(count);
        return rows;
      },
      { timeout: 5000 },
    );
    const mail = emails[0]!;
    const token = new RegExp(`${path}\\?token=([a-z2-7]+)`).exec(mail.text)?.[1];
    return { mail, token };
  }
  /** Whether any mail to `to` is in the outbox (after the background work of earlier requests). */
  const hasMail = async (to: string) => (await app.db.outboxEmail.count({ where: { to } })) > 0;

  it('verifies the address through the mailed link, once', async () => {
    const call = as();
    const cookie = sessionCookie(await call('POST', '/api/auth/signup', { payload: { email: 'margaret@example.com', password: 'a long enough password', name: 'Margaret' } }))!;
    expect((await call('GET', '/api/auth/me', { cookie })).json().user.emailVerified).toBe(false);
    const { mail, token } = await mailTo('margaret@example.com', '/verify-email');
    expect(mail!.subject).toBe('Confirm your email address');
    expect(mail!.text).toContain('Hello Margaret');
    expect(token).toBeTruthy();

    const verified = await call('POST', '/api/auth/verify-email', { payload: { token } });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json().user).toMatchObject({ email: 'margaret@example.com', emailVerified: true });
    expect((await call('GET', '/api/auth/me', { cookie })).json().user.emailVerified).toBe(true);
    const again = await call('POST', '/api/auth/verify-email', { payload: { token } });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('TOKEN_INVALID');
    expect((await call('POST', '/api/auth/verify-email', { payload: { token: 'made up token' } })).json().error.code).toBe('TOKEN_INVALID');
    expect((await call('POST', '/api/auth/verify-email/resend', { cookie })).json().error.code).toBe('ALREADY_VERIFIED');
  });

  it('resets a forgotten password by mail, ending every session, without telling who has an account', async () => {
    const call = as();
    const before = sessionCookie(await call('POST', '/api/auth/signup', { payload: { email: 'barbara@example.com', password: 'the old password' } }))!;
    const unknown = await call('POST', '/api/auth/password-reset/request', { payload: { email: 'nobody-here@example.com' } });
    const known = await call('POST', '/api/auth/password-reset/request', { payload: { email: 'barbara@example.com' } });
    expect([unknown.statusCode, known.statusCode]).toEqual([202, 202]);
    expect(Object.keys(unknown.json())).toEqual(Object.keys(known.json()));
    const { token } = await mailTo('barbara@example.com', '/reset-password');
    expect(await hasMail('nobody-here@example.com')).toBe(false);

    const weak = await call('POST', '/api/auth/password-reset', { payload: { token, password: 'short' } });
    expect(weak.statusCode).toBe(400);
    const reset = await call('POST', '/api/auth/password-reset', { payload: { token, password: 'the new password' } });
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json().user.emailVerified).toBe(true);
    const after = sessionCookie(reset)!;
    expect((await call('GET', '/api/auth/me', { cookie: before })).statusCode).toBe(401);
    expect((await call('GET', '/api/auth/me', { cookie: after })).statusCode).toBe(200);
    expect((await call('POST', '/api/auth/login', { payload: { email: 'barbara@example.com', password: 'the old password' } })).statusCode).toBe(401);
    expect((await call('POST', '/api/auth/login', { payload: { email: 'barbara@example.com', password: 'the new password' } })).statusCode).toBe(200);
    expect((await call('POST', '/api/auth/password-reset', { payload: { token, password: 'a third password' } })).json().error.code).toBe('TOKEN_INVALID');
  });

  it('lists my sessions and revokes one or all the others; nobody else’s', async () => {
    const call = as();
    const first = sessionCookie(await call('POST', '/api/auth/signup', { payload: { email: 'linus@example.com', password: 'my long password' } }))!;
    const second = sessionCookie(await call('POST', '/api/auth/login', { payload: { email: 'linus@example.com', password: 'my long password' } }))!;
    const third = sessionCookie(await call('POST', '/api/auth/login', { payload: { email: 'linus@example.com', password: 'my long password' } }))!;
    const { sessions } = (await call('GET', '/api/auth/sessions', { cookie: third })).json() as { sessions: { id: string; current: boolean; userAgent: string }[] };
    expect(sessions).toHaveLength(3);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    expect(sessions.every((s) => s.userAgent.startsWith('test '))).toBe(true);

    const firstId = first.split('=')[1]!.split('.')[0]!;
    const stranger = sessionCookie(await as()('POST', '/api/auth/guest'))!;
    expect((await call('DELETE', `/api/auth/sessions/${firstId}`, { cookie: stranger })).statusCode).toBe(404);
    expect((await call('GET', '/api/auth/me', { cookie: first })).statusCode).toBe(200);
    expect((await call('DELETE', `/api/auth/sessions/${firstId}`, { cookie: third })).statusCode).toBe(204);
    expect((await call('GET', '/api/auth/me', { cookie: first })).statusCode).toBe(401);

    expect((await call('POST', '/api/auth/sessions/revoke-others', { cookie: third })).json()).toEqual({ revoked: 1 });
    expect((await call('GET', '/api/auth/me', { cookie: second })).statusCode).toBe(401);
    expect((await call('GET', '/api/auth/me', { cookie: third })).statusCode).toBe(200);
    expect((await call('GET', '/api/auth/sessions')).statusCode).toBe(401);
  });

  it('limits log-in attempts per client, with the usual error body', async () => {
    const call = as();
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) codes.push((await call('POST', '/api/auth/login', { payload: { email: 'someone@example.com', password: `guess number ${i}` } })).statusCode);
    expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
    expect(codes.slice(10)).toEqual([429, 429]);
    const limited = await call('POST', '/api/auth/login', { payload: { email: 'someone@example.com', password: 'one more guess' } });
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    // Another client is not affected (another account: this one has used up its own limit too).
    expect((await as()('POST', '/api/auth/login', { payload: { email: 'someone-else@example.com', password: 'first guess here' } })).statusCode).toBe(401);
  });

  it('refuses bad input with the field named, and writes nothing', async () => {
    const call = as();
    const short = await call('POST', '/api/auth/signup', { payload: { email: 'short@example.com', password: 'short' } });
    expect(short.statusCode).toBe(400);
    expect(short.json().error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('password') });
    const email = await call('POST', '/api/auth/signup', { payload: { email: 'not an email', password: 'a long enough password' } });
    expect(email.json().error.message).toContain('email');
    const extra = await call('POST', '/api/auth/signup', { payload: { email: 'extra@example.com', password: 'a long enough password', admin: true } });
    expect(extra.statusCode).toBe(400);
    expect(await app.db.user.count({ where: { email: { in: ['short@example.com', 'extra@example.com'] } } })).toBe(0);
    const cross = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { origin: 'https://evil.example' }, payload: { email: 'a@example.com', password: 'whatever it is' } });
    expect(cross.statusCode).toBe(403);
  });

  it('sends security headers and serves OpenAPI docs for every route', async () => {
    // On answers, refusals and unknown routes alike.
    for (const url of ['/api/questions', '/api/me', '/api/no-such-route']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['strict-transport-security']).toBeDefined();
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    }
    const spec = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as { openapi: string; paths: Record<string, object> };
    expect(spec.openapi).toMatch(/^3\./);
    for (const path of ['/api/auth/signup', '/api/auth/login', '/api/auth/sessions', '/api/answers/{id}/report']) expect(Object.keys(spec.paths)).toContain(path);
    const docs = await app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });
});

describe('mail over SMTP', () => {
  it('sends the verification link through the configured SMTP server, and has no outbox', async () => {
    const received: { to: string[]; body: string }[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let body = '';
        stream.on('data', (chunk: Buffer) => (body += chunk.toString()));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), body });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as AddressInfo;
    const api = await startApi({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Rehearse <hello@rehearse.test>' });
    try {
      const signup = await api.app.inject({ method: 'POST', url: '/api/auth/signup', headers: { origin: api.origin }, payload: { email: 'hedy@example.com', password: 'a long enough password' } });
      expect(signup.statusCode).toBe(201);
      await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 5000 });
      expect(received[0]!.to).toEqual(['hedy@example.com']);
      expect(received[0]!.body).toContain('From: Rehearse <hello@rehearse.test>');
      expect(received[0]!.body).toMatch(/verify-email\?token=[a-z2-7]+/);
      const outbox = await api.app.inject({ method: 'GET', url: '/api/dev/outbox', headers: { cookie: sessionCookie(signup)! } });
      expect(outbox.statusCode).toBe(404);
    } finally {
      await api.stop();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });
});
