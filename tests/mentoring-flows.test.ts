// More of mentoring in Chromium against the running product: a mentor offers reviews of recorded
// answers on the profile form; a candidate asks for one on an answer's page (a real WebM in the
// product's S3), pays on the labelled test checkout; the mentor watches it with the transcript,
// comments at a moment and delivers ratings and a summary; the candidate's comment list seeks the
// video. A candidate moves a booked call to another slot. An admin approves an application.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordedAnswer } from './support/answers.ts';
import { launchChromium } from './support/browser.ts';
import { bookCall, callParties, contextApi, productDb, productS3, type Db } from './support/calls.ts';
import { checkPage, navLinks, signUp } from './support/pages.ts';
import { startProduct, useProductAndBrowser, type RunningProduct } from './support/product.ts';

const run = promisify(execFile);
const HOUR = 3600_000;
const SHOTS = '/tmp/shots';
const VIDEO_MS = 6_000;
/** Ten words from 0.5 s to about 4.5 s into the recording (tests/support/answers.ts `spoken`). */
const SCRIPT = 'I led the migration and cut our costs by half.';

/** The <video>'s position in seconds, and whether it plays. */
const videoState = (page: Page, testId: string) =>
  page.getByTestId(testId).evaluate((video: HTMLVideoElement) => ({ time: video.currentTime, playing: !video.paused, ready: video.readyState }));

