// Sharing in Chromium against the running product: a candidate builds a video resume from two
// recorded answers (real WebM in the product's S3), shares it with one named recruiter; the
// recruiter watches with the synced transcript (the word being said highlighted, a click seeks)
// and leaves feedback; the candidate sees the view (with how long it played) and the feedback,
// revokes the link, and the recruiter's page and media stop working at once.
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
import { contextApi, productDb, productS3, signedUpContext, type Db } from './support/calls.ts';
import { checkPage } from './support/pages.ts';
import { startProduct, type RunningProduct } from './support/product.ts';

const run = promisify(execFile);
const SHOTS = '/tmp/shots';
const VIDEO_MS = 6_000;
const SCRIPTS = ['I led the migration and cut our costs by half.', 'We paired with design every week and shipped on time.'];

describe('sharing a video resume with a recruiter, in the browser', () => {
  let product: RunningProduct;
  let browser: Browser;
  let db: Db;
  let storage: { s3: S3Client; bucket: string };
  let origin: string;
  let dir: string;
  let webm: Buffer;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-share-'));
    const file = path.join(dir, 'answer.webm');
    const made = run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15', '-f', 'lavfi', '-i', 'sine', '-t', String(VIDEO_MS / 1000), '-c:v', 'libvpx', '-c:a', 'libopus', file]);
    [product, browser] = await Promise.all([startProduct(), launchChromium(), made]);
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

  const newPage = async (context: BrowserContext) => {
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error));
    return page;
  };
  const video = (page: Page) => page.getByTestId('review-video').evaluate((v: HTMLVideoElement) => ({ time: v.currentTime, ready: v.readyState }));

  it('builds, shares, watches, gives feedback, sees the view and revokes at once', { timeout: 240_000 }, async () => {
    const candidate = await signedUpContext(browser, origin, 'cara@share.example', 'Cara Candidate');
    const recruiter = await signedUpContext(browser, origin, 'rita@share.example', 'Rita Recruiter');
    // The recruiter buys the Recruiter plan in the labelled test mode, and has proved her address.
    expect((await contextApi(recruiter, origin, 'POST', '/api/billing/test-checkout/complete', { plan: 'recruiter' })).status).toBe(200);
    await db.user.update({ where: { email: 'rita@share.example' }, data: { emailVerifiedAt: new Date() } });
    const candidateId = (await contextApi(candidate, origin, 'GET', '/api/auth/me')).body.user.id as string;
    const questions = await db.question.findMany({ where: { ownerId: null, source: 'bank' }, orderBy: { slug: 'asc' }, take: 2 });
    const answers = [];
    for (const [i, script] of SCRIPTS.entries()) answers.push(await recordedAnswer({ db }, storage, { userId: candidateId, questionId: questions[i]!.id, script, webm, durationMs: VIDEO_MS }));

    // ---- the candidate builds a video resume, second answer first ----
    const page = await newPage(candidate);
    await page.goto(`${origin}/resumes`);
    await page.getByTestId('resume-headline').fill('Cara — platform engineer');
    await page.getByTestId('resume-profile').fill('Migrations, costs, teamwork.');
    for (const id of answers) await page.getByTestId(`resume-answer-${id}`).check();
    await page.getByTestId(`resume-up-${answers[1]}`).click();
    await checkPage(page, 'video resume builder');
    await page.screenshot({ path: `${SHOTS}/resume-builder.png`, fullPage: true });
    await page.getByTestId('resume-save').click();
    const item = page.getByTestId('resume-item');
    await item.waitFor();
    const resumeId = (await item.getAttribute('data-id'))!;
    expect((await db.videoResume.findUniqueOrThrow({ where: { id: resumeId } })).answerIds).toEqual([answers[1], answers[0]]);

    // ---- and shares it with the recruiter only ----
    await item.getByTestId('share-open').click();
    await item.getByTestId('share-days').selectOption('7');
    await item.getByTestId('share-recipients').fill('rita@share.example');
    await item.getByTestId('share-create').click();
    const url = await item.getByTestId('share-url').inputValue();
    expect(url).toMatch(/\/s\/[A-Za-z0-9_-]{43}$/);
    const linkId = (await item.getByTestId('share-created').getAttribute('data-id'))!;
    await page.screenshot({ path: `${SHOTS}/resume-shared.png`, fullPage: true });

    // Nobody else gets in: signed out it asks to sign in; the candidate's own preview is not a view.
    const stranger = await browser.newContext();
    const strangerPage = await newPage(stranger);
    await strangerPage.goto(url);
    await strangerPage.getByTestId('share-signin').waitFor();
    await checkPage(strangerPage, 'share link, signed out');
    await stranger.close();

    // ---- the recruiter watches with the synced transcript ----
    const watch = await newPage(recruiter);
    await watch.goto(url);
    await watch.getByTestId('shared-candidate').waitFor();
    expect(await watch.getByTestId('shared-resume').textContent()).toContain('Cara — platform engineer');
    expect(await watch.getByTestId('shared-answer').getAttribute('data-id')).toBe(answers[1]);
    await watch.waitForFunction(() => (document.querySelector('[data-testid=review-video]') as HTMLVideoElement | null)?.readyState! >= 1);
    // A click on a word seeks there and plays; the highlighted word follows the video.
    const words = watch.getByTestId('transcript-word');
    const fifth = words.nth(4);
    const start = Number(await fifth.getAttribute('data-start'));
    await fifth.click();
    await watch.waitForFunction(() => !(document.querySelector('[data-testid=review-video]') as HTMLVideoElement).paused);
    expect((await video(watch)).time).toBeGreaterThanOrEqual(start - 0.05);
    await watch.waitForFunction((s) => (document.querySelector('[data-testid=review-video]') as HTMLVideoElement).currentTime > s + 1, start);
    const current = Number(await watch.getByTestId('review-transcript').getAttribute('data-current'));
    expect(current).toBeGreaterThanOrEqual(4);
    expect(await words.nth(current).getAttribute('aria-current')).toBe('true');
    await checkPage(watch, 'shared video resume, recruiter');
    await watch.screenshot({ path: `${SHOTS}/share-recruiter-view.png`, fullPage: true });

    // ---- and leaves feedback ----
    const rating = watch.locator('[data-testid^=feedback-rating-]').first();
    await rating.selectOption('4');
    await watch.getByTestId('feedback-comment').fill('Strong numbers; say more about your part.');
    await watch.getByTestId('feedback-submit').click();
    await watch.getByTestId('feedback-sent').waitFor();
    // Leaving the page reports how long the video played.
    await watch.goto(`${origin}/account`);

    // ---- the candidate sees the view and the feedback ----
    await page.goto(`${origin}/shares`);
    await page.locator(`[data-testid=share-row][data-id="${linkId}"] a`).first().click();
    await page.waitForURL(new RegExp(`/shares/${linkId}$`));
    const view = page.getByTestId('share-view');
    await view.waitFor();
    expect(await view.count()).toBe(1);
    expect(await view.textContent()).toContain('rita@share.example');
    await expect.poll(async () => {
      await page.reload();
      return Number(await page.getByTestId('share-view').getAttribute('data-watched-ms'));
    }, { timeout: 15_000 }).toBeGreaterThan(500);
    const feedback = page.getByTestId('recruiter-feedback');
    expect(await feedback.textContent()).toContain('Strong numbers; say more about your part.');
    expect(await feedback.getByTestId('recruiter-rating').first().getAttribute('data-rating')).toBe('4');
    await checkPage(page, 'share link detail, candidate');
    await page.screenshot({ path: `${SHOTS}/share-detail.png`, fullPage: true });

    // ---- revoking stops the recruiter's page and media at once ----
    await watch.goto(url);
    await watch.getByTestId('shared-answer').waitFor();
    const mediaUrl = await watch.getByTestId('review-video').getAttribute('src');
    expect(await watch.evaluate(async (u) => (await fetch(u!, { headers: { range: 'bytes=0-99' } })).status, mediaUrl)).toBe(206);
    await page.getByTestId('share-revoke').click();
    await page.locator('[data-testid=share-state][data-state=revoked]').first().waitFor();
    expect(await watch.evaluate(async (u) => (await fetch(u!, { headers: { range: 'bytes=100-199' } })).status, mediaUrl)).toBe(410);
    await watch.reload();
    const gone = watch.getByTestId('share-gone');
    await gone.waitFor();
    expect(await gone.getAttribute('data-code')).toBe('SHARE_REVOKED');
    await checkPage(watch, 'revoked share link');
    await watch.screenshot({ path: `${SHOTS}/share-revoked.png`, fullPage: true });
    await candidate.close();
    await recruiter.close();
  });
});
