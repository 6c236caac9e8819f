// When the browser cannot reach the media server (ICE or DTLS never completes), the page says so
// and what to do, and never claims to be recording. Forced here by announcing an address nothing
// listens on (on loopback, so the connectivity checks never leave this machine).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.ts';
import { startProduct, type RunningProduct } from './support/product.ts';

describe('a media connection that never comes up', () => {
  let product: RunningProduct;
  let browser: Browser;

  beforeAll(async () => {
    [product, browser] = await Promise.all([startProduct({ MEDIASOUP_LISTEN_IP: '127.0.0.1', MEDIASOUP_ANNOUNCED_ADDRESS: '127.0.0.3' }), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    if (product && product.process.exitCode === null) await product.stop();
  });

  it('is explained with what to do, and is never shown as recording', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ baseURL: product.url });
    const page = await context.newPage();
    await page.goto('/practice');
    await page.getByTestId('question-item').first().locator('a').click();
    await page.waitForFunction(() => !document.querySelector<HTMLButtonElement>('[data-testid=start-answer]')?.disabled);
    // Everything the page ever showed as its recording state, and whether a REC badge appeared.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seenStates: string[] }).seenStates = seen;
      const note = () => {
        const state = document.querySelector('[data-testid=recording-state]')?.getAttribute('data-state');
        if (state && seen.at(-1) !== state) seen.push(state);
        if (document.querySelector('.badge')) seen.push('REC badge');
      };
      new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true });
      note();
    });
    const started = page.waitForResponse((r) => r.url().endsWith('/api/answers') && r.request().method() === 'POST' && r.status() === 201);
    await page.getByTestId('start-answer').click();
    const { answer } = (await (await started).json()) as { answer: { id: string } };

    const error = page.getByTestId('answer-error');
    await error.waitFor({ timeout: 60_000 });
    expect(await error.getAttribute('data-kind')).toBe('network');
    expect(await error.textContent()).toMatch(/could not reach the media server.*another network.*TURN/s);
    const seen = await page.evaluate(() => (window as unknown as { seenStates: string[] }).seenStates);
    expect(seen).not.toContain('recording');
    expect(seen).not.toContain('REC badge');
    expect(await page.getByTestId('recording-state').getAttribute('data-state')).toBe('error');

    // The answer ended, honestly: nothing was recorded.
    await expect
      .poll(async () => ((await (await page.request.get(`/api/answers/${answer.id}`)).json()) as { answer: { status: string } }).answer.status, { timeout: 20_000 })
      .toBe('failed');
    const { answer: row } = (await (await page.request.get(`/api/answers/${answer.id}`)).json()) as { answer: { recordingNote: string; recording: unknown } };
    expect(row.recordingNote).toContain('No media reached the server');
    expect(row.recording).toBeNull();
    await context.close();
  });
});