describe('answer reviews and moving a call, in the browser', () => {
  let product: RunningProduct;
  let browser: Browser;
  let db: Db;
  let storage: { s3: S3Client; bucket: string };
  let origin: string;
  let dir: string;
  let webm: Buffer;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-review-'));
    const file = path.join(dir, 'answer.webm');
    // A real, seekable recording: a test pattern and a tone, VP8 and Opus as the media server writes.
    const made = run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15', '-f', 'lavfi', '-i', 'sine', '-t', String(VIDEO_MS / 1000), '-c:v', 'libvpx', '-c:a', 'libopus', file]);
    [product, browser] = await Promise.all([startProduct({ MENTOR_AUTO_APPROVE: 'true' }), launchChromium(), made]);
    webm = await readFile(file);
    origin = new URL(product.url).origin;
    db = productDb(product);
    storage = productS3(product);
    await mkdir(SHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    storage?.s3.destroy();
    await db?.$disconnect();
    await browser?.close();
    if (product && product.process.exitCode === null) await product.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const userId = async (context: BrowserContext) => (await contextApi(context, origin, 'GET', '/api/auth/me')).body.user.id as string;
  const answerOf = async (context: BrowserContext) => {
    const question = await db.question.findFirstOrThrow({ where: { ownerId: null, source: 'bank' }, orderBy: { slug: 'asc' } });
    return recordedAnswer({ db }, storage, { userId: await userId(context), questionId: question.id, script: SCRIPT, webm, durationMs: VIDEO_MS });
  };
  const newPage = async (context: BrowserContext) => {
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error));
    return page;
  };

  it('sells a review of a recorded answer: offered, asked for, paid, commented at a moment, rated, read', { timeout: 180_000 }, async () => {
    const { mentor, seeker, mentorId } = await callParties(browser, origin, 'review');

    // ---- the mentor offers reviews on the profile form ----
    const mentorPage = await newPage(mentor);
    await mentorPage.goto(`${origin}/mentor`);
    const profile = mentorPage.getByTestId('mentor-profile-form');
    await profile.getByTestId('mentor-languages').fill('en');
    await profile.getByTestId('mentor-review-price').fill('30');
    await profile.getByTestId('mentor-review-hours').fill('24');
    await profile.getByTestId('mentor-profile-form-submit').click();
    await mentorPage.getByTestId('profile-saved').waitFor();
    expect(await mentorPage.getByTestId('mentor-review-price').inputValue()).toBe('30');

    // ---- the candidate finds the offer in the directory and on the profile ----
    const seekerPage = await newPage(seeker);
    await seekerPage.goto(`${origin}/mentors`);
    await seekerPage.getByTestId('filter-reviews').check();
    await seekerPage.getByTestId('filter-apply').click();
    await seekerPage.waitForURL(/reviews=true/);
    expect(await seekerPage.getByTestId('mentor-card').count()).toBe(1);
    expect(await seekerPage.getByTestId('mentor-review-price').textContent()).toBe('$30 / recorded answer');
    await seekerPage.goto(`${origin}/mentors/${mentorId}`);
    expect(await seekerPage.getByTestId('mentor-review-offer').textContent()).toBe('Reviews a recorded answer: $30, within 24 h.');

    // ---- and asks for a review on a recorded answer's page ----
    const answerId = await answerOf(seeker);
    await seekerPage.goto(`${origin}/answers/${answerId}`);
    await seekerPage.getByTestId('show-reviewers').click();
    await seekerPage.locator(`[data-testid=reviewer][data-mentor-id="${mentorId}"]`).click();
    expect(await seekerPage.getByTestId('request-review-submit').textContent()).toContain('Request review for $30');
    await seekerPage.getByTestId('review-request').fill('Is my result convincing?');
    await checkPage(seekerPage, 'answer page, asking for a review');
    await seekerPage.screenshot({ path: `${SHOTS}/answer-request-review.png`, fullPage: true });
    await seekerPage.getByTestId('request-review-submit').click();
    await seekerPage.waitForURL(/\/reviews\/[0-9a-f-]{36}$/);
    const reviewId = seekerPage.url().split('/').at(-1)!;
    expect(await seekerPage.getByTestId('review-status').getAttribute('data-status')).toBe('requested');
    expect(await seekerPage.getByTestId('review-request').textContent()).toBe('Is my result convincing?');
    // The mentor sees neither recording nor transcript before it is paid.
    await mentorPage.goto(`${origin}/reviews/${reviewId}`);
    await mentorPage.getByTestId('recording-not-shared').waitFor();
    expect(await mentorPage.getByTestId('review-video').count()).toBe(0);

    // ---- paid on the labelled test checkout ----
    await seekerPage.getByTestId('pay').click();
    await seekerPage.waitForURL(new RegExp(`/reviews/${reviewId}/test-checkout$`));
    expect(await seekerPage.getByTestId('test-checkout-banner').textContent()).toContain('TEST MODE');
    await checkPage(seekerPage, 'review test checkout');
    await seekerPage.getByTestId('complete-test-payment').click();
    await seekerPage.waitForURL(/checkout=done/);
    await seekerPage.locator('[data-testid=review-status][data-status=open]').waitFor();
    await seekerPage.getByTestId('checkout-done').waitFor();
    const dueAt = await seekerPage.getByTestId('review-due').locator('time').getAttribute('datetime');
    expect(Date.parse(dueAt!) - Date.now()).toBeGreaterThan(23 * HOUR);

    // ---- the mentor finds it, plays the recording with its transcript, and comments at a moment ----
    await mentorPage.goto(`${origin}/reviews`);
    await mentorPage.locator(`[data-testid=review-item][data-review-id="${reviewId}"][data-as=mentor]`).getByRole('link').click();
    await mentorPage.waitForURL(new RegExp(`/reviews/${reviewId}$`));
    await mentorPage.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid=review-video]')?.readyState ?? 0) >= 1, undefined, { timeout: 30_000 });
    const word = mentorPage.getByTestId('transcript-word').nth(3);
    const wordStart = Number(await word.getAttribute('data-start'));
    await word.click();
    await mentorPage.waitForFunction((start) => {
      const video = document.querySelector<HTMLVideoElement>('[data-testid=review-video]')!;
      return !video.paused && video.currentTime > start + 0.4;
    }, wordStart, { timeout: 15_000 });
    // The word being said is highlighted as it plays.
    await mentorPage.locator('[data-testid=transcript-word][aria-current=true]').waitFor();
    expect(Number(await mentorPage.getByTestId('review-transcript').getAttribute('data-current'))).toBeGreaterThanOrEqual(3);
    // Writing stops the video where it is: the comment is at that moment.
    await mentorPage.getByTestId('comment-text').fill('Say the result first.');
    const paused = await videoState(mentorPage, 'review-video');
    expect(paused.playing).toBe(false);
    const atMs = Number(await mentorPage.getByTestId('add-comment').getAttribute('data-at-ms'));
    expect(Math.abs(atMs - paused.time * 1000)).toBeLessThan(50);
    expect(atMs).toBeGreaterThan(wordStart * 1000);
    await mentorPage.getByTestId('add-comment').click();
    await mentorPage.locator(`[data-testid=comment][data-at-ms="${atMs}"]`).waitFor();
    expect(await mentorPage.getByTestId('comment-text').inputValue()).toBe('');

    // ---- and delivers a rating per competency and a summary ----
    const deliver = mentorPage.getByTestId('deliver-form');
    const rows = deliver.getByTestId('rating-row');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getByTestId('rating-competency').inputValue()).not.toBe('');
    await deliver.getByTestId('review-summary').fill('A clear story. Lead with the result, then tell how you got there.');
    await deliver.getByTestId('deliver-review').click();
    expect(await deliver.getByTestId('deliver-error').textContent()).toContain('a score from 1 to 5');
    await rows.first().locator('[data-testid=rating-score][data-score="4"]').click();
    await deliver.getByTestId('add-rating').click();
    await rows.nth(1).getByTestId('rating-competency').fill('Communication');
    await rows.nth(1).locator('[data-testid=rating-score][data-score="5"]').click();
    await rows.nth(1).getByTestId('rating-note').fill('Calm and easy to follow');
    await checkPage(mentorPage, 'review, the mentor delivering');
    await mentorPage.screenshot({ path: `${SHOTS}/review-mentor.png`, fullPage: true });
    await deliver.getByTestId('deliver-review').click();
    await mentorPage.locator('[data-testid=review-status][data-status=delivered]').waitFor();
    expect(await mentorPage.getByTestId('deliver-form').count()).toBe(0);
    expect(await mentorPage.getByTestId('comment-form').count()).toBe(0);

    // ---- the candidate reads it: the comment seeks the video to its moment, and the ratings ----
    await seekerPage.goto(`${origin}/reviews/${reviewId}`);
    await seekerPage.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid=review-video]')?.readyState ?? 0) >= 1, undefined, { timeout: 30_000 });
    const comment = seekerPage.getByTestId('comment');
    expect(await comment.count()).toBe(1);
    expect(await comment.textContent()).toContain('Say the result first.');
    await comment.getByTestId('comment-seek').click();
    await seekerPage.waitForFunction((seconds) => Math.abs(document.querySelector<HTMLVideoElement>('[data-testid=review-video]')!.currentTime - seconds) < 0.6, atMs / 1000, { timeout: 10_000 });
    const ratings = seekerPage.getByTestId('review-rating');
    expect(await ratings.evaluateAll((items) => items.map((li) => [li.getAttribute('data-competency'), li.getAttribute('data-score')]))).toEqual([
      [expect.any(String), '4'],
      ['communication', '5'],
    ]);
    expect(await ratings.nth(1).textContent()).toContain('Calm and easy to follow');
    expect(await seekerPage.getByTestId('review-summary-text').textContent()).toContain('Lead with the result');
    await checkPage(seekerPage, 'review, delivered, as the candidate');
    await seekerPage.screenshot({ path: `${SHOTS}/review-seeker.png`, fullPage: true });
    await seekerPage.goto(`${origin}/reviews`);
    expect(await seekerPage.locator(`[data-testid=review-item][data-review-id="${reviewId}"]`).getAttribute('data-status')).toBe('delivered');
    await checkPage(seekerPage, 'reviews list');

    // A guest's recorded answer: asked to sign up first.
    const guest = await browser.newContext();
    expect((await guest.request.post(`${origin}/api/auth/guest`, { headers: { origin } })).status()).toBe(201);
    const guestPage = await newPage(guest);
    await guestPage.goto(`${origin}/answers/${await answerOf(guest)}`);
    expect(await guestPage.getByTestId('sign-up-to-review').getAttribute('href')).toBe('/signup');
    expect(await guestPage.getByTestId('show-reviewers').count()).toBe(0);
    await Promise.all([mentor.close(), seeker.close(), guest.close()]);
  });

  it('moves a booked call to another free slot from the booking page', { timeout: 120_000 }, async () => {
    const parties = await callParties(browser, origin, 'move');
    const { seeker, mentor, mentorId } = parties;
    const id = await bookCall(parties, origin, 26 * HOUR);
    const page = await newPage(seeker);
    await page.goto(`${origin}/bookings/${id}`);
    const startsAt = await page.getByTestId('booking-when').locator('time').first().getAttribute('datetime');
    await page.getByTestId('reschedule-open').click();
    // Two days on, whatever the hour now: two free starts there.
    await page.getByTestId('slot-day').nth(2).click();
    const [taken, chosen] = (await page.getByTestId('slot').evaluateAll((slots) => slots.map((s) => s.getAttribute('data-starts-at')!))).filter((s, i) => i % 4 === 0);
    // Someone books the first one just before: the page says so and lists the slots as they are.
    await page.locator(`[data-testid=slot][data-starts-at="${taken}"]`).click();
    const other = await contextApi(seeker, origin, 'POST', '/api/bookings', { mentorId, startsAt: taken, minutes: 30, priceCents: 5000 });
    expect(other.status).toBe(201);
    await page.getByTestId('confirm-reschedule').click();
    expect(await page.getByTestId('reschedule-error').textContent()).toContain('Someone else has just booked this time');
    await expect.poll(() => page.locator(`[data-testid=slot][data-starts-at="${taken}"]`).count()).toBe(0);
    await checkPage(page, 'booking, moving it');
    await page.screenshot({ path: `${SHOTS}/booking-moving.png`, fullPage: true });

    await page.locator(`[data-testid=slot][data-starts-at="${chosen}"]`).click();
    await page.getByTestId('confirm-reschedule').click();
    await page.waitForURL(/moved=done/);
    expect(await page.getByTestId('moved-done').textContent()).toContain('The calendar invite was sent again');
    expect(await page.getByTestId('booking-when').locator('time').first().getAttribute('datetime')).toBe(chosen);
    expect(chosen).not.toBe(startsAt);
    expect((await db.booking.findUniqueOrThrow({ where: { id } })).startsAt.toISOString()).toBe(chosen);
    expect(await db.outboxEmail.count({ where: { subject: { startsWith: 'Moved:' }, text: { contains: id } } })).toBe(2);
    await page.screenshot({ path: `${SHOTS}/booking-moved.png`, fullPage: true });

    // The mentor cannot move it; a call that took place links to its summary.
    const mentorPage = await newPage(mentor);
    await mentorPage.goto(`${origin}/bookings/${id}`);
    await mentorPage.getByTestId('booking-summary').waitFor();
    expect(await mentorPage.getByTestId('reschedule').count()).toBe(0);
    await db.booking.update({ where: { id }, data: { status: 'completed' } });
    await page.reload();
    expect(await page.getByTestId('call-summary-link').getAttribute('href')).toBe(`/calls/${id}/summary`);
    expect(await page.getByTestId('reschedule').count()).toBe(0);
    await Promise.all([seeker.close(), mentor.close()]);
  });
});

