// Faults under a candidate's answer, with the product on a PostgreSQL and an S3 server this test
// owns (as a cluster's would be, outside the product): the API killed mid-answer (the launcher
// starts it again; the answer finishes and its report is saved), and PostgreSQL restarted and S3
// gone for 30 s mid-answer (the recording is whole: the spool holds what S3 could not take, and
// catches up).
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '@rehearse/deploy/embedded-postgres';
import { startEmbeddedS3, type EmbeddedObjectStore } from '@rehearse/deploy/embedded-s3';
import { launchChromium, speechFile } from './support/browser.ts';
import { createPrismaClient } from '@rehearse/db';
import { createS3Client } from '@rehearse/core/storage';
import { loadConfig } from '@rehearse/core/config';
import { signedUpContext, startAnswerInPage, type Db } from './support/calls.ts';
import { freePort, pidListeningOn } from './support/ports.ts';
import { startProduct, type RunningProduct } from './support/product.ts';

describe('faults mid-answer', () => {
  let dir: string;
  let pgPort: number;
  let database: EmbeddedDatabase;
  let store: EmbeddedObjectStore;
  let product: RunningProduct;
  let browser: Browser;
  let db: Db;
  let origin: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-faults-'));
    // Embedded PostgreSQL runs as the `postgres` user when the tests run as root.
    await chmod(dir, 0o755);
    pgPort = await freePort();
    [database, store] = await Promise.all([startEmbeddedPostgres({ dataDir: path.join(dir, 'db'), port: pgPort }), startEmbeddedS3({ dataDir: path.join(dir, 's3') })]);
    const speech = await speechFile(dir, 'First I mapped the failing payments, then I changed the retry logic, and the errors dropped to nearly zero.');
    [product, browser] = await Promise.all([
      startProduct({ DATABASE_URL: database.url, S3_ENDPOINT: store.endpoint, ANSWER_RECONNECT_GRACE_MS: '60000' }),
      launchChromium({ fakeAudioFile: speech }),
    ]);
    db = createPrismaClient(database.url);
    origin = new URL(product.url).origin;
  }, 180_000);

  afterAll(async () => {
    await db?.$disconnect();
    await browser?.close();
    if (product && product.process.exitCode === null) await product.stop();
    await store?.stop();
    await database?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Stops from the page (retrying while the API cannot be reached) and waits for the report page. */
  async function stopAnswer(page: Page, answerId: string): Promise<void> {
    await expect
      .poll(
        async () => {
          if (page.url().includes(`/answers/${answerId}`)) return true;
          const stop = page.getByTestId('stop-answer');
          if (await stop.isEnabled().catch(() => false)) await stop.click().catch(() => {});
          await page.waitForURL(new RegExp(`/answers/${answerId}$`), { timeout: 10_000 }).catch(() => {});
          return page.url().includes(`/answers/${answerId}`);
        },
        { timeout: 90_000, interval: 1000 },
      )
      .toBe(true);
  }

  const liveWords = (page: Page) => page.evaluate(() => (document.querySelector('[data-testid=live-transcript]')?.textContent ?? '').trim().split(/\s+/).filter(Boolean).length);

  it('finishes an answer and saves its report when the API is killed in the middle of it', { timeout: 180_000 }, async () => {
    const context = await signedUpContext(browser, origin, 'api-kill@faults.example', 'Ada Kill');
    const { page, answerId } = await startAnswerInPage(context, origin, db);
    await page.waitForTimeout(3_000);
    const apiPort = product.ports[1]!;
    const apiPid = await pidListeningOn(apiPort);
    expect(apiPid).not.toBeNull();
    process.kill(apiPid!, 'SIGKILL');
    // The launcher starts it again; meanwhile the answer records on, the coach keeps listening.
    const wordsBefore = await liveWords(page);
    await expect.poll(async () => (await fetch(`http://127.0.0.1:${apiPort}/health`).catch(() => null))?.status, { timeout: 60_000, interval: 500 }).toBe(200);
    expect(await pidListeningOn(apiPort)).not.toBe(apiPid);
    await page.waitForTimeout(3_000);
    expect(await page.getByTestId('recording-state').getAttribute('data-state')).toBe('recording');
    expect(await liveWords(page)).toBeGreaterThan(wordsBefore);
    await stopAnswer(page, answerId);
    await expect.poll(async () => (await db.answer.findUniqueOrThrow({ where: { id: answerId } })).status, { timeout: 60_000 }).toBe('ready');
    const report = await db.answerReport.findUniqueOrThrow({ where: { answerId } });
    expect((report.words as unknown[]).length).toBeGreaterThan(3);
    expect(product.output()).toMatch(/api exited unexpectedly \(.*\); starting it again/);
    await context.close();
  });

  it('loses no recording when PostgreSQL restarts and S3 is gone for 30 s during an answer', { timeout: 240_000 }, async () => {
    const context = await signedUpContext(browser, origin, 'outage@faults.example', 'Olu Outage');
    const { page, answerId } = await startAnswerInPage(context, origin, db);
    await page.waitForTimeout(4_000);

    // PostgreSQL goes down and comes back on the same data and port.
    await database.stop();
    await page.waitForTimeout(5_000);
    database = await startEmbeddedPostgres({ dataDir: path.join(dir, 'db'), port: pgPort });

    // S3 goes away for 30 s, then comes back with what it had.
    await store.stop();
    await page.waitForTimeout(30_000);
    store = await startEmbeddedS3({ dataDir: path.join(dir, 's3') });
    await page.waitForTimeout(4_000);
    expect(await page.getByTestId('recording-state').getAttribute('data-state')).toBe('recording');

    await stopAnswer(page, answerId);
    await expect.poll(async () => (await db.answer.findUniqueOrThrow({ where: { id: answerId } })).status, { timeout: 90_000, interval: 1000 }).toBe('ready');
    const answer = await db.answer.findUniqueOrThrow({ where: { id: answerId } });
    // The whole answer is in the recording: its length is the time between start and stop.
    const elapsed = answer.stoppedAt!.getTime() - answer.startedAt!.getTime();
    expect(elapsed).toBeGreaterThan(40_000);
    expect(answer.durationMs!, `recording ${answer.durationMs} ms of ${elapsed} ms`).toBeGreaterThan(elapsed - 2_000);
    const { storage } = loadConfig({ NODE_ENV: 'test' });
    const s3 = createS3Client({ ...storage, endpoint: store.endpoint });
    const bucket = storage.bucket;
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: answer.recordingKey! }));
    expect(head.ContentLength).toBe(Number(answer.recordingBytes));
    s3.destroy();
    // The outages were real, and noticed.
    expect(product.output()).toMatch(/job queue lost its database connection/);
    expect(product.output()).toMatch(/S3 upload request failed; retrying/);
    await context.close();
  });
});
