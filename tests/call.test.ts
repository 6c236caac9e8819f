// Two peers in one room (a mentor call) receive each other's camera and microphone through the
// running product's media server: real signaling, real worker, two Chromium pages.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signMediaToken } from '@rehearse/core/media-token';
import { launchChromium } from './support/browser.ts';
import { bundleForBrowser } from './support/bundle.ts';
import { startProduct, type RunningProduct } from './support/product.ts';

const SECRET = 'call-test-secret-0123456789-abcdefghij';
const here = path.dirname(fileURLToPath(import.meta.url));

describe('a 1:1 call', () => {
  let product: RunningProduct;
  let browser: Browser;
  let script: string;

  beforeAll(async () => {
    [product, browser, script] = await Promise.all([
      startProduct({ MEDIA_TOKEN_SECRET: SECRET }),
      launchChromium(),
      bundleForBrowser(path.join(here, 'fixtures/call-client.ts')),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('carries audio and video both ways between a candidate and a mentor', async () => {
    const mediaUrl = `ws://localhost:${product.ports[2]}/signaling`;
    // The test's own call client is injected as an inline script, which the site's CSP forbids
    // (rightly: no page of the product runs inline script without its nonce); this harness may.
    const pages = await Promise.all([browser.newPage({ bypassCSP: true }), browser.newPage({ bypassCSP: true })]);
    const roles = ['candidate', 'mentor'] as const;
    for (const [i, page] of pages.entries()) {
      page.on('pageerror', (error) => console.error(`page ${i}:`, error));
      // The media server only accepts pages of the product's own origin.
      await page.goto(product.url);
      await page.addScriptTag({ content: script });
      const token = await signMediaToken({ purpose: 'join', userId: `user-${i}`, roomId: 'call-room', role: roles[i]!, answerId: null, mediaUrl }, SECRET);
      await page.evaluate(([url, t]) => window.callClient.join(url, t), [mediaUrl, token] as const);
    }
    for (const page of pages) {
      await expect
        .poll(async () => {
          const bytes = await page.evaluate(() => window.callClient.received());
          return (bytes.audio ?? 0) > 2000 && (bytes.video ?? 0) > 10_000;
        }, { timeout: 20_000 })
        .toBe(true);
    }
  });
});
