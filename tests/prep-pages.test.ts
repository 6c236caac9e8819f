// The prep pages in Chromium against the running product: a member makes a plan from a pasted job
// description, writes a STAR story for one of its competencies and sees its feedback, answers
// today's item from the plan with the story's bullet points beside the camera (fake camera, a
// flite voice as the microphone), and the report and the plan say so.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productDb } from './support/calls.ts';
import { launchChromium, speechFile } from './support/browser.ts';
import { checkPage, navLinks, signUp } from './support/pages.ts';
import { startProduct, type RunningProduct } from './support/product.ts';

const SHOTS = '/tmp/shots';
const SPEECH = 'When checkout failed during every sale, I owned the fix. I added a cache and load tests, and errors fell from four percent to almost none.';
const JD = 'We want an engineer who takes ownership end to end, works cross-functional with product and design, and communicates clearly with stakeholders. You will debug hard problems and find the root cause.';

/** A calendar date `days` from now, in UTC (the browser's zone here). */
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function waitForRecording(page: Page): Promise<void> {
  await expect.poll(() => page.getByTestId('recording-state').getAttribute('data-state'), { timeout: 30_000, interval: 100 }).toBe('recording');
}

describe('prep pages in the browser', () => {
  let product: RunningProduct;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-prep-'));
    [product, browser] = await Promise.all([startProduct(), launchChromium({ fakeAudioFile: await speechFile(dir, SPEECH) })]);
  });

  afterAll(async () => {
    await browser?.close();
    if (product && product.process.exitCode === null) await product.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('plans an interview, banks a story, and answers today’s item with the cheat sheet on', { timeout: 240_000 }, async () => {
    await mkdir(SHOTS, { recursive: true });
    const context = await browser.newContext({ baseURL: product.url, timezoneId: 'UTC', viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error));

    // A visitor is asked to sign up first.
    await page.goto('/prep');
    await page.getByTestId('prep-signup').waitFor();
    expect(await page.getByTestId('plan-form').count()).toBe(0);

    await signUp(page, 'Pat Prep', `prep-${Date.now()}@example.com`);
    expect(await navLinks(page)).toContain('Prep');
    await page.getByTestId('site-nav').getByRole('link', { name: 'Prep', exact: true }).click();
    await page.waitForURL(/\/prep$/);
    await checkPage(page, 'prep plans');

    // ---- a plan from a pasted job description ----
    await page.getByTestId('plan-role').fill('Software engineer');
    await page.getByTestId('plan-company').fill('Acme');
    await page.getByTestId('plan-date').fill(inDays(10));
    await page.getByTestId('plan-jd').fill(JD);
    await page.getByTestId('plan-create').click();
    await page.waitForURL(/\/prep\/[0-9a-f-]{36}$/);
    const planId = page.url().split('/').at(-1)!;
    const progress = page.getByTestId('plan-progress').first();
    expect(await progress.getAttribute('data-done')).toBe('0');
    const total = Number(await progress.getAttribute('data-total'));
    expect(total).toBeGreaterThan(5);
    const today = page.locator('[data-testid=plan-day][data-today=true]');
    expect(await today.count()).toBe(1);
    expect(Number(await page.getByTestId('plan-due-today').getAttribute('data-count'))).toBeGreaterThan(0);
    const first = today.getByTestId('plan-item').first();
    const competency = (await first.getAttribute('data-competency'))!;
    expect(await page.getByTestId('plan-without-story').locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('data-competency')))).toContain(competency);
    await checkPage(page, 'the plan');

    // ---- a STAR story for today's competency, from the plan's link ----
    await page.locator(`[data-testid=write-story][data-competency="${competency}"]`).click();
    await page.waitForURL(/\/stories\?competency=/);
    expect(await page.getByTestId('story-competencies').inputValue()).toBe(competency);
    await page.getByTestId('story-title').fill('Checkout outage');
    await page.getByTestId('story-part-situation').fill('Checkout failed during sales, every time, for a year.');
    await page.getByTestId('story-part-task').fill('I had to fix it before the next sale.');
    await page.getByTestId('story-part-action').fill('We talked about it.');
    await page.getByTestId('story-part-result').fill('Errors fell from 4 % to 0.1 %.');
    await page.getByTestId('story-save').click();
    const saved = page.getByTestId('story-saved');
    await saved.waitFor();
    const points = saved.getByTestId('story-point');
    expect(await points.evaluateAll((els) => els.map((el) => `${el.getAttribute('data-kind')}:${el.getAttribute('data-part')}`))).toEqual(
      expect.arrayContaining(['strength:result', 'improvement:action']),
    );
    expect(await saved.getByTestId('story-time').textContent()).toMatch(/About 0:\d\d to tell/);
    await expect.poll(() => page.getByTestId('story').count()).toBe(1);
    // Without an OpenAI key on the server, asking the AI coach says so; the automatic comments stand.
    await page.getByTestId('story').getByTestId('story-ai-ask').click();
    expect(await page.getByTestId('story-ai-error').textContent()).toMatch(/OpenAI key/);
    await checkPage(page, 'stories');
    await page.screenshot({ path: `${SHOTS}/stories.png`, fullPage: true });

    // ---- today's item, answered with the bullet points beside the camera ----
    await page.goto(`/prep/${planId}`);
    expect(await page.getByTestId('plan-without-story').locator(`[data-competency="${competency}"]`).count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/prep-plan.png`, fullPage: true });
    const itemId = (await first.getAttribute('data-item'))!;
    await first.getByTestId('answer-now').click();
    await page.waitForURL(new RegExp(`/practice/[0-9a-f-]{36}\\?prepItem=${itemId}&plan=${planId}$`));
    await page.waitForFunction(() => {
      const start = document.querySelector<HTMLButtonElement>('[data-testid=start-answer]');
      return start !== null && !start.disabled;
    });
    const sheet = page.getByTestId('cheat-sheet');
    expect(await sheet.getAttribute('data-level')).toBe('off');
    expect(await page.getByTestId('cheat-sheet-suggested').getAttribute('data-level')).toBe('script');
    expect(await page.getByTestId('cheat-sheet-lines').count()).toBe(0);
    await sheet.getByText('Bullet points').click();
    const lines = page.getByTestId('cheat-sheet-lines');
    await lines.waitFor();
    expect(await lines.textContent()).toContain('Checkout failed during sales');
    // Beside the camera: to its right, level with it.
    const camera = (await page.getByTestId('preview').boundingBox())!;
    const notes = (await lines.boundingBox())!;
    expect(notes.x).toBeGreaterThanOrEqual(camera.x + camera.width);
    expect(notes.y).toBeLessThan(camera.y + camera.height);
    await checkPage(page, 'practice with the cheat sheet');
    await page.screenshot({ path: `${SHOTS}/practice-cheat-sheet.png` });

    const started = page.waitForResponse((r) => r.url().endsWith('/api/answers') && r.request().method() === 'POST');
    await page.getByTestId('start-answer').click();
    const response = await started;
    expect(response.status()).toBe(201);
    expect(response.request().postDataJSON()).toMatchObject({ prepItemId: itemId, cheatSheet: 'bullets' });
    const answerId = ((await response.json()) as { answer: { id: string } }).answer.id;
    await waitForRecording(page);
    await page.waitForTimeout(8_000);
    await page.getByTestId('stop-answer').click();
    await page.waitForURL(new RegExp(`/answers/${answerId}$`), { timeout: 60_000 });
    expect(await page.getByTestId('answer-cheat-sheet').textContent()).toContain('Cheat sheet: bullet points');
    expect(await page.getByTestId('back-to-plan').getAttribute('href')).toBe(`/prep/${planId}`);

    // ---- the plan counts it once the answer is saved ----
    await page.getByTestId('back-to-plan').click();
    await page.waitForURL(new RegExp(`/prep/${planId}$`));
    await expect
      .poll(async () => {
        await page.reload();
        return page.getByTestId('plan-progress').first().getAttribute('data-done');
      }, { timeout: 30_000, interval: 1_000 })
      .toBe('1');
    expect(await page.locator(`[data-testid=plan-item][data-item="${itemId}"]`).getAttribute('data-done')).toBe('true');
    // Having answered with the sheet on, the next item of the same competency starts at the level
    // the plan suggests (still the script after one answer), not off.
    const next = page.locator(`[data-testid=plan-item][data-done=false][data-competency="${competency}"]`).first();
    expect(await next.count()).toBeGreaterThan(0); // ten days of spaced practice come back to it
    await next.getByTestId('answer-now').click();
    await page.waitForURL(/\/practice\/[0-9a-f-]{36}\?prepItem=/);
    await expect.poll(() => page.getByTestId('cheat-sheet').getAttribute('data-level')).toBe('script');
    expect(await page.getByTestId('cheat-sheet-lines').count()).toBe(1);
    await page.goto(`/prep/${planId}`);

    // ---- reminders: a morning mail; the calendar feed is a private link that serves the sessions ----
    await page.getByTestId('reminder-time').fill('07:45');
    await page.getByTestId('reminders-save').click();
    await page.getByTestId('reminders-on').waitFor();
    expect(await page.getByTestId('reminders-on').textContent()).toContain('07:45');
    const feed = await page.getByTestId('calendar-feed').getAttribute('href');
    const ics = await page.request.get(feed!);
    expect(ics.headers()['content-type']).toMatch(/^text\/calendar/);
    expect(await ics.text()).toContain('BEGIN:VEVENT');
    // The queue's clock moved to the reminder's time (its job made due): the mail arrives in the
    // dev outbox with the day's items and a calendar that parses back.
    const db = productDb(product);
    try {
      expect(await db.$executeRaw`UPDATE pgboss.job SET start_after = now() WHERE name = 'prep.reminder' AND data->>'planId' = ${planId} AND state = 'created'`).toBe(1);
    } finally {
      await db.$disconnect();
    }
    type OutboxMail = { subject: string; text: string; calendar: string | null };
    const reminderMail = async () => ((await (await page.request.get('/api/dev/outbox')).json()) as { emails: OutboxMail[] }).emails.find((m) => m.subject.startsWith("Today's practice"));
    await expect.poll(reminderMail, { timeout: 30_000, interval: 500 }).toBeTruthy();
    const reminder = (await reminderMail())!;
    expect(reminder.text).toContain(`/prep/${planId}`);
    const sessions = new ICAL.Component(ICAL.parse(reminder.calendar!)).getAllSubcomponents('vevent');
    expect(sessions.length).toBeGreaterThan(0);
    expect(new ICAL.Event(sessions[0]!).uid).toMatch(new RegExp(`^prep-${planId}-\\d{4}-\\d{2}-\\d{2}@`));
    await page.getByTestId('reminders-off').click();
    await page.getByTestId('reminders-save').waitFor();
    await expect.poll(() => page.getByTestId('reminders-on').count()).toBe(0);

    // ---- the free plan keeps one prep plan: a second is refused, saying why ----
    await page.goto('/prep');
    expect(await page.getByTestId('plan-row').count()).toBe(1);
    await page.getByTestId('plan-role').fill('Staff engineer');
    await page.getByTestId('plan-date').fill(inDays(20));
    await page.getByTestId('plan-source-competencies').check({ force: true });
    await page.getByTestId('plan-competencies').fill('leadership');
    await page.getByTestId('plan-create').click();
    expect(await page.getByTestId('plan-error').textContent()).toMatch(/Free plan includes 1 prep plan/);
    await context.close();
  });
});
