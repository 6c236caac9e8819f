// TURN: coturn (Debian's) with the TURN REST API's shared secret; the API mints each join a
// short-lived credential; Chromium with relay-only ICE (ICE_TRANSPORT_POLICY=relay) records an
// answer whose every packet went through the relay. And the credential itself: coturn's format,
// expiring, per user.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { turnCredential } from '@rehearse/api/media-server';
import { launchChromium } from './support/browser.ts';
import { contextApi, productDb, signedUpContext, type Db } from './support/calls.ts';
import { freePort } from './support/ports.ts';
import { startProduct, type RunningProduct } from './support/product.ts';

const SECRET = 'turn-shared-secret-for-tests-0123';

describe('TURN credentials', () => {
  it("mints coturn's REST API credentials: expiry:user, HMAC-SHA1 of it with the shared secret", () => {
    const turn = { urls: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:443?transport=tcp'], secret: SECRET, ttlSeconds: 600 };
    const now = Date.UTC(2027, 0, 1);
    const credential = turnCredential(turn, 'user-1', now)!;
    expect(credential.urls).toEqual(turn.urls);
    expect(credential.username).toBe(`${now / 1000 + 600}:user-1`);
    expect(credential.credential).toBe(createHmac('sha1', SECRET).update(credential.username).digest('base64'));
    expect(turnCredential(turn, 'user-2', now)!.credential).not.toBe(credential.credential);
    expect(turnCredential({ urls: [], secret: null, ttlSeconds: 600 }, 'user-1')).toBeNull();
  });
});

describe('an answer through coturn with relay-only ICE', () => {
  let turn: ChildProcess;
  let turnLog = '';
  let product: RunningProduct;
  let browser: Browser;
  let db: Db;

  beforeAll(async () => {
    const port = await freePort();
    const relayMin = 50000 + Math.floor(Math.random() * 5000);
    turn = spawn('turnserver', [
      '-n', '--listening-ip=127.0.0.1', `--listening-port=${port}`, '--relay-ip=127.0.0.1', `--min-port=${relayMin}`, `--max-port=${relayMin + 100}`,
      '--use-auth-secret', `--static-auth-secret=${SECRET}`, '--realm=rehearse.test', '--allow-loopback-peers', '--no-tls', '--no-dtls', '--no-cli', '--fingerprint', '--log-file=stdout', '--verbose', '--simple-log',
    ]);
    turn.stdout!.on('data', (d: Buffer) => (turnLog += d.toString()));
    turn.stderr!.on('data', (d: Buffer) => (turnLog += d.toString()));
    [product, browser] = await Promise.all([
      startProduct({ TURN_URLS: `turn:127.0.0.1:${port}?transport=udp`, TURN_SECRET: SECRET, ICE_TRANSPORT_POLICY: 'relay' }),
      launchChromium({ fakeAudioFile: undefined }),
    ]);
    db = productDb(product);
  }, 180_000);

  afterAll(async () => {
    await db?.$disconnect();
    await browser?.close();
    if (product && product.process.exitCode === null) await product.stop();
    turn?.kill('SIGTERM');
  });

  it('records an answer with every packet relayed', { timeout: 120_000 }, async () => {
    const origin = new URL(product.url).origin;
    const context = await signedUpContext(browser, origin, 'relay@turn.example', 'Remy Relay');
    const question = await db.question.findFirstOrThrow({ where: { ownerId: null, source: 'bank' }, orderBy: { slug: 'asc' } });
    // The join carries a credential for this user and the relay-only policy.
    const started = await contextApi(context, origin, 'POST', '/api/answers', { questionId: question.id });
    expect(started.body.join.iceTransportPolicy).toBe('relay');
    const minted = started.body.join.iceServers.find((s: { username?: string }) => s.username);
    expect(minted.username).toMatch(new RegExp(`^\\d+:${(await contextApi(context, origin, 'GET', '/api/auth/me')).body.user.id}$`));
    await db.answer.delete({ where: { id: started.body.answer.id } });

    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error));
    await page.goto(`${origin}/practice/${question.id}`);
    await page.waitForFunction(() => {
      const start = document.querySelector<HTMLButtonElement>('[data-testid=start-answer]');
      return start !== null && !start.disabled;
    });
    const response = page.waitForResponse((r) => r.url().endsWith('/api/answers') && r.request().method() === 'POST');
    await page.getByTestId('start-answer').click();
    const answerId = ((await (await response).json()) as { answer: { id: string } }).answer.id;
    await page.waitForFunction(() => document.querySelector('[data-testid=recording-state]')?.getAttribute('data-state') === 'recording', null, { timeout: 45_000 });
    await page.waitForTimeout(4_000);
    await page.getByTestId('stop-answer').click();
    await page.waitForURL(new RegExp(`/answers/${answerId}$`), { timeout: 60_000 });
    await expect.poll(async () => (await db.answer.findUniqueOrThrow({ where: { id: answerId } })).status, { timeout: 30_000 }).toBe('ready');
    const answer = await db.answer.findUniqueOrThrow({ where: { id: answerId } });
    expect(answer.durationMs).toBeGreaterThan(3_000);
    // coturn allocated a relay for this user's credential and relayed to the media server.
    const userId = answer.userId;
    expect(turnLog).toMatch(new RegExp(`user <\\d+:${userId}>: incoming packet ALLOCATE processed, success`));
    expect(turnLog).toMatch(/CREATE_PERMISSION processed, success|CHANNEL_BIND processed, success/);
    await context.close();
  });
});
