// A mentor call across browsers: the candidate in Debian's Firefox ESR, the mentor in Chromium,
// through the running product's SFU. Each receives the other's video, both recordings are kept.
import type { Browser as Chromium } from 'playwright-core';
import type { Browser as Firefox } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.ts';
import { contextApi, makeJobDue, productDb, signedUpContext, waitForRoom, type Db } from './support/calls.ts';
import { launchFirefox } from './support/firefox.ts';
import { startProduct, type RunningProduct } from './support/product.ts';

describe('a mentor call with the candidate in Firefox', () => {
  let product: RunningProduct;
  let chromium: Chromium;
  let firefox: Firefox;
  let db: Db;

  beforeAll(async () => {
    [product, chromium, firefox] = await Promise.all([startProduct({ MENTOR_AUTO_APPROVE: 'true' }), launchChromium(), launchFirefox()]);
    db = productDb(product);
  }, 180_000);

  afterAll(async () => {
    await db?.$disconnect();
    await chromium?.close();
    await firefox?.close();
    if (product && product.process.exitCode === null) await product.stop();
  });

  it('carries video both ways and records both sides', { timeout: 240_000 }, async () => {
    const origin = new URL(product.url).origin;
    const mentor = await signedUpContext(chromium, origin, 'ff-mentor@example.com', 'Maya Mentor');
    const applied = await contextApi(mentor, origin, 'POST', '/api/mentor/apply', { price30: 5000, timezone: 'UTC' });
    const mentorId = applied.body.mentor.id as string;
    const rules = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMinute: 0, endMinute: 24 * 60 }));
    await contextApi(mentor, origin, 'PUT', '/api/mentor/availability', { timezone: 'UTC', bufferMinutes: 0, minNoticeMinutes: 0, rules, exceptions: [] });

    // The candidate signs up, books and pays from Firefox itself.
    const candidate = await firefox.newPage();
    await candidate.goto(`${product.url}/mentors`);
    const id = await candidate.evaluate(async (mentorId) => {
      const post = (url: string, body?: object) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) }).then((r) => r.json());
      await post('/api/auth/signup', { email: 'ff-seeker@example.com', password: 'a long enough password', name: 'Sam Seeker' });
      const { slots, priceCents } = await (await fetch(`/api/mentors/${mentorId}/slots?minutes=30&days=2`)).json();
      const slot = slots.find((s: { startsAt: string }) => Date.parse(s.startsAt) > Date.now() + 3600_000);
      const { booking } = await post('/api/bookings', { mentorId, startsAt: slot.startsAt, minutes: 30, priceCents });
      await post(`/api/bookings/${booking.id}/test-checkout/complete`);
      return booking.id as string;
    }, mentorId);
    expect(await makeJobDue(db, 'booking.open-room', id)).toBe(1);
    await waitForRoom(db, id);

    await candidate.goto(`${product.url}/calls/${id}`);
    await candidate.waitForSelector('[data-testid=join-call]');
    await candidate.click('[data-testid=consent]');
    // This candidate chooses not to see their own coaching panel (the mentor sees it either way).
    await candidate.click('[data-testid=own-coaching]');
    await candidate.waitForFunction(() => !(document.querySelector('[data-testid=join-call]') as HTMLButtonElement).disabled, { timeout: 30_000 });
    await candidate.click('[data-testid=join-call]');
    const mentorPage = await mentor.newPage();
    await mentorPage.goto(`${product.url}/calls/${id}`);
    await mentorPage.getByTestId('consent').check();
    await mentorPage.getByTestId('join-call').click();

    const playing = () => {
      const video = document.querySelector('[data-testid="remote-video"]') as HTMLVideoElement | null;
      return !!video && video.readyState >= 2 && video.videoWidth > 0;
    };
    await mentorPage.waitForFunction(playing, undefined, { timeout: 60_000 });
    await candidate.waitForFunction(playing, { timeout: 60_000 });
    await candidate.waitForFunction(() => document.querySelector('[data-testid=call-status]')?.getAttribute('data-recording') === 'recording', { timeout: 30_000 });
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await candidate.$$eval('[data-testid=copilot]', (els) => els.length)).toBe(0);
    expect(await mentorPage.getByTestId('copilot').count()).toBe(1);
    expect((await db.booking.findUniqueOrThrow({ where: { id } })).seekerCoaching).toBe(false);
    await mentorPage.getByTestId('end-call').click();
    await mentorPage.waitForURL(`**/calls/${id}/summary`, { timeout: 60_000 });
    const recordings = await db.answer.findMany({ where: { bookingId: id } });
    expect(recordings.map((r) => [r.callRole, r.status, (r.durationMs ?? 0) > 1000])).toEqual(expect.arrayContaining([['candidate', 'ready', true], ['mentor', 'ready', true]]));
  });
});
