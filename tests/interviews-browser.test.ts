// A one-way interview in Chromium against the running product: a recruiter on the Recruiter plan
// sets it up on the page (questions with think and answer times, no coaching panel, two named
// candidates and a third); each of two candidates opens the mailed link, records through the live
// pipeline (think time, then the answer starts by itself; no coaching panel; a real recording in
// S3), sees what will be shared and submits; after the deadline the third is refused; the
// recruiter compares both side by side and leaves feedback the candidate sees.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, speechFile } from './support/browser.ts';
import { contextApi, productDb, signedUpContext, type Db } from './support/calls.ts';
import { checkPage } from './support/pages.ts';
import { startProduct, type RunningProduct } from './support/product.ts';

const SHOTS = '/tmp/shots';
const SPEECH = 'I made our nightly data pipeline six times faster by partitioning the biggest tables.';
const QUESTION = 'Tell us about a pipeline you made faster.';

describe('a one-way interview, in the browser', () => {
  let product: RunningProduct;
  let browser: Browser;
  let db: Db;
  let origin: string;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-interview-'));
    const speech = await speechFile(dir, SPEECH);
    [product, browser] = await Promise.all([startProduct(), launchChromium({ fakeAudioFile: speech })]);
    origin = new URL(product.url).origin;
    db = productDb(product);
    await mkdir(SHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
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
  const inviteToken = async (email: string) => (await db.outboxEmail.findFirstOrThrow({ where: { to: email, subject: { contains: 'one-way interview' } } })).text.match(/\/interviews\/invite\/([A-Za-z0-9_-]{43})/)![1]!;

  /** Confirms the address through the link mailed at sign-up (an invitation opens for a confirmed address only). */
  async function confirmEmail(page: Page, email: string, mails = 1): Promise<void> {
    await expect.poll(async () => db.outboxEmail.count({ where: { to: email, subject: 'Confirm your email address' } }), { timeout: 15_000 }).toBe(mails);
    const text = (await db.outboxEmail.findFirstOrThrow({ where: { to: email, subject: 'Confirm your email address' }, orderBy: { createdAt: 'desc' } })).text;
    await page.goto(text.match(/https?:\/\/\S+\/verify-email\S*/)![0]);
    await page.getByTestId('verify-confirm').click();
    await expect.poll(async () => (await db.user.findUniqueOrThrow({ where: { email } })).emailVerifiedAt).not.toBeNull();
  }

  /**
   * Opens the mailed link, records the one question (think time, then it starts by itself), checks
   * the preview and submits. With `serverStops`, the page's own stop never reaches the API (as if the
   * page were changed to run on): the media server stops the recording at the answer time.
   */
  async function answerAndSubmit(page: Page, email: string, { serverStops = false } = {}): Promise<string> {
    // Every notification the media server sends this page: the recruiter chose no live coaching.
    const notifications: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => {
      const name = (JSON.parse(String(payload)) as { notification?: string }).notification;
      if (name) notifications.push(name);
    }));
    await page.goto(`${origin}/interviews/invite/${await inviteToken(email)}`);
    await page.waitForURL(/\/interviews\/[0-9a-f-]{36}$/);
    const inviteId = page.url().split('/').at(-1)!;
    expect(await page.getByTestId('interview-submit').isDisabled()).toBe(true);
    await page.getByTestId('interview-record').first().click();
    await page.waitForURL(/\/practice\/[0-9a-f-]{36}\?invite=/);
    expect(await page.getByTestId('interview-progress').textContent()).toContain('question 1 of 1');
    // The think time runs down and the answer starts without a click.
    await page.getByTestId('think-time').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid=recording-state]')?.getAttribute('data-state') === 'recording', null, { timeout: 30_000 });
    expect(Number(await page.getByTestId('interview-answer-left').getAttribute('data-limit'))).toBe(30);
    await page.waitForTimeout(4_000);
    // The recruiter chose no coaching panel: none on the page, and the server sent no live analysis.
    expect(await page.getByTestId('live-transcript').count()).toBe(0);
    expect(notifications).toContain('recording');
    expect(notifications).not.toContain('analysis');
    if (serverStops) {
      await page.route('**/api/answers/*/stop', (route) => route.abort());
      const answerId = (await db.answer.findFirstOrThrow({ where: { interviewInviteId: inviteId }, orderBy: { createdAt: 'desc' } })).id;
      // The page's own stop at 30 s goes nowhere; the media server stops it 2 s later.
      await expect.poll(async () => (await db.answer.findUniqueOrThrow({ where: { id: answerId } })).status, { timeout: 60_000, interval: 500 }).toBe('ready');
      const row = await db.answer.findUniqueOrThrow({ where: { id: answerId } });
      expect(row.recordingNote).toBe('Stopped at the answer time limit');
      expect(row.durationMs).toBeGreaterThan(30_000);
      expect(row.durationMs).toBeLessThanOrEqual(33_500);
      await page.unroute('**/api/answers/*/stop');
      await page.goto(`${origin}/interviews/${inviteId}`);
    } else {
      await page.getByTestId('stop-answer').click();
    }
    expect(notifications).not.toContain('analysis');
    await page.waitForURL(new RegExp(`/interviews/${inviteId}`), { timeout: 60_000 });
    await page.locator('[data-testid=interview-item][data-answered=true]').waitFor({ timeout: 60_000 });
    // What will be shared, as the recruiter will see it: the video, the transcript, the figures.
    const preview = page.getByTestId('interview-preview');
    await preview.getByTestId('interview-preview-item').first().waitFor();
    expect(await preview.locator('video').count()).toBe(1);
    await checkPage(page, 'interview before submitting');
    await page.getByTestId('interview-submit').click();
    await page.getByTestId('interview-submitted').waitFor();
    return inviteId;
  }

  it('is set up, recorded by two candidates before the deadline, refused after it, and compared', { timeout: 300_000 }, async () => {
    const recruiter = await signedUpContext(browser, origin, 'rico@interview.example', 'Rico Recruiter');
    expect((await contextApi(recruiter, origin, 'POST', '/api/billing/test-checkout/complete', { plan: 'recruiter' })).status).toBe(200);

    // ---- the recruiter sets it up ----
    const rec = await newPage(recruiter);
    await rec.goto(`${origin}/recruiter/interviews`);
    await rec.getByTestId('interview-title').fill('Data engineer screen');
    await rec.getByTestId('interview-company').fill('Acme');
    await rec.getByTestId('interview-coaching').uncheck();
    const deadline = new Date(Date.now() + 2 * 86_400_000);
    const local = new Date(deadline.getTime() - deadline.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await rec.getByTestId('interview-deadline').fill(local);
    await rec.getByTestId('interview-question-text-0').fill(QUESTION);
    await rec.getByTestId('interview-think-0').fill('3');
    await rec.getByTestId('interview-answer-0').fill('30');
    await rec.getByTestId('interview-candidates').fill('ana@interview.example\nben@interview.example, cleo@interview.example');
    await checkPage(rec, 'one-way interview form');
    await rec.getByTestId('interview-create').click();
    // Made and mailed: the page opens the interview.
    await rec.waitForURL(/\/recruiter\/interviews\/[0-9a-f-]{36}$/);
    const interviewId = rec.url().split('/').at(-1)!;
    expect(await rec.locator('[data-testid=interview-candidate][data-status=invited]').count()).toBe(3);
    await rec.goto(`${origin}/recruiter/interviews`);
    expect(await rec.locator(`[data-testid=interview-row][data-id="${interviewId}"]`).count()).toBe(1);

    // ---- two candidates answer and submit ----
    const ana = await signedUpContext(browser, origin, 'ana@interview.example', 'Ana Candidate');
    const ben = await signedUpContext(browser, origin, 'ben@interview.example', 'Ben Candidate');
    const anaPage = await newPage(ana);
    // Someone else holding Ana's link (forwarded) cannot take her place.
    const benPage = await newPage(ben);
    await confirmEmail(benPage, 'ben@interview.example');
    await benPage.goto(`${origin}/interviews/invite/${await inviteToken('ana@interview.example')}`);
    const refused = benPage.getByTestId('invite-invalid');
    expect(await refused.getAttribute('data-code')).toBe('INVITE_FOR_ANOTHER_EMAIL');
    expect(await refused.textContent()).toContain('a***@interview.example');
    await benPage.getByTestId('invite-switch-account').waitFor();
    // Ana opens it before confirming her address: told to confirm first, and can have the link again.
    await anaPage.goto(`${origin}/interviews/invite/${await inviteToken('ana@interview.example')}`);
    expect(await anaPage.getByTestId('invite-invalid').getAttribute('data-code')).toBe('EMAIL_NOT_VERIFIED');
    await checkPage(anaPage, 'invitation before confirming the address');
    await anaPage.getByTestId('invite-resend-verification').click();
    await anaPage.getByTestId('invite-note').waitFor();
    await confirmEmail(anaPage, 'ana@interview.example', 2);
    const anaInvite = await answerAndSubmit(anaPage, 'ana@interview.example');
    await anaPage.screenshot({ path: `${SHOTS}/interview-submitted.png`, fullPage: true });
    await answerAndSubmit(benPage, 'ben@interview.example', { serverStops: true });

    // ---- the deadline passes: the third candidate's attempt is refused ----
    const cleo = await signedUpContext(browser, origin, 'cleo@interview.example', 'Cleo Candidate');
    const cleoPage = await newPage(cleo);
    await confirmEmail(cleoPage, 'cleo@interview.example');
    await cleoPage.goto(`${origin}/interviews/invite/${await inviteToken('cleo@interview.example')}`);
    await cleoPage.waitForURL(/\/interviews\/[0-9a-f-]{36}$/);
    const cleoInvite = cleoPage.url().split('/').at(-1)!;
    await db.recruiterInterview.update({ where: { id: interviewId }, data: { deadline: new Date(Date.now() - 1000) } });
    await cleoPage.reload();
    await cleoPage.getByTestId('interview-closed-notice').waitFor();
    expect(await cleoPage.getByTestId('interview-record').count()).toBe(0);
    const { body } = await contextApi(cleo, origin, 'GET', `/api/interview-invites/${cleoInvite}`);
    const late = await contextApi(cleo, origin, 'POST', '/api/answers', { questionId: body.invitation.questions[0].questionId, interviewInviteId: cleoInvite });
    expect(late).toMatchObject({ status: 409, body: { error: { code: 'DEADLINE_PASSED' } } });

    // ---- the recruiter compares them side by side ----
    await rec.goto(`${origin}/recruiter/interviews/${interviewId}`);
    const submitted = rec.locator('[data-testid=interview-candidate][data-status=submitted]');
    expect(await submitted.count()).toBe(2);
    expect((await submitted.evaluateAll((els) => els.map((e) => e.getAttribute('data-email')))).sort()).toEqual(['ana@interview.example', 'ben@interview.example']);
    const answered = rec.locator('[data-testid=interview-answer][data-answered=true]');
    expect(await answered.count()).toBe(2);
    // Both recordings play through the recruiter's own route.
    for (const src of await answered.locator('video').evaluateAll((vs) => vs.map((v) => (v as HTMLVideoElement).getAttribute('src')!))) {
      expect(await rec.evaluate(async (u) => (await fetch(u, { headers: { range: 'bytes=0-99' } })).status, src)).toBe(206);
    }
    expect(await rec.locator('[data-testid=interview-candidate][data-status=invited]').count()).toBe(1);
    await checkPage(rec, 'one-way interview comparison');
    await rec.screenshot({ path: `${SHOTS}/interview-compare.png`, fullPage: true });
    const feedback = rec.getByTestId('interview-feedback-comment').first();
    await feedback.fill('Clear and specific.');
    await rec.getByTestId('interview-feedback-submit').first().click();
    await rec.getByTestId('interview-feedback-sent').first().waitFor();

    // The candidate the feedback was for sees it on the interview's page.
    const feedbackFor = (await db.recruiterFeedback.findFirstOrThrow({ where: { comment: 'Clear and specific.' } })).inviteId;
    const page = feedbackFor === anaInvite ? anaPage : await newPage(ben);
    await page.goto(`${origin}/interviews/${feedbackFor}`);
    expect(await page.getByTestId('recruiter-feedback').textContent()).toContain('Clear and specific.');
    for (const c of [recruiter, ana, ben, cleo]) await c.close();
  });
});