describe('mentor applications, approved by an admin', () => {
  // Not development, and no MENTOR_AUTO_APPROVE: an application waits for an admin.
  const running = useProductAndBrowser();

  it('lists an application for the admin to approve, then the applicant has the dashboard; suspending takes it away', { timeout: 120_000 }, async () => {
    const { product, browser } = running;
    const db = productDb(product);
    const applicant = await (await browser.newContext({ baseURL: product.url })).newPage();
    await signUp(applicant, 'Ada Applicant', 'applicant@example.com');
    await applicant.goto('/mentor');
    const apply = applicant.getByTestId('apply-form');
    await apply.getByTestId('mentor-headline').fill('Hiring manager for data teams');
    await apply.getByTestId('mentor-topics').fill('Data engineering, Behavioural');
    await apply.getByTestId('mentor-price-30').fill('40');
    await apply.getByTestId('apply-form-submit').click();
    await applicant.getByTestId('mentor-waiting').waitFor();
    expect(await applicant.getByTestId('mentor-waiting').textContent()).toContain('Waiting for review');

    const admin = await (await browser.newContext({ baseURL: product.url })).newPage();
    await signUp(admin, 'Olga Operator', 'admin@example.com');
    expect((await admin.goto('/admin/mentors'))!.status()).toBe(403);
    const adminId = (await (await admin.request.get('/api/auth/me')).json()).user.id as string;
    await db.userRole.create({ data: { userId: adminId, role: 'admin' } });
    await admin.goto('/admin/mentors');
    expect(await navLinks(admin)).toEqual(expect.arrayContaining(['Admin']));
    const row = admin.getByTestId('applied-mentors').getByTestId('admin-mentor');
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('Ada Applicant');
    expect(await row.textContent()).toContain('Hiring manager for data teams');
    expect(await row.textContent()).toContain('data engineering');
    await checkPage(admin, 'mentor applications');
    await admin.screenshot({ path: `${SHOTS}/admin-mentors.png`, fullPage: true });
    await row.getByTestId('approve-mentor').click();
    await admin.getByTestId('applied-empty').waitFor();
    const approved = admin.getByTestId('approved-mentors').getByTestId('admin-mentor');
    expect(await approved.getAttribute('data-status')).toBe('approved');

    await applicant.reload();
    await applicant.getByTestId('availability-form').waitFor();
    expect(await applicant.getByTestId('mentor-waiting').count()).toBe(0);

    await approved.getByTestId('suspend-mentor').click();
    await admin.getByTestId('suspended-mentors').getByTestId('admin-mentor').waitFor();
    await admin.screenshot({ path: `${SHOTS}/admin-mentors-after.png`, fullPage: true });
    await applicant.reload();
    await applicant.getByTestId('mentor-suspended').waitFor();
    await db.$disconnect();
  });
});
