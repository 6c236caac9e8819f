// The progress page in Chromium, read from what it draws: one chart per measure with a point mark
// per answer that has the measure, placed by date and value, the pace band, the period and
// competency filters, nobody else's answers, and the empty state for a guest who has answered
// nothing. Also the page's pure helpers (web/src/lib/progress), which vitest does not collect in web/.
import AxeBuilder from '@axe-core/playwright';
import type { App } from '@rehearse/api';
import { createPrismaClient } from '@rehearse/db';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedAnswer, STRONG_STORY } from './support/answers.ts';
import { useProductAndBrowser, type RunningProduct } from './support/product.ts';

const DAY = 86_400_000;
/** SCREENSHOTS_DIR=… keeps screenshots of the page for a person to look at. */
async function shot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS_DIR) await page.screenshot({ path: `${process.env.SCREENSHOTS_DIR}/${name}.png`, fullPage: true });
}
/** The page's charts, by test id suffix. */
const CHARTS = ['wpm', 'fillers', 'pauses', 'star', 'score'];
/** My answers: days before now, question (a or b), and the report's figures. */
const MINE = [
  { days: 120, q: 'a', wpm: 112, fillers: 6.5, pauses: 5, star: 1, score: 2.5 },
  { days: 80, q: 'b', wpm: 118, fillers: 5.2, pauses: 4, star: 2, score: null },
  { days: 45, q: 'a', wpm: 127, fillers: 4.4, pauses: 4, star: 2, score: 3 },
  { days: 25, q: 'a', wpm: 171, fillers: 3.9, pauses: 3, star: 3, score: 3.5 },
  { days: 15, q: 'b', wpm: null, fillers: null, pauses: 2, star: 2, score: 4 },
  { days: 6, q: 'a', wpm: 149, fillers: 2.8, pauses: 2, star: 3, score: null },
  { days: 3, q: 'b', wpm: 141, fillers: 2.1, pauses: 1, star: 4, score: null },
  { days: 1, q: 'a', wpm: 155, fillers: 1.6, pauses: 1, star: 4, score: null },
  { days: 0.05, q: 'a', wpm: 146, fillers: 1.2, pauses: 0, star: 4, score: null },
] as const;
type Seeded = (typeof MINE)[number];
const STAR_PARTS = ['situation', 'task', 'action', 'result'];

/** How many of my answers each chart should draw, in a period (days; null: all time). */
function expectedCounts(days: number | null, q?: 'a' | 'b') {
  const shown = MINE.filter((a) => (days === null || a.days <= days) && (!q || a.q === q));
  const has = (value: (a: Seeded) => number | null) => shown.filter((a) => value(a) !== null).length;
  return { wpm: has((a) => a.wpm), fillers: has((a) => a.fillers), pauses: shown.length, star: shown.length, score: has((a) => a.score) };
}

/** What each chart drew: its point marks (centres), its line's `d`, and its accessible name. */
async function drawn(page: Page, key: string) {
  return page.getByTestId(`chart-${key}`).evaluate((figure) => ({
    points: [...figure.querySelectorAll('svg circle.point')].map((c) => ({ cx: Number(c.getAttribute('cx')), cy: Number(c.getAttribute('cy')) })),
    lines: [...figure.querySelectorAll('svg path.trend')].map((p) => p.getAttribute('d') ?? ''),
    name: figure.querySelector('svg[role=img]')?.getAttribute('aria-label') ?? null,
    empty: figure.querySelector('[data-testid$=-empty]')?.textContent?.trim() ?? null,
  }));
}

async function expectCounts(page: Page, counts: ReturnType<typeof expectedCounts>) {
  for (const [key, count] of Object.entries(counts)) {
    await expect.poll(async () => (await drawn(page, key)).points.length, { message: `${key} points` }).toBe(count);
    const chart = await drawn(page, key);
    if (count === 0) continue;
    expect(chart.lines, `${key} line`).toHaveLength(1);
    expect(chart.lines[0], `${key} line`).toMatch(/^M\s*[\d.-]+/);
    // Oldest on the left, one date each.
    for (let i = 1; i < chart.points.length; i++) expect(chart.points[i]!.cx, `${key} order`).toBeGreaterThan(chart.points[i - 1]!.cx);
  }
}

/** Every chart's dates under its x axis: at least two, none on top of another or out of the chart. */
async function expectReadableDates(page: Page) {
  for (const key of CHARTS) {
    const chart = page.getByTestId(`chart-${key}`);
    if ((await chart.locator('svg').count()) === 0) continue;
    await expect
      .poll(async () => {
        const box = (await chart.boundingBox())!;
        const dates = await chart.locator('svg .placement-bottom .lc-axis-tick-label').evaluateAll((texts) => texts.map((t) => t.getBoundingClientRect()).map((r) => ({ left: r.left, right: r.right })));
        const apart = dates.every((d, i) => i === 0 || d.left > dates[i - 1]!.right);
        const inside = dates.every((d) => d.left >= box.x && d.right <= box.x + box.width);
        return { count: dates.length >= 2, apart, inside };
      }, { message: `${key} dates` })
      .toEqual({ count: true, apart: true, inside: true });
  }
}

