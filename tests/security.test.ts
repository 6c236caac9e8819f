// Attacks from outside on the API, each reproducing something a penetration test did and checking
// that it now fails to do harm: reading other people's mail in the dev outbox, replaying reset
// links, telling accounts apart by timing, guessing one account's password from many addresses,
// choosing the address the API sees, uploading pages disguised as images, and reading recordings
// that are not yours. Over a real PostgreSQL and S3, through app.inject or a real socket.
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { App } from '@rehearse/api';
import { ACCOUNT_LOGIN_LIMIT, ACCOUNT_RESET_LIMIT, AUTH_RATE_LIMIT } from '@rehearse/api/limits';
import { PNG, sessionCookie, signUp, startApi, startGuest, useApi } from './support/api.ts';

const PASSWORD = 'a long enough password';

describe('attacks on accounts and files', () => {
  const api = useApi();
  let app: App;
  let origin: string;
  let client = 0;

  beforeAll(() => {
    ({ app, origin } = api);
  });

  const from = (address = `10.20.${++client >> 8}.${client & 255}`) => address;
  const post = (url: string, payload: object, { cookie, address = from() }: { cookie?: string; address?: string } = {}) =>
    app.inject({ method: 'POST', url, remoteAddress: address, headers: { origin, ...(cookie ? { cookie } : {}) }, payload });
  const resetMails = (to: string) => app.db.outboxEmail.findMany({ where: { to, subject: 'Reset your password' }, orderBy: { createdAt: 'asc' } });
  const tokenIn = (text: string) => /reset-password\?token=([a-z2-7]+)/.exec(text)![1]!;

  it('shows nobody else’s mail in the dev outbox: not to visitors, not to other users; admins see all', async () => {
    const victim = await signUp(app, origin, 'victim@example.com');
    const attacker = await signUp(app, origin, 'attacker@example.com');
    expect((await post('/api/auth/password-reset/request', { email: 'victim@example.com' })).statusCode).toBe(202);
    await vi.waitFor(async () => expect(await resetMails('victim@example.com')).toHaveLength(1));

    const anonymous = await app.inject({ method: 'GET', url: '/api/dev/outbox' });
    expect(anonymous.statusCode).toBe(401);
    const theirs = (await app.inject({ method: 'GET', url: '/api/dev/outbox', headers: { cookie: attacker.cookie } })).json();
    expect(theirs.scope).toBe('mine');
    expect(theirs.emails.length).toBeGreaterThan(0);
    expect(theirs.emails.every((m: { to: string }) => m.to === 'attacker@example.com')).toBe(true);
    expect(JSON.stringify(theirs)).not.toContain('victim@example.com');
    const guest = await startGuest(app, origin);
    expect((await app.inject({ method: 'GET', url: '/api/dev/outbox', headers: { cookie: guest.cookie } })).json().emails).toEqual([]);

    const mine = (await app.inject({ method: 'GET', url: '/api/dev/outbox', headers: { cookie: victim.cookie } })).json();
    expect(mine.emails.map((m: { subject: string }) => m.subject).sort()).toEqual(['Confirm your email address', 'Reset your password']);

    const operator = await signUp(app, origin, 'operator@example.com');
    await app.db.userRole.create({ data: { userId: operator.id, role: 'admin' } });
    const all = (await app.inject({ method: 'GET', url: '/api/dev/outbox', headers: { cookie: operator.cookie } })).json();
    expect(all.scope).toBe('all');
    expect(all.emails.some((m: { to: string }) => m.to === 'victim@example.com')).toBe(true);
  });

  it('ends every other reset link when one is used', async () => {
    await signUp(app, origin, 'twolinks@example.com');
    await post('/api/auth/password-reset/request', { email: 'twolinks@example.com' });
    await post('/api/auth/password-reset/request', { email: 'twolinks@example.com' });
    const mails = await vi.waitFor(async () => {
      const rows = await resetMails('twolinks@example.com');
      expect(rows).toHaveLength(2);
      return rows;
    });
    const [older, newer] = mails.map((m) => tokenIn(m.text));
    expect((await post('/api/auth/password-reset', { token: newer, password: 'a brand new password' })).statusCode).toBe(200);
    const replay = await post('/api/auth/password-reset', { token: older, password: 'the attacker’s password' });
    expect(replay.statusCode).toBe(400);
    expect(replay.json().error.code).toBe('TOKEN_INVALID');
    expect((await post('/api/auth/login', { email: 'twolinks@example.com', password: 'a brand new password' })).statusCode).toBe(200);
  });

  it('limits failed log-ins per account across any number of addresses, without telling who has one', async () => {
    await signUp(app, origin, 'target@example.com');
    const attempt = (email: string, password: string) => post('/api/auth/login', { email, password });
    for (const email of ['target@example.com', 'nobody-at-all@example.com']) {
      const codes: number[] = [];
      for (let i = 0; i < ACCOUNT_LOGIN_LIMIT.max + 2; i++) codes.push((await attempt(email, `guess ${i} from afar`)).statusCode);
      // Every attempt came from a fresh address: the per-address limit never applied.
      expect(codes.slice(0, ACCOUNT_LOGIN_LIMIT.max).every((c) => c === 401)).toBe(true);
      expect(codes.slice(ACCOUNT_LOGIN_LIMIT.max)).toEqual([429, 429]);
    }
    const locked = await attempt('target@example.com', PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('RATE_LIMITED');
    // Another account is not affected.
    await signUp(app, origin, 'bystander@example.com');
    expect((await attempt('bystander@example.com', PASSWORD)).statusCode).toBe(200);
  });

  it('limits reset mails per address, whoever asks and from wherever', async () => {
    await signUp(app, origin, 'inbox@example.com');
    const codes: number[] = [];
    for (let i = 0; i < ACCOUNT_RESET_LIMIT.max + 2; i++) codes.push((await post('/api/auth/password-reset/request', { email: 'inbox@example.com' })).statusCode);
    expect(codes).toEqual([...Array(ACCOUNT_RESET_LIMIT.max).fill(202), 429, 429]);
    await new Promise((r) => setTimeout(r, 200));
    expect(await resetMails('inbox@example.com')).toHaveLength(ACCOUNT_RESET_LIMIT.max);
  });

  it('believes X-Forwarded-For only from the web server on loopback, not from a client', async () => {
    // A client elsewhere sends its own X-Forwarded-For to pick the address the API sees.
    const spoofed = await app.inject({ method: 'POST', url: '/api/auth/signup', remoteAddress: '203.0.113.9', headers: { origin, 'x-forwarded-for': '198.51.100.77' }, payload: { email: 'spoofer@example.com', password: PASSWORD } });
    expect(spoofed.statusCode).toBe(201);
    const sessions = (await app.inject({ method: 'GET', url: '/api/auth/sessions', headers: { cookie: sessionCookie(spoofed)! } })).json().sessions;
    expect(sessions[0].ipAddress).toBe('203.0.113.9');
    // Nor can it dodge the per-address log-in limit by changing the header each time.
    const codes: number[] = [];
    for (let i = 0; i <= AUTH_RATE_LIMIT.max; i++) {
      codes.push((await app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '203.0.113.10', headers: { origin, 'x-forwarded-for': `198.51.100.${i}` }, payload: { email: `who${i}@example.com`, password: PASSWORD } })).statusCode);
    }
    expect(codes.at(-1)).toBe(429);
    // The web server on this machine does set it, and is believed.
    const proxied = await app.inject({ method: 'POST', url: '/api/auth/guest', remoteAddress: '127.0.0.1', headers: { origin, 'x-forwarded-for': '192.0.2.44' } });
    const proxiedSessions = (await app.inject({ method: 'GET', url: '/api/auth/sessions', headers: { cookie: sessionCookie(proxied)! } })).json().sessions;
    expect(proxiedSessions[0].ipAddress).toBe('192.0.2.44');
  });

  it('re-encodes avatars: a page behind an image header is refused or reduced to pixels, metadata is gone', async () => {
    const { cookie } = await signUp(app, origin, 'uploader@example.com');
    const put = (payload: Buffer | string | undefined, type?: string) =>
      app.inject({ method: 'PUT', url: '/api/me/avatar', headers: { cookie, origin, ...(type ? { 'content-type': type } : {}) }, ...(payload === undefined ? {} : { payload }) });
    const html = Buffer.from('<html><script>alert(document.cookie)</script></html>');
    // A PNG signature, then HTML: not an image at all.
    const polyglot = await put(Buffer.concat([PNG.subarray(0, 8), html]), 'image/png');
    expect(polyglot.statusCode).toBe(415);
    expect(polyglot.json().error.code).toBe('NOT_AN_IMAGE');
    for (const [header, type] of [[Buffer.from([0xff, 0xd8, 0xff, 0xe0]), 'image/jpeg'], [Buffer.from('RIFF\0\0\0\0WEBPVP8 '), 'image/webp']] as const) {
      expect((await put(Buffer.concat([header, html]), type)).statusCode).toBe(415);
    }
    // A whole PNG with a page after its end decodes; what is stored is pixels only.
    const appended = await put(Buffer.concat([PNG, html]), 'image/png');
    expect(appended.statusCode, appended.body).toBe(200);
    const served = await app.inject({ method: 'GET', url: appended.json().avatarUrl, headers: { cookie } });
    expect(served.rawPayload.includes('<script')).toBe(false);
    expect(served.headers).toMatchObject({ 'content-type': 'image/webp', 'x-content-type-options': 'nosniff' });
    expect(served.headers['content-security-policy']).toContain('sandbox');

    // A photo with location metadata: stored without it.
    const photo = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#3366cc' } })
      .jpeg()
      .withExif({ IFD0: { Copyright: 'secret-location-52.5N-13.4E' } })
      .toBuffer();
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const uploaded = await put(photo, 'image/jpeg');
    expect(uploaded.statusCode).toBe(200);
    const stored = (await app.inject({ method: 'GET', url: uploaded.json().avatarUrl, headers: { cookie } })).rawPayload;
    const meta = await sharp(stored).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 512, height: 512 });
    expect(meta.exif).toBeUndefined();
    expect(stored.includes('secret-location')).toBe(false);

    // A small file that claims enormous dimensions is refused before it is decoded.
    const bomb = await sharp({ create: { width: 10_000, height: 10_000, channels: 3, background: '#000000' } }).png({ compressionLevel: 9 }).toBuffer();
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect((await put(bomb, 'image/png')).statusCode).toBe(415);

    // No body, or an empty one: a 400 with a code, not a 500.
    for (const response of [await put(undefined), await put(Buffer.alloc(0), 'image/png')]) {
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().error.code).toMatch(/IMAGE_REQUIRED|VALIDATION_FAILED|FST_ERR_CTP_EMPTY_JSON_BODY/);
    }
    expect((await put(Buffer.alloc(0), 'image/png')).json().error.code).toBe('IMAGE_REQUIRED');
  });

  it('serves a recording to its owner only, with range and conditional requests', async () => {
    const owner = await signUp(app, origin, 'viewer@example.com');
    const other = await signUp(app, origin, 'nosy@example.com');
    const question = await app.db.question.findFirstOrThrow();
    const bytes = Buffer.from('0123456789abcdefghij');
    const answer = await app.db.answer.create({ data: { userId: owner.id, questionId: question.id, mediaUrl: 'ws://x', status: 'ready', durationMs: 1000, container: 'webm', recordingBytes: BigInt(bytes.length), recordingKey: `users/${owner.id}/answers/x/answer.webm` } });
    await app.s3.send(new PutObjectCommand({ Bucket: app.bucket, Key: answer.recordingKey!, Body: bytes }));
    const url = `/api/answers/${answer.id}/recording`;
    const get = (headers: Record<string, string> = {}, cookie: string | null = owner.cookie) => app.inject({ method: 'GET', url, headers: { ...(cookie ? { cookie } : {}), ...headers } });

    const playback = (await app.inject({ method: 'GET', url: `/api/answers/${answer.id}/playback`, headers: { cookie: owner.cookie } })).json();
    expect(playback).toEqual({ url, container: 'webm' });
    const whole = await get();
    expect(whole.statusCode).toBe(200);
    expect(whole.headers).toMatchObject({ 'content-type': 'video/webm', 'accept-ranges': 'bytes', 'x-content-type-options': 'nosniff' });
    expect(whole.rawPayload).toEqual(bytes);
    const part = await get({ range: 'bytes=2-5' });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 2-5/20');
    expect(part.body).toBe('2345');
    expect((await get({ range: 'bytes=15-' })).body).toBe('fghij');
    expect((await get({ range: 'bytes=-3' })).body).toBe('hij');
    for (const range of ['bytes=50-60', 'bytes=0-1,4-5', 'items=0-1', 'bytes=-', 'bytes=5-2']) {
      expect((await get({ range })).statusCode, range).toBe(416);
    }
    const etag = whole.headers.etag as string;
    expect((await get({ 'if-none-match': etag })).statusCode).toBe(304);

    expect((await get({}, null)).statusCode).toBe(401);
    expect((await get({}, other.cookie)).statusCode).toBe(404);
    expect((await get({ range: 'bytes=0-3' }, other.cookie)).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/api/answers/${answer.id}/../${answer.id}/recording`, headers: { cookie: other.cookie } })).statusCode).not.toBe(200);
  });
});

describe('in production', () => {
  it('marks the session cookie Secure and has no dev outbox', async () => {
    const api = await startApi({ NODE_ENV: 'production', PUBLIC_URL: 'https://rehearse.example.com', SMTP_URL: 'smtp://127.0.0.1:9' });
    try {
      const guest = await api.app.inject({ method: 'POST', url: '/api/auth/guest', headers: { origin: 'https://rehearse.example.com' } });
      expect(guest.statusCode).toBe(201);
      expect(guest.cookies.find((c) => c.name === 'rehearse_session')).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });
      expect((await api.app.inject({ method: 'GET', url: '/api/dev/outbox', headers: { cookie: sessionCookie(guest)! } })).statusCode).toBe(404);
    } finally {
      await api.stop();
    }
  });
});

describe('password reset requests take the same path for every address', () => {
  let held: (() => void)[] = [];
  let received: string[] = [];
  let smtp: SMTPServer;
  let api: Awaited<ReturnType<typeof startApi>>;

  beforeAll(async () => {
    // A mail server that keeps every message until it is let go: a reply that waited for mail
    // (only sent when the address has an account) could not arrive before that.
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        stream.resume();
        stream.on('end', () => held.push(() => (received.push(session.envelope.rcptTo[0]!.address), callback())));
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    api = await startApi({ SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}` });
  });

  afterAll(async () => {
    for (const release of held) release();
    await api?.stop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('answers an address with an account before any mail is sent, as it answers one without', async () => {
    const { app, origin } = api;
    await signUp(app, origin, 'has-account@example.com');
    await vi.waitFor(() => expect(held).toHaveLength(1)); // the verification mail, held
    held.splice(0).forEach((release) => release());
    received = [];
    const ask = (email: string) => app.inject({ method: 'POST', url: '/api/auth/password-reset/request', headers: { origin }, remoteAddress: '10.30.0.1', payload: { email } });
    const [known, unknown] = [await ask('has-account@example.com'), await ask('no-account@example.com')];
    expect([known.statusCode, unknown.statusCode]).toEqual([202, 202]);
    expect(known.json().message.replace('has-account', 'X')).toBe(unknown.json().message.replace('no-account', 'X'));
    // Both answered while the reset mail had not been delivered (it is still held).
    expect(received).toEqual([]);
    await vi.waitFor(() => expect(held).toHaveLength(1));
    held.splice(0).forEach((release) => release());
    await vi.waitFor(() => expect(received).toEqual(['has-account@example.com']));
  });
});
