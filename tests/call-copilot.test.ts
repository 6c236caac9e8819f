// A booked mentor call in two Chromium pages through the running product: book and pay in the
// test mode, the job queue opens the room, both join through the SFU (consent first), the mentor's
// page shows the candidate's live transcript while the candidate's speech WAV plays, a marker is
// dropped, the call ends, the summary's clip list seeks the recording, the seeker rates the call.
// Also: the room's job survives an API restart between booking and the call.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fliteMicrophoneWav } from '@rehearse/testkit/speech';
import { launchChromium } from './support/browser.ts';
import { bookCall, callParties, contextApi, makeJobDue, productDb, signedUpContext, waitForRoom, type Db } from './support/calls.ts';
import { pidListeningOn } from './support/ports.ts';
import { startProduct, type RunningProduct } from './support/product.ts';

const SPEECH = 'In my last job our release process kept failing. I was asked to fix it within a month. I wrote a checklist and automated the tests. As a result releases went from weekly failures to none in three months.';

describe('a booked mentor call with the co-pilot', () => {
  let product: RunningProduct;
  let browser: Browser;
  let dir: string;
  let db: Db;
  let origin: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-call-'));
    const speech = await fliteMicrophoneWav(SPEECH, path.join(dir, 'speech.wav'));
    [product, browser] = await Promise.all([startProduct({ MENTOR_AUTO_APPROVE: 'true' }), launchChromium({ fakeAudioFile: speech })]);
    origin = new URL(product.url).origin;
    db = productDb(product);
  }, 180_000);

  afterAll(async () => {
    await db?.$disconnect();
    await browser?.close();
    if (product && product.process.exitCode === null) await product.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const api = (context: BrowserContext, method: 'GET' | 'POST' | 'PUT', url: string, data?: object) => contextApi(context, origin, method, url, data);

  it('opens the room from the job queue, even across an API restart, and both parties meet with the co-pilot', async () => {
    const parties = await callParties(browser, origin, 'call');
    const { mentor, seeker, mentorId } = parties;
    const id = await bookCall(parties, origin);

    // The API restarts between booking and the call (the launcher brings it back); the job is in PostgreSQL.
    const apiPort = product.ports[1]!;
    process.kill((await pidListeningOn(apiPort))!, 'SIGKILL');
    await vi.waitFor(async () => expect((await fetch(`http://127.0.0.1:${apiPort}/health`)).status).toBe(200), { timeout: 60_000, interval: 500 });
    expect((await db.booking.findUniqueOrThrow({ where: { id } })).roomOpenedAt).toBeNull();
    expect(await makeJobDue(db, 'booking.open-room', id)).toBe(1);
    await waitForRoom(db, id);

    // Lets the test cut the candidate's signaling socket as a network drop would.
    await seeker.addInitScript(() => {
      const Native = window.WebSocket;
      const sockets: WebSocket[] = [];
      Object.assign(window, { dropSockets: () => sockets.forEach((s) => s.close(4001, 'network drop')) });
      window.WebSocket = class extends Native {
        constructor(...args: ConstructorParameters<typeof WebSocket>) {
          super(...args);
          sockets.push(this);
        }
      };
    });
    const [mentorPage, seekerPage] = [await mentor.newPage(), await seeker.newPage()];
    for (const page of [mentorPage, seekerPage]) {
      page.on('pageerror', (error) => console.error('page error:', error));
      await page.goto(`${product.url}/calls/${id}`);
      await page.getByTestId('join-call').waitFor();
      // No consent, no joining.
      expect(await page.getByTestId('join-call').isDisabled()).toBe(true);
      await page.getByTestId('consent').check();
    }
    expect(await mentorPage.getByTestId('call-page').getAttribute('data-role')).toBe('mentor');
    await seekerPage.getByTestId('join-call').click();
    await mentorPage.getByTestId('join-call').click();
    // Each sees the other's video.
    for (const page of [mentorPage, seekerPage]) {
      await page.waitForFunction(() => {
        const video = document.querySelector('[data-testid="remote-video"]') as HTMLVideoElement | null;
        return !!video && video.readyState >= 2 && video.videoWidth > 0;
      }, undefined, { timeout: 60_000 });
    }
    // The candidate's words reach the mentor's co-pilot.
    await mentorPage.waitForFunction(() => Number(document.querySelector('[data-testid="live-transcript"]')?.getAttribute('data-final-words') ?? 0) >= 5, undefined, { timeout: 60_000 });
    expect(Number(await mentorPage.getByTestId('live-wpm').getAttribute('data-words'))).toBeGreaterThan(0);
    // The candidate left their own coaching panel on (the default): their words on their page too.
    await seekerPage.waitForFunction(() => Number(document.querySelector('[data-testid="copilot"] [data-testid="live-transcript"]')?.getAttribute('data-final-words') ?? 0) >= 1, undefined, { timeout: 30_000 });
    // Presence from the SFU is on the booking (the no-show rule reads it).
    const row = await db.booking.findUniqueOrThrow({ where: { id } });
    expect(row.mentorJoinedAt).not.toBeNull();
    expect(row.seekerJoinedAt).not.toBeNull();
    expect(row.mentorConsentAt).not.toBeNull();

    // The candidate's connection drops: the page rejoins with a fresh token, the mentor gets the new
    // media, and the co-pilot carries on with the same recording.
    const wordsBefore = Number(await mentorPage.getByTestId('live-transcript').getAttribute('data-final-words'));
    const rejoined = seekerPage.waitForResponse((r) => r.url().endsWith(`/api/calls/${id}/join`) && r.status() === 200);
    await seekerPage.evaluate(() => (window as unknown as { dropSockets: () => void }).dropSockets());
    await rejoined;
    await seekerPage.waitForSelector('[data-testid=call-status][data-transport=connected]', { timeout: 20_000 });
    await mentorPage.waitForFunction((before) => Number(document.querySelector('[data-testid="live-transcript"]')?.getAttribute('data-final-words') ?? 0) > before, wordsBefore, { timeout: 60_000 });
    await mentorPage.waitForFunction(() => {
      const video = document.querySelector('[data-testid="remote-video"]') as HTMLVideoElement | null;
      return !!video && (video.srcObject as MediaStream | null)?.getVideoTracks().some((t) => t.readyState === 'live' && !t.muted) === true;
    }, undefined, { timeout: 30_000 });
    expect(await db.answer.count({ where: { bookingId: id } })).toBe(2);
    // Back in the room: not counted as gone (the no-show rule reads when a party left).
    await vi.waitFor(async () => expect((await db.booking.findUniqueOrThrow({ where: { id } })).seekerLeftAt).toBeNull(), { timeout: 10_000 });

    await mentorPage.getByTestId('marker-note').fill('Strong result: quantify the impact');
    await mentorPage.getByTestId('drop-marker').click();
    await mentorPage.getByTestId('markers').getByText('Strong result').waitFor();
    // The candidate cannot drop markers.
    expect((await api(seeker, 'POST', `/api/calls/${id}/markers`, { note: 'x' })).body.error.code).toBe('MENTOR_ONLY');

    await mentorPage.getByTestId('end-call').click();
    await mentorPage.waitForURL(`**/calls/${id}/summary`, { timeout: 60_000 });
    await seekerPage.waitForURL(`**/calls/${id}/summary`, { timeout: 60_000 });
    expect((await db.booking.findUniqueOrThrow({ where: { id } })).status).toBe('completed');
    // Both left the room: the SFU wrote when.
    await vi.waitFor(async () => {
      const left = await db.booking.findUniqueOrThrow({ where: { id } });
      expect(left.mentorLeftAt).not.toBeNull();
      expect(left.seekerLeftAt).not.toBeNull();
    }, { timeout: 15_000 });

    // The summary: both recordings, the clip list seeking them, the candidate's transcript.
    await vi.waitFor(async () => {
      await seekerPage.reload();
      expect(await seekerPage.getByTestId('recording-candidate').count()).toBe(1);
      expect(await seekerPage.getByTestId('recording-mentor').count()).toBe(1);
    }, { timeout: 60_000, interval: 1_000 });
    const clip = seekerPage.getByTestId('clip');
    expect(await clip.count()).toBe(1);
    const atMs = Number(await clip.getAttribute('data-at-ms'));
    await seekerPage.waitForFunction(() => ((document.querySelector('[data-testid="recording-candidate"]') as HTMLVideoElement).readyState ?? 0) >= 1, undefined, { timeout: 30_000 });
    await clip.click();
    await seekerPage.waitForFunction((expected) => Math.abs((document.querySelector('[data-testid="recording-candidate"]') as HTMLVideoElement).currentTime - expected) < 1.5, Math.max(0, atMs - 3000) / 1000, { timeout: 10_000 });
    await vi.waitFor(async () => {
      await seekerPage.reload();
      expect(((await seekerPage.getByTestId('call-transcript').textContent()) ?? '').length).toBeGreaterThan(10);
    }, { timeout: 30_000, interval: 1_000 });
    // The media is for the two parties only.
    const stranger = await signedUpContext(browser, origin, 'call-stranger@example.com', 'Nosy');
    expect((await stranger.request.get(`${origin}/api/calls/${id}/recordings/candidate`)).status()).toBe(404);
    expect((await stranger.request.get(`${origin}/api/calls/${id}/summary`)).status()).toBe(404);
    expect((await mentor.request.get(`${origin}/api/calls/${id}/recordings/candidate`, { headers: { range: 'bytes=0-99' } })).status()).toBe(206);

    // The seeker rates the call, once; the rating is on the mentor's profile.
    expect((await api(seeker, 'POST', `/api/bookings/${id}/review`, { rating: 5, comment: 'Clear and useful' })).status).toBe(204);
    expect((await api(seeker, 'POST', `/api/bookings/${id}/review`, { rating: 5 })).body.error.code).toBe('ALREADY_REVIEWED');
    expect((await api(seeker, 'GET', `/api/mentors/${mentorId}`)).body.mentor.rating).toEqual({ average: 5, count: 1 });
    // Call recordings are not practice answers.
    expect((await api(seeker, 'GET', '/api/answers')).body.answers).toEqual([]);
    await Promise.all([mentor.close(), seeker.close(), stranger.close()]);
  }, 300_000);
});