describe('the progress page', () => {
  const running = useProductAndBrowser();
  let product: RunningProduct;
  let origin: string;
  let db: ReturnType<typeof createPrismaClient>;
  let context: BrowserContext;
  let page: Page;
  const competency = { a: '', b: '' };
  let theirCompetency = '';

  beforeAll(async () => {
    product = running.product;
    origin = new URL(product.url).origin;
    db = createPrismaClient(`postgresql://rehearse:rehearse-local@127.0.0.1:${product.ports[3]}/rehearse`);
    // finishedAnswer only writes through app.db: the running product's database is that here.
    const app = { db } as unknown as App;
    const questions = await db.question.findMany({ where: { ownerId: null, competency: { not: '' } }, distinct: ['competency'], orderBy: { competency: 'asc' }, take: 3 });
    expect(questions).toHaveLength(3);
    const [qa, qb, qc] = questions as [(typeof questions)[0], (typeof questions)[0], (typeof questions)[0]];
    [competency.a, competency.b, theirCompetency] = [qa.competency, qb.competency, qc.competency];

    context = await running.browser.newContext({ baseURL: product.url, viewport: { width: 1280, height: 900 } });
    const signup = await context.request.post('/api/auth/signup', { data: { email: 'progress@example.com', password: 'a long enough password' }, headers: { origin } });
    expect(signup.status(), await signup.text()).toBe(201);
    const me = ((await signup.json()) as { user: { id: string } }).user.id;
    const other = await running.browser.newContext({ baseURL: product.url });
    const theirSignup = await other.request.post('/api/auth/signup', { data: { email: 'progress.other@example.com', password: 'a long enough password' }, headers: { origin } });
    expect(theirSignup.status(), await theirSignup.text()).toBe(201);
    const them = ((await theirSignup.json()) as { user: { id: string } }).user.id;
    await other.close();

    const seed = async (userId: string, questionId: string, days: number, figures: { wpm: number | null; fillers: number | null; pauses: number; star: number; score: number | null }) => {
      const createdAt = new Date(Date.now() - days * DAY);
      const answerId = await finishedAnswer(app, { userId, questionId, script: STRONG_STORY, createdAt });
      // The report's figure columns are what the progress API reads: varied so the charts are.
      await db.answerReport.update({ where: { answerId }, data: { wpm: figures.wpm, fillersPerMinute: figures.fillers, pauseCount: figures.pauses, starHeard: STAR_PARTS.slice(0, figures.star) } });
      if (figures.score !== null) await db.answerFeedback.create({ data: { answerId, userId, status: 'complete', model: 'test', score: figures.score, createdAt, completedAt: createdAt } });
    };
    for (const a of MINE) await seed(me, a.q === 'a' ? qa.id : qb.id, a.days, a);
    // Someone else's, today, with figures none of mine have.
    await seed(them, qc.id, 0.02, { wpm: 222, fillers: 9.9, pauses: 9, star: 4, score: 5 });
    await seed(them, qa.id, 2, { wpm: 223, fillers: 9.8, pauses: 9, star: 4, score: 5 });

    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await db?.$disconnect();
  });

  it('draws a point per answer on each measure, the pace band, and a table by competency', async () => {
    await page.goto('/progress');
    await page.getByTestId('chart-wpm').locator('svg circle.point').first().waitFor();
    expect(await page.getByTestId('progress-count').getAttribute('data-count')).toBe(String(MINE.length));
    await expectCounts(page, expectedCounts(null));

    // Higher values sit higher, and exactly the paces in 130–175 fall inside the shaded band.
    const wpm = await drawn(page, 'wpm');
    const paces = MINE.flatMap((a) => (a.wpm === null ? [] : [a.wpm]));
    const byHeight = [...wpm.points.keys()].sort((i, j) => wpm.points[j]!.cy - wpm.points[i]!.cy);
    expect(byHeight.map((i) => paces[i])).toEqual([...paces].sort((x, y) => x - y));
    const band = await page.getByTestId('chart-wpm').locator('svg rect.band').evaluate((r) => ({ top: Number(r.getAttribute('y')), height: Number(r.getAttribute('height')) }));
    expect(band.height).toBeGreaterThan(0);
    const inBand = wpm.points.map((p) => p.cy >= band.top && p.cy <= band.top + band.height);
    expect(inBand).toEqual(paces.map((v) => v >= 130 && v <= 175));
    expect(await page.getByTestId('chart-wpm-band').textContent()).toContain('comfortable pace, 130–175 wpm');

    // Each chart is named by its first and last value, and has a visible title and axis labels.
    expect(wpm.name).toBe('Pace over 8 answers: from 112 wpm to 146 wpm, up 34.');
    expect((await drawn(page, 'star')).name).toBe('STAR completeness over 9 answers: from 25% to 100%, up 75.');
    expect((await drawn(page, 'score')).name).toBe('AI feedback score over 4 answers: from 2.5 to 4.0, up 1.5.');
    for (const [key, title, axis] of [['wpm', 'Pace', 'Words a minute'], ['fillers', 'Fillers', 'Fillers a minute'], ['pauses', 'Pauses', 'Long pauses per answer'], ['star', 'STAR completeness', 'STAR parts heard (%)'], ['score', 'AI feedback score', 'Score (1–5)']] as const) {
      const chart = page.getByTestId(`chart-${key}`);
      expect(await chart.getByRole('heading').textContent()).toBe(title);
      const labels = await chart.locator('svg .lc-axis-label').allTextContents();
      expect(labels, key).toEqual(expect.arrayContaining([axis, 'Date of the answer']));
    }
    await expectReadableDates(page);

    // The table: my two competencies, with their averages.
    const rows = page.getByTestId('progress-competency-row');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-competency'), ...[...tr.children].slice(1).map((td) => td.textContent)]))).toEqual([
      [competency.a, '6', '71%', '3.0'],
      [competency.b, '3', '67%', '4.0'],
    ]);

    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`)).toEqual([]);
    await shot(page, 'progress');
    // On a phone the charts stack, and their dates still fit.
    await page.setViewportSize({ width: 390, height: 844 });
    await expectReadableDates(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'progress-narrow');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('shows the chosen period and competency only', async () => {
    await page.goto('/progress');
    // The filters submit on change once the page is hydrated; the charts are drawn only then.
    await page.getByTestId('chart-wpm').locator('svg').first().waitFor();
    await page.getByTestId('progress-period').selectOption('7d');
    await page.waitForURL(/period=7d/);
    await expectCounts(page, expectedCounts(7));
    expect(await page.getByTestId('progress-count').getAttribute('data-count')).toBe('4');
    // None of this week's answers has AI feedback.
    expect((await drawn(page, 'score')).empty).toBe('No AI feedback yet');
    await shot(page, 'progress-7d');

    await page.getByTestId('progress-period').selectOption('30d');
    await page.waitForURL(/period=30d/);
    await expectCounts(page, expectedCounts(30));
    await page.getByTestId('progress-competency').selectOption(competency.b);
    await page.waitForURL(/competency=/);
    await expectCounts(page, expectedCounts(30, 'b'));
    expect(new URL(page.url()).searchParams.get('period')).toBe('30d');
    // The table still compares the period's competencies, the chosen one marked.
    expect(await page.locator('[data-testid=progress-competency-row].chosen').getAttribute('data-competency')).toBe(competency.b);

    await page.goto('/progress?period=90d');
    await expectCounts(page, expectedCounts(90));
  });

  it('never shows anyone else’s answers', async () => {
    await page.goto('/progress');
    await page.getByTestId('chart-wpm').locator('svg circle.point').first().waitFor();
    await expectCounts(page, expectedCounts(null));
    const text = await page.locator('main').textContent();
    for (const figure of ['222 wpm', '223 wpm', '9.9 a minute', '9.8 a minute']) expect(text).not.toContain(figure);
    const options = await page.getByTestId('progress-competency').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options).toEqual(['', competency.a, competency.b].sort());
    expect(options).not.toContain(theirCompetency);
    // Even when asked for by name.
    await page.goto(`/progress?competency=${encodeURIComponent(theirCompetency)}`);
    expect(await page.getByTestId('progress-period-empty').textContent()).toContain('No answers');
    expect(await page.locator('svg circle.point').count()).toBe(0);
  });

  it('tells a new guest to answer a question, and sends a visitor without a session to practise', async () => {
    const guest = await running.browser.newContext({ baseURL: product.url });
    const started = await guest.request.post('/api/auth/guest', { headers: { origin } });
    expect(started.status(), await started.text()).toBe(201);
    const guestPage = await guest.newPage();
    await guestPage.goto('/progress');
    const empty = guestPage.getByTestId('progress-empty');
    expect(await empty.textContent()).toContain('Answer a question to see your progress');
    expect(await empty.getByRole('link').getAttribute('href')).toBe('/practice');
    expect(await guestPage.locator('[data-testid^=chart-]').count()).toBe(0);
    await guest.close();

    const visitor = await running.browser.newContext({ baseURL: product.url });
    const visitorPage = await visitor.newPage();
    await visitorPage.goto('/progress');
    expect(new URL(visitorPage.url()).pathname).toBe('/practice');
    await visitor.close();
  });
});
