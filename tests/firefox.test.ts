// Firefox ESR answers a question end to end with the default settings: it offers only its
// non-loopback host candidates (behind mDNS names), so this works only because the media server
// listens on every address of the machine. The recording must play.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchFirefox } from './support/firefox.ts';
import { startProduct, type RunningProduct } from './support/product.ts';

const run = promisify(execFile);

describe('practising in Firefox', () => {
  let product: RunningProduct;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-firefox-'));
    [product, browser] = await Promise.all([startProduct(), launchFirefox()]);
  });

  afterAll(async () => {
    await browser?.close();
    if (product && product.process.exitCode === null) await product.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('records an answer that plays back', { timeout: 180_000 }, async () => {
    const page = await browser.newPage();
    const state = (testId: string) => page.$eval(`[data-testid=${testId}]`, (el) => el.getAttribute('data-state'));
    await page.goto(`${product.url}/practice`);
    await page.click('[data-testid=question-item] a');
    await page.waitForFunction(() => {
      const start = document.querySelector<HTMLButtonElement>('[data-testid=start-answer]');
      return start !== null && !start.disabled;
    }, { timeout: 30_000 });
    // A first-time visitor's first try is a 401; the page then becomes a guest and starts again.
    const started = page.waitForResponse((r) => r.url().endsWith('/api/answers') && r.request().method() === 'POST' && r.status() === 201);
    await page.click('[data-testid=start-answer]');
    const answerId = ((await (await started).json()) as { answer: { id: string } }).answer.id;
    await page.waitForFunction(() => document.querySelector('[data-testid=recording-state]')?.getAttribute('data-state') === 'recording', { timeout: 30_000 });
    expect(await state('connection-state')).toBe('connected');
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    await page.click('[data-testid=stop-answer]');
    // The page goes to the answer's report once the media server says it is saved.
    await page.waitForFunction((id) => location.pathname === `/answers/${id}`, { timeout: 60_000 }, answerId);
    // The recording joins the report page once it is complete in S3.
    await page.waitForSelector('[data-testid=report-video]', { timeout: 30_000 });

    const answer = await page.evaluate(async (id) => (await (await fetch(`/api/answers/${id}`)).json()).answer, answerId);
    expect(answer.status, answer.recordingNote ?? '').toBe('ready');
    expect(answer.recording.durationMs).toBeGreaterThan(4_000);

    // The file, fetched by the page with its own session: WebM with video and Opus audio.
    const bytes = await page.evaluate(async (id) => Array.from(new Uint8Array(await (await fetch(`/api/answers/${id}/recording`)).arrayBuffer())), answerId);
    const file = path.join(dir, 'firefox.webm');
    await writeFile(file, Buffer.from(bytes));
    const { stdout } = await run('/usr/bin/ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file]);
    const probe = JSON.parse(stdout) as { format: { duration: string }; streams: { codec_type: string; codec_name: string }[] };
    expect(probe.streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort()).toEqual(['audio:opus', expect.stringMatching(/^video:(vp8|h264)$/)]);
    expect(Math.abs(Number(probe.format.duration) * 1000 - answer.recording.durationMs)).toBeLessThan(500);

    // And Firefox plays it: the player loads it and reaches its middle.
    const played = await page.$eval('[data-testid=report-video]', async (element) => {
      const video = element as HTMLVideoElement;
      video.muted = true;
      if (video.readyState < 1) await new Promise((resolve, reject) => {
        video.addEventListener('loadedmetadata', resolve, { once: true });
        video.addEventListener('error', () => reject(new Error(`video error ${video.error?.code}`)), { once: true });
      });
      const seeked = new Promise((resolve) => video.addEventListener('seeked', resolve, { once: true }));
      video.currentTime = 2;
      await seeked;
      return { currentTime: video.currentTime, width: video.videoWidth };
    });
    expect(played.currentTime).toBeGreaterThan(1.5);
    // The report page is in the site's sans-serif type, in Firefox too (it fell back to a serif font).
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('main')!).fontFamily)).toMatch(/^system-ui/);
    expect(played.width).toBeGreaterThan(0);
    // The coach works in Firefox too: automatic feedback, and the interviewer's follow-up shown
    // (the bank's: no OpenAI key here) and handed to Firefox's speech synthesis.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=feedback-point]').length > 0, { timeout: 30_000 });
    expect(await page.$eval('[data-testid=ai-unavailable]', (el) => el.textContent)).toContain('no OpenAI key');
    // Firefox's fake microphone plays a tone, which the speech engine may or may not make words of;
    // a follow-up is asked only about an answer with words in it.
    const heard = await page.evaluate(async (id) => (await (await fetch(`/api/answers/${id}/report`)).json()).report.words.length as number, answerId);
    if (heard > 0) {
      await page.waitForFunction(() => (document.querySelector('[data-testid=follow-up-text]')?.textContent ?? '').length > 10, { timeout: 15_000 });
      expect(await page.$eval('[data-testid=follow-up]', (el) => el.getAttribute('data-source'))).toBe('bank');
    } else {
      expect(await page.$$('[data-testid=follow-up]')).toHaveLength(0);
    }
    await page.close();
  });
});
