// Every page as people meet it, in Chromium: one layout with navigation, no serious or critical
// accessibility violations (axe-core), a 404 with a way back, the operator's status and the mentor
// applications for admins only, "check your email" after sign-up, and the answer flow by keyboard
// alone.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems } from './support/axe.ts';
import { useProductAndBrowser, repoRoot, type RunningProduct } from './support/product.ts';

const run = promisify(execFile);

/** Presses Tab until the element with `testId` has the focus (a keyboard user's path). */
async function tabTo(page: Page, testId: string, limit = 40): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testId)) return;
  }
  throw new Error(`${testId} never got the focus by Tab`);
}

describe('the pages', () => {
  const running = useProductAndBrowser();
  let product: RunningProduct;
  let browser: Browser;

  beforeAll(() => {
    ({ product, browser } = running);
  });

  it('share one layout with navigation, have no serious accessibility problems, and a 404 leads back', { timeout: 240_000 }, async () => {
    const context = await browser.newContext({ baseURL: product.url });
    const page = await context.newPage();
    await page.goto('/practice');
    const questionUrl = await page.getByTestId('question-item').first().locator('a').getAttribute('href');
    for (const url of ['/', '/practice', questionUrl!, '/mock', '/mentors', '/mentors?topic=nobody-teaches-this', '/prep', '/stories', '/login', '/signup', '/reset-password', '/verify-email?token=abc', '/dev/outbox', '/no-such-page']) {
      await page.goto(url);
      expect(await page.getByTestId('site-nav').count(), url).toBe(1);
      expect(await page.getByTestId('site-nav').getByRole('link', { name: 'Practice' }).count(), url).toBe(1);
      expect(await accessibilityProblems(page), url).toEqual([]);
    }
    await page.goto('/no-such-page');
    expect(await page.getByTestId('error-page').getAttribute('data-status')).toBe('404');
    await page.getByTestId('error-practice').click();
    await page.waitForURL(/\/practice$/);

    // Signed up: "check your email", then the account and plan pages, with the same layout.
    await page.goto('/signup');
    await page.getByTestId('signup-email').fill('pages@example.com');
    await page.getByTestId('signup-password').fill('a long enough password');
    await page.getByTestId('signup-submit').click();
    await page.waitForURL(/\/account/);
    expect(await page.getByTestId('check-email').textContent()).toContain('pages@example.com');
    // A mock interview of mine, to look at too.
    const mock = await page.request.post('/api/mock-interviews', { data: { questions: 2, minutes: 10 }, headers: { origin: product.url } });
    expect(mock.status()).toBe(201);
    const mockUrl = `/mock/${((await mock.json()) as { mockInterview: { id: string } }).mockInterview.id}`;
    for (const url of ['/account', '/account/billing', '/billing/test-checkout?plan=pro', '/progress', '/answers', mockUrl, '/prep', '/stories', '/bookings', '/reviews', '/mentor', '/shares', '/resumes', '/discovery', '/interviews', '/recruiter', '/s/not-a-real-link']) {
      await page.goto(url);
      expect(await page.getByTestId('site-nav').getByRole('link', { name: 'Account' }).count(), url).toBe(1);
      expect(await accessibilityProblems(page), url).toEqual([]);
    }
    // The question bank: filter and search on the practice page, and a question of my own.
    await page.goto('/practice');
    const total = Number(await page.getByTestId('question-count').getAttribute('data-count'));
    expect(total).toBeGreaterThanOrEqual(150);
    await page.getByTestId('filter-kind').selectOption('situational');
    await page.getByTestId('filter-q').fill('customer');
    await page.getByTestId('filter-apply').click();
    await page.waitForURL(/kind=situational/);
    const items = page.getByTestId('question-item');
    expect(await items.count()).toBeGreaterThan(0);
    expect(await items.count()).toBeLessThan(total);
    for (const kind of await items.evaluateAll((els) => els.map((el) => el.getAttribute('data-kind')))) expect(kind).toBe('situational');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.goto('/practice');
    await page.getByTestId('own-question-text').fill('What would you build with <b>unlimited</b> time?');
    await page.getByTestId('own-question-submit').click();
    const mine = page.locator('[data-testid=question-item][data-own=true]');
    await mine.waitFor();
    // Shown as the words typed, not as markup.
    expect(await mine.locator('.text').textContent()).toBe('What would you build with <b>unlimited</b> time?');
    expect(await mine.locator('b').count()).toBe(0);

    // What the plans promise exists: nothing about share links or mentors yet.
    await page.goto('/account/billing');
    expect(await page.locator('main').textContent()).not.toMatch(/share link|mentor/i);
    await page.goto('/');
    expect(await page.locator('main').textContent()).not.toMatch(/share link|mentor/i);
    await context.close();
  });

  it('shows the system status and the mentor applications to admins only', async () => {
    const context = await browser.newContext({ baseURL: product.url });
    const page = await context.newPage();
    expect((await page.goto('/admin/status'))!.status()).toBe(401);
    expect((await page.goto('/admin/mentors'))!.status()).toBe(401);
    await page.goto('/signup');
    await page.getByTestId('signup-email').fill('operator@example.com');
    await page.getByTestId('signup-password').fill('a long enough password');
    await page.getByTestId('signup-submit').click();
    await page.waitForURL(/\/account/);
    expect((await page.goto('/admin/status'))!.status()).toBe(403);
    expect(await page.getByTestId('error-page').getAttribute('data-status')).toBe('403');
    expect((await page.goto('/admin/mentors'))!.status()).toBe(403);

    // The operator makes themselves an admin, as the README says.
    const { stdout } = await run(process.execPath, ['deploy/local/grant-role.ts', 'operator@example.com', 'admin'], { cwd: repoRoot, env: { ...process.env, EMBEDDED_POSTGRES_PORT: String(product.ports[3]) } });
    expect(stdout).toContain('now has the admin role');
    await page.goto('/admin/status');
    await expect.poll(() => page.getByTestId('health-status').getAttribute('data-status')).toBe('ok');
    for (const name of ['database', 'objectStore', 'mediaWorkers', 'speechEngine']) {
      const item = page.getByTestId(`health-${name}`);
      expect(await item.getAttribute('data-ok'), `${name}: ${await item.textContent()}`).toBe('true');
    }
    expect(await page.getByTestId('health-database').textContent()).toContain('PostgreSQL');
    // No keys are configured in tests: the page says which offline stand-ins are in use.
    expect(await page.getByTestId('mode-speech').textContent()).toContain('rough local engine');
    expect(await page.getByTestId('mode-billing').textContent()).toContain('Local billing test mode');
    expect(await page.getByTestId('site-nav').getByRole('link', { name: 'Admin' }).count()).toBe(1);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByTestId('site-nav').getByRole('link', { name: 'Admin' }).click();
    await page.waitForURL(/\/admin$/);
    await page.getByTestId('admin-link').filter({ hasText: 'Mentor applications' }).click();
    await page.waitForURL(/\/admin\/mentors$/);
    await page.getByTestId('applied-empty').waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    // Job seekers are not shown any of it on the start page.
    await page.goto('/');
    expect(await page.getByTestId('health-status').count()).toBe(0);
    await context.close();
  });

  it('answers a question with the keyboard alone, then again, compares the two takes and deletes them', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ baseURL: product.url });
    const page = await context.newPage();
    await page.goto('/practice');
    await tabTo(page, 'question-link');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/practice\/[0-9a-f-]{36}$/);
    await page.waitForFunction(() => !document.querySelector<HTMLButtonElement>('[data-testid=start-answer]')?.disabled);
    await tabTo(page, 'start-answer');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=recording-state][data-state=recording]', { timeout: 30_000 });
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.waitForTimeout(3_000);
    // The stop button took the start button's place; it is reachable the same way.
    await tabTo(page, 'stop-answer');
    await page.keyboard.press(' ');
    await page.waitForURL(/\/answers\/[0-9a-f-]{36}$/, { timeout: 60_000 });
    // The recording joins the report page once it is complete in S3.
    await page.getByTestId('report-video').waitFor({ timeout: 30_000 });
    // (The fake microphone plays a tone: the transcript is there, and empty.)
    await page.getByTestId('report-transcript').waitFor({ state: 'attached' });
    expect(await accessibilityProblems(page)).toEqual([]);
    const answerId = page.url().split('/').at(-1)!;

    // My answers lists it; answering again leads to its question; deleting it removes it.
    await page.getByTestId('site-nav').getByRole('link', { name: 'My answers' }).click();
    await page.waitForURL(/\/answers$/);
    const row = page.locator(`[data-testid=history-row][data-answer-id="${answerId}"]`);
    expect(await row.getAttribute('data-status')).toBe('ready');
    expect(await accessibilityProblems(page)).toEqual([]);
    expect(await row.getByTestId('compare-link').count()).toBe(0);

    // A second take of the same question, then the two side by side.
    await row.getByTestId('answer-again').click();
    await page.waitForURL(/\/practice\/[0-9a-f-]{36}$/);
    await page.waitForFunction(() => !document.querySelector<HTMLButtonElement>('[data-testid=start-answer]')?.disabled);
    await page.getByTestId('start-answer').click();
    await page.waitForSelector('[data-testid=recording-state][data-state=recording]', { timeout: 30_000 });
    await page.waitForTimeout(3_000);
    await page.getByTestId('stop-answer').click();
    await page.waitForURL(/\/answers\/[0-9a-f-]{36}$/, { timeout: 60_000 });
    // The recording joins the report page once it is complete in S3.
    await page.getByTestId('report-video').waitFor({ timeout: 30_000 });
    const secondId = page.url().split('/').at(-1)!;
    await page.goto('/answers');
    const newest = page.locator(`[data-testid=history-row][data-answer-id="${secondId}"]`);
    await newest.getByTestId('compare-link').click();
    await page.waitForURL(/\/answers\/compare\?/);
    expect(await page.getByTestId('compare-take').evaluateAll((els) => els.map((el) => el.getAttribute('data-answer-id')))).toEqual([answerId, secondId]);
    expect(await page.getByTestId('compare-video').evaluateAll((els) => els.map((el) => el.getAttribute('src')))).toEqual([`/api/answers/${answerId}/recording`, `/api/answers/${secondId}/recording`]);
    expect(await page.getByTestId('compare-row').count()).toBe(7);
    expect(await accessibilityProblems(page)).toEqual([]);
    // Someone else's answer, or the same one twice, cannot be compared.
    expect((await page.goto(`/answers/compare?a=${answerId}&b=${answerId}`))!.status()).toBe(400);

    await page.goto('/answers');
    for (const id of [secondId, answerId]) {
      page.once('dialog', (dialog) => void dialog.accept());
      await page.locator(`[data-testid=history-row][data-answer-id="${id}"]`).getByTestId('delete-answer').click();
      await page.locator(`[data-testid=history-row][data-answer-id="${id}"]`).waitFor({ state: 'detached' });
    }
    await page.getByTestId('history-empty').waitFor();
    expect((await page.request.get(`/api/answers/${answerId}`)).status()).toBe(404);
    await context.close();
  });
});
