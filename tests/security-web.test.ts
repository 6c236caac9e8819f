// The same attacks as tests/security.test.ts, through the running product as `npm start` runs it:
// the web server's proxy (its X-Forwarded-For, its body limit), the pages' security headers, the
// media server's own port (its internal routes, answer-bound join tokens), and the embedded
// object store, which must not be reachable over the network at all.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { WebSocket } from 'ws';
import { beforeAll, describe, expect, it } from 'vitest';
import { ANSWER_START_LIMIT, AUTH_RATE_LIMIT } from '@rehearse/api/limits';
import { createPrismaClient } from '@rehearse/db';
import { MAX_UPLOAD_BYTES } from '@rehearse/core/limits';
import { listeners } from './support/ports.ts';
import { useProductAndBrowser, type RunningProduct } from './support/product.ts';

describe('security of the running product', () => {
  const running = useProductAndBrowser();
  let product: RunningProduct;
  let origin: string;
  let mediaPort: number;

  beforeAll(() => {
    product = running.product;
    origin = new URL(product.url).origin;
    mediaPort = product.ports[2]!;
  });

  /** A request to the site as a browser would send it (same-origin), plus whatever an attacker adds. */
  const site = (url: string, init: RequestInit & { cookie?: string } = {}) =>
    fetch(new URL(url, product.url), { ...init, headers: { origin, ...(init.cookie ? { cookie: init.cookie } : {}), ...(init.headers as Record<string, string>) } });
  const cookieOf = (response: Response) => response.headers.getSetCookie().find((c) => c.startsWith('rehearse_session='))!.split(';')[0]!;
  const json = (body: object) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('makes no account for a page view, and none of the outbox for a visitor', async () => {
    const page = await site('/practice');
    expect(page.status).toBe(200);
    expect(page.headers.getSetCookie()).toEqual([]);
    expect(await page.text()).toContain('data-testid="question-item"');
    expect((await site('/api/dev/outbox')).status).toBe(401);
    const outboxPage = await site('/dev/outbox');
    expect(await outboxPage.text()).not.toContain('reset-password?token=');
  });

  it('ignores the X-Forwarded-For a client sends through the web server', async () => {
    const signup = await site('/api/auth/signup', { ...json({ email: 'xff@example.com', password: 'a long enough password' }), headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.23' } });
    expect(signup.status).toBe(201);
    const { sessions } = (await (await site('/api/auth/sessions', { cookie: cookieOf(signup) })).json()) as { sessions: { ipAddress: string }[] };
    expect(sessions[0]!.ipAddress).toBe('127.0.0.1');
    const codes: number[] = [];
    for (let i = 0; i <= AUTH_RATE_LIMIT.max; i++) {
      codes.push((await site('/api/auth/login', { ...json({ email: `rotate${i}@example.com`, password: 'not the password' }), headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i}` } })).status);
    }
    expect(codes.at(-1)).toBe(429);
  });

  it('answers an oversized body with 413 and the limit, through the web server and from the API', async () => {
    const huge = await site('/api/me/avatar', { method: 'PUT', headers: { 'content-type': 'image/png' }, body: Buffer.alloc(MAX_UPLOAD_BYTES + 1024) });
    expect(huge.status).toBe(413);
    expect((await huge.json()).error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('5 MiB') });
    const bigJson = await site('/api/me/profile', { ...json({ name: 'x'.repeat(2 * 1024 * 1024) }), method: 'PATCH' });
    expect(bigJson.status, await bigJson.clone().text()).toBe(413);
    expect((await bigJson.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('sends security headers with every page, a CSP that allows the media server and nothing else', async () => {
    for (const url of ['/', '/practice', '/login', '/no-such-page']) {
      const response = await site(url);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp, url).toMatch(/script-src 'self' 'nonce-[^']+'/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toMatch(new RegExp(`connect-src 'self' ws://localhost:${mediaPort}`));
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(response.headers.get('permissions-policy')).toContain('camera=(self)');
    }
  });

  it('keeps the embedded object store off the network: a private socket, no TCP port', async () => {
    const socket = path.join(product.dataDir, 'run', 's3.sock');
    expect(((await stat(socket)).mode & 0o777).toString(8)).toBe('600');
    expect(((await stat(path.dirname(socket))).mode & 0o777).toString(8)).toBe('700');
    // The launcher hosts s3rver: it listens on no TCP port at all.
    expect([...(await listeners()).values()]).not.toContain(product.process.pid);
  });

  it('refuses the media server’s internal routes from outside, however the path is spelled', async () => {
    const signup = await site('/api/auth/signup', json({ email: 'internal@example.com', password: 'a long enough password' }));
    const cookie = cookieOf(signup);
    const questions = (await (await site('/api/questions')).json()).questions as { id: string }[];
    const started = await site('/api/answers', { ...json({ questionId: questions[0]!.id }), cookie });
    const { answer } = (await started.json()) as { answer: { id: string } };
    for (const p of [`/internal/answers/${answer.id}/stop`, `/%69nternal/answers/${answer.id}/stop`, `//internal/answers/${answer.id}/stop`]) {
      const response = await fetch(`http://127.0.0.1:${mediaPort}${p}`, { method: 'POST' });
      expect([401, 404], p).toContain(response.status);
    }
    expect((await (await site(`/api/answers/${answer.id}`, { cookie })).json()).answer.status).toBe('created');
  });

  it('lets a join token in once, and only while its answer runs', async () => {
    const signup = await site('/api/auth/signup', json({ email: 'joiner@example.com', password: 'a long enough password' }));
    const cookie = cookieOf(signup);
    const questions = (await (await site('/api/questions')).json()).questions as { id: string }[];
    const { answer, join } = (await (await site('/api/answers', { ...json({ questionId: questions[0]!.id }), cookie })).json()) as { answer: { id: string }; join: { token: string; mediaUrl: string } };
    const again = (await (await site(`/api/answers/${answer.id}/join`, { method: 'POST', cookie })).json()) as { join: { token: string } };
    // Another answer may not start while this one is in progress.
    const second = await site('/api/answers', { ...json({ questionId: questions[0]!.id }), cookie });
    expect(second.status).toBe(409);
    expect((await second.json()).error.code).toBe('ANSWER_IN_PROGRESS');

    const tryJoin = async (token: string) => {
      const ws = new WebSocket(join.mediaUrl, { origin });
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      const reply = new Promise<{ ok: boolean; error?: { code: string } }>((resolve) => ws.once('message', (raw) => resolve(JSON.parse(raw.toString()))));
      ws.send(JSON.stringify({ id: 1, method: 'join', data: { token } }));
      return { ws, reply: await reply };
    };
    const first = await tryJoin(join.token);
    expect(first.reply.ok).toBe(true);
    const replay = await tryJoin(join.token);
    expect(replay.reply.error?.code).toBe('TOKEN_USED');
    first.ws.close();
    replay.ws.close();
    expect((await site(`/api/answers/${answer.id}/stop`, { method: 'POST', cookie })).status).toBe(200);
    // A token fetched before the stop is worth nothing after it.
    const late = await tryJoin(again.join.token);
    expect(late.reply.error?.code).toBe('ANSWER_FINISHED');
    late.ws.close();
    expect(ANSWER_START_LIMIT.max).toBeGreaterThan(1);
  });

  it('counts the users a flood of page views made: none', async () => {
    const port = product.ports[3];
    const db = createPrismaClient(`postgresql://rehearse:rehearse-local@127.0.0.1:${port}/rehearse`);
    try {
      const before = await db.user.count();
      await Promise.all(Array.from({ length: 30 }, () => site('/practice').then((r) => r.text())));
      expect(await db.user.count()).toBe(before);
    } finally {
      await db.$disconnect();
    }
  });
});
