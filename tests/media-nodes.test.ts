// Several media nodes on this machine (MEDIA_NODES=2 behind `npm start`): both register; new
// answers are spread over them by load; a draining node (SIGTERM) takes nothing new and finishes
// the answer it has before it leaves; a node that stops answering (its process group frozen with
// SIGSTOP, as a hung or cut-off machine would be) is taken out, the other node finalizes its
// answer from what S3 holds and its page says so, while the answer on the healthy node records on
// untouched; killed for good, the node comes back and joins the cluster again.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, speechFile } from './support/browser.ts';
import { contextApi, productDb, signedUpContext, startAnswerInPage, type Db } from './support/calls.ts';
import { startProduct, type RunningProduct } from './support/product.ts';

const run = promisify(execFile);

/** The pid listening on a TCP port (the media node behind a signaling URL). */
async function pidOnPort(port: number): Promise<number> {
  const { stdout } = await run('ss', ['-ltnpH', `sport = :${port}`]);
  const pid = /pid=(\d+)/.exec(stdout)?.[1];
  if (!pid) throw new Error(`nothing listens on ${port}: ${stdout}`);
  return Number(pid);
}

describe('media nodes', () => {
  let product: RunningProduct;
  let browser: Browser;
  let db: Db;
  let origin: string;
  let dir: string;
  const frozen: number[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-nodes-'));
    const speech = await speechFile(dir, 'I led the migration of our billing system and we cut the failures to zero within a month.');
    [product, browser] = await Promise.all([startProduct({ MEDIA_NODES: '2', ANSWER_RECONNECT_GRACE_MS: '60000', MEDIA_DRAIN_SECONDS: '60' }), launchChromium({ fakeAudioFile: speech })]);
    origin = new URL(product.url).origin;
    db = productDb(product);
  }, 180_000);

  afterAll(async () => {
    for (const pid of frozen) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    await db?.$disconnect();
    await browser?.close();
    if (product && product.process.exitCode === null) await product.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const nodes = () => db.mediaNode.findMany({ orderBy: { id: 'asc' } });
  const question = () => db.question.findFirstOrThrow({ where: { ownerId: null, source: 'bank' }, orderBy: { slug: 'asc' } });

  /** Records in the browser until the recorder has media; returns the answer and its node's URL. */
  async function recordOn(context: BrowserContext): Promise<{ page: Page; answerId: string; mediaUrl: string }> {
    const { page, answerId } = await startAnswerInPage(context, origin, db);
    page.on('pageerror', (error) => console.error('page error:', error));
    const row = await db.answer.findUniqueOrThrow({ where: { id: answerId } });
    return { page, answerId, mediaUrl: row.mediaUrl };
  }

  it('registers both nodes and spreads new answers over them', async () => {
    await expect.poll(async () => (await nodes()).map((n) => [n.id, n.status]), { timeout: 20_000 }).toEqual([
      ['media-1', 'active'],
      ['media-2', 'active'],
    ]);
    // Four candidates start at once: two answers on each node (load is counted from the answers).
    const contexts = await Promise.all([1, 2, 3, 4].map((i) => signedUpContext(browser, origin, `spread${i}@nodes.example`, `Spread ${i}`)));
    const q = await question();
    const placed = [];
    for (const c of contexts) placed.push((await contextApi(c, origin, 'POST', '/api/answers', { questionId: q.id })).body.join.mediaUrl as string);
    const urls = (await nodes()).map((n) => n.publicUrl);
    expect(placed.filter((u) => u === urls[0]).length).toBe(2);
    expect(placed.filter((u) => u === urls[1]).length).toBe(2);
    for (const c of contexts) await c.close();
    // (Unstarted answers are given up after 5 minutes; these ones go now.)
    await db.answer.deleteMany({ where: { user: { email: { startsWith: 'spread' } } } });
  });

  it('takes nothing new on a draining node, which finishes what it has before it leaves', { timeout: 180_000 }, async () => {
    const a = await signedUpContext(browser, origin, 'drain@nodes.example', 'Dana Drain');
    const running = await recordOn(a);
    const node = (await nodes()).find((n) => n.publicUrl === running.mediaUrl)!;
    const other = (await nodes()).find((n) => n.publicUrl !== running.mediaUrl)!;
    process.kill(await pidOnPort(Number(new URL(running.mediaUrl).port)), 'SIGTERM');
    await expect.poll(async () => (await db.mediaNode.findUnique({ where: { id: node.id } }))?.status, { timeout: 10_000 }).toBe('draining');
    // New answers go to the other node.
    const b = await signedUpContext(browser, origin, 'after-drain@nodes.example', 'Abe After');
    const q = await question();
    for (let i = 0; i < 2; i++) {
      const placed = await contextApi(b, origin, 'POST', '/api/answers', { questionId: q.id });
      expect(placed.body.join.mediaUrl).toBe(other.publicUrl);
      await contextApi(b, origin, 'POST', `/api/answers/${placed.body.answer.id}/stop`);
    }
    // The answer on the draining node records on and stops normally; then the node leaves (and
    // the launcher, which did not ask it to stop, starts it again).
    await running.page.waitForTimeout(2_000);
    const problem = await running.page.getByTestId('answer-error').textContent().catch(() => '');
    expect(await running.page.getByTestId('recording-state').getAttribute('data-state'), `${problem}\n${product.output().slice(-3000)}`).toBe('recording');
    await running.page.getByTestId('stop-answer').click();
    await running.page.waitForURL(new RegExp(`/answers/${running.answerId}$`), { timeout: 60_000 });
    await expect.poll(async () => (await db.answer.findUniqueOrThrow({ where: { id: running.answerId } })).status, { timeout: 30_000 }).toBe('ready');
    await expect.poll(async () => (await db.mediaNode.findUnique({ where: { id: node.id } }))?.status, { timeout: 30_000 }).toBe('active');
    for (const context of [a, b]) await context.close();
  });

  it('takes a frozen node out and finalizes its answer from S3 on the other, leaving the other answer untouched', { timeout: 240_000 }, async () => {
    const [a, b] = await Promise.all([signedUpContext(browser, origin, 'frozen@nodes.example', 'Fay Frozen'), signedUpContext(browser, origin, 'fine@nodes.example', 'Finn Fine')]);
    const first = await recordOn(a);
    const second = await recordOn(b);
    expect(second.mediaUrl).not.toBe(first.mediaUrl);
    // Enough media for the 2-second journal to have reached S3.
    await first.page.waitForTimeout(6_000);
    // The whole node freezes: the Node process with its mediasoup workers and ffmpeg (one process group).
    const victim = await pidOnPort(Number(new URL(first.mediaUrl).port));
    process.kill(-victim, 'SIGSTOP');
    frozen.push(victim);
    const stoppedAt = Date.now();

    // The other node marks it dead, finalizes its answer from S3 and removes it from the cluster.
    await expect.poll(async () => (await db.answer.findUniqueOrThrow({ where: { id: first.answerId } })).status, { timeout: 60_000, interval: 1000 }).toBe('interrupted');
    const recovered = await db.answer.findUniqueOrThrow({ where: { id: first.answerId } });
    expect(recovered.recordingKey).toMatch(/answer\.(webm|mp4)$/);
    expect(recovered.durationMs).toBeGreaterThan(3_000);
    // Finalized by the surviving node.
    expect(recovered.recoveringBy).toBe((await nodes()).find((n) => n.publicUrl === second.mediaUrl)?.id);
    expect((await nodes()).map((n) => n.publicUrl)).toEqual([second.mediaUrl]);
    const takeover = (Date.now() - stoppedAt) / 1000;
    expect(takeover).toBeLessThan(60);

    // New answers go to the healthy node only.
    const c = await signedUpContext(browser, origin, 'next@nodes.example', 'Nia Next');
    const q = await question();
    expect((await contextApi(c, origin, 'POST', '/api/answers', { questionId: q.id })).body.join.mediaUrl).toBe(second.mediaUrl);

    // The answer on the healthy node kept recording the whole time and stops normally.
    expect(await second.page.getByTestId('recording-state').getAttribute('data-state')).toBe('recording');
    await second.page.getByTestId('stop-answer').click();
    await second.page.waitForURL(new RegExp(`/answers/${second.answerId}$`), { timeout: 60_000 });
    // (The report page opens before the recording is complete in S3.)
    await expect.poll(async () => (await db.answer.findUniqueOrThrow({ where: { id: second.answerId } })).status, { timeout: 30_000 }).toBe('ready');
    const finished = await db.answer.findUniqueOrThrow({ where: { id: second.answerId } });
    expect(finished.durationMs! / 1000).toBeGreaterThan((finished.stoppedAt!.getTime() - finished.startedAt!.getTime()) / 1000 - 1.5);

    // The frozen node's page notices the media connection is gone, asks again, hears that its
    // answer was finished elsewhere, and plays what was kept with a note saying what happened.
    await first.page.getByTestId('playback').waitFor({ timeout: 90_000 });
    expect(await first.page.locator('.playback').textContent()).toContain('The media server stopped during this answer; what was received is kept.');

    // Killing the frozen process: the launcher starts it again and it rejoins the cluster.
    process.kill(-victim, 'SIGKILL');
    await expect.poll(async () => (await nodes()).length, { timeout: 30_000 }).toBe(2);
    for (const context of [a, b, c]) await context.close();
  });
});
