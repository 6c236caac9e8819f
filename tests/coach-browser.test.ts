// The coach as a job seeker uses it, in Chromium against the whole product (npm start's launcher),
// with the OpenAI SDK pointed at the local wire-protocol server: an answer, its automatic feedback,
// AI feedback streamed onto the report page, the follow-up spoken and answered, a second take and
// the comparison, a three-question mock interview through to its combined report (reloaded midway),
// the history, and the scorecard PDF read back.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiTestServer, type OpenAiTestServer } from '@rehearse/testkit/openaiServer';
import { launchChromium } from './support/browser.ts';
import { startProduct, type RunningProduct } from './support/product.ts';

const run = promisify(execFile);
const SPEECH = 'Last year a teammate and I disagreed about a database. I ran a test, we compared the results, and we cut the query time in half.';
const FOLLOW_UP = 'What did you learn from running that test together?';
const REPORT = {
  summary: 'A short story with a measured result; give the situation more room.',
  rubric: {
    structure: { score: 3, comment: 'The situation is one sentence.' },
    specificity: { score: 4, comment: 'Half the query time is concrete.' },
    impact: { score: 4, comment: 'A result you measured.' },
    delivery: { score: 3, comment: 'Steady.' },
  },
  strengths: [{ point: 'You measured the result.', quote: 'we cut the query time in half', at: 6 }],
  improvements: [{ point: 'Say what you did yourself.', quote: 'we compared the results', at: 4 }],
  missing: [{ part: 'Task', advice: 'Say what you were responsible for.' }],
  strongerVersion: { part: 'Task', text: 'I owned the data layer, so choosing the database was my call to make well.' },
  onTopic: true,
  offTopicNote: '',
};

const QUESTION_SET = {
  competencies: ['stakeholder-management'],
  questions: [
    { text: 'Tell me about a launch where <em>sales</em> and engineering wanted different dates.', kind: 'behavioural', competency: 'stakeholder-management', framework: 'star', difficulty: 2, followUps: ['Who made the final call?'] },
    { text: 'Why Acme, and why now?', kind: 'motivation', competency: 'motivation', framework: 'star', difficulty: 1, followUps: [] },
  ],
};

describe('the coach in the browser', () => {
  let product: RunningProduct;
  let browser: Browser;
  let openai: OpenAiTestServer;
  let dir: string;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-coach-'));
    const voice = path.join(dir, 'voice.wav');
    const speech = path.join(dir, 'speech.wav');
    await run('flite', ['-voice', 'slt', '-t', SPEECH, '-o', voice]);
    await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', voice, '-ar', '48000', '-ac', '1', '-c:a', 'pcm_s16le', speech]);
    openai = await startOpenAiTestServer({
      apiKey: 'sk-browser-test',
      // What the model "writes" depends on what it is asked for: the report streams slowly enough to watch.
      responder: (request) => {
        const format = (request.body.response_format as { json_schema?: { name: string } } | undefined)?.json_schema?.name;
        if (format === 'answer_feedback') return { kind: 'content', content: REPORT, chunkSize: 24, chunkDelayMs: 40 };
        if (format === 'follow_up') return { kind: 'content', content: { question: FOLLOW_UP } };
        if (format === 'question_set') return { kind: 'content', content: QUESTION_SET };
        return { kind: 'error', status: 400, message: `unexpected request ${format}` };
      },
    });
    [product, browser] = await Promise.all([startProduct({ OPENAI_API_KEY: 'sk-browser-test', OPENAI_BASE_URL: openai.url }), launchChromium({ fakeAudioFile: speech })]);
    context = await browser.newContext({ baseURL: product.url });
    // What the interviewer says, as the page hands it to speech synthesis.
    await context.addInitScript(() => {
      const spoken: string[] = ((window as unknown as { __spoken: string[] }).__spoken = []);
      const speak = window.speechSynthesis.speak.bind(window.speechSynthesis);
      window.speechSynthesis.speak = (utterance: SpeechSynthesisUtterance) => {
        spoken.push(utterance.text);
        speak(utterance);
      };
    });
    page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error));
  });

  afterAll(async () => {
    await browser?.close();
    if (product && product.process.exitCode === null) await product.stop();
    await openai?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** SCREENSHOTS_DIR=… keeps screenshots of the pages for a person to look at. */
  const shot = async (name: string) => {
    if (process.env.SCREENSHOTS_DIR) await page.screenshot({ path: path.join(process.env.SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
  };
  const spoken = () => page.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken);

  /** On a practice page: records for `seconds`, stops, and returns the answer id once the page has moved on. */
  async function record(seconds: number, after: RegExp | ((id: string) => RegExp)): Promise<string> {
    await page.waitForFunction(() => {
      const start = document.querySelector<HTMLButtonElement>('[data-testid=start-answer]');
      return start !== null && !start.disabled;
    });
    const started = page.waitForResponse((r) => r.url().endsWith('/api/answers') && r.request().method() === 'POST' && r.status() !== 401);
    await page.getByTestId('start-answer').click();
    const response = await started;
    expect(response.status(), await response.text()).toBe(201);
    const { answer } = (await response.json()) as { answer: { id: string } };
    await expect.poll(() => page.getByTestId('recording-state').getAttribute('data-state'), { timeout: 30_000 }).toBe('recording');
    await page.waitForTimeout(seconds * 1000);
    await page.getByTestId('stop-answer').click();
    await page.waitForURL(typeof after === 'function' ? after(answer.id) : after, { timeout: 60_000 });
    // On its report page, the recording joins once it is complete in S3.
    if (page.url().endsWith(`/answers/${answer.id}`)) await page.getByTestId('report-video').waitFor({ timeout: 30_000 });
    return answer.id;
  }

  it('coaches one answer: automatic feedback, streamed AI feedback, the spoken follow-up answered, a second take compared', { timeout: 240_000 }, async () => {
    await page.goto('/practice');
    await page.getByTestId('question-item').first().locator('a').click();
    await page.waitForURL(/\/practice\/[0-9a-f-]{36}$/);
    const questionUrl = page.url();
    const stopClicked = Date.now();
    const first = await record(9, (id) => new RegExp(`/answers/${id}$`));
    // The automatic feedback is on the report page as soon as it opens.
    await expect.poll(() => page.getByTestId('feedback-point').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(Date.now() - stopClicked).toBeLessThan(60_000);
    expect(await page.getByTestId('report-feedback').getAttribute('data-source')).toBe('automatic');

    // AI feedback, asked for: it streams onto the page, then is complete.
    await expect.poll(() => page.getByTestId('ai-allowance').textContent()).toContain('5 of 5');
    await page.getByTestId('ask-ai-feedback').click();
    await expect.poll(() => page.getByTestId('ai-summary').count(), { timeout: 15_000 }).toBe(1);
    const partway = await page.getByTestId('ai-report').getAttribute('data-complete');
    expect(partway, 'the summary was on the page before the report was complete').toBe('false');
    await expect.poll(() => page.getByTestId('ai-report').getAttribute('data-complete'), { timeout: 30_000 }).toBe('true');
    expect(await page.getByTestId('ai-score').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-key')}=${e.getAttribute('data-score')}`))).toEqual(['structure=3', 'specificity=4', 'impact=4', 'delivery=3']);
    expect(await page.getByTestId('ai-stronger').textContent()).toContain('I owned the data layer');
    await expect.poll(() => page.getByTestId('ai-allowance').textContent()).toContain('4 of 5');
    await shot('report-ai-feedback');

    // The interviewer's follow-up: shown, spoken, answered on camera as an answer linked to the first.
    await expect.poll(() => page.getByTestId('follow-up-text').textContent(), { timeout: 15_000 }).toContain(FOLLOW_UP);
    expect(await spoken()).toContain(FOLLOW_UP);
    await page.getByTestId('follow-up-answer').click();
    await page.waitForURL(/\/practice\/[0-9a-f-]{36}\?after=/);
    expect(await page.getByTestId('follow-up-mode').count()).toBe(1);
    await shot('practice-follow-up');
    const followUpAnswer = await record(5, (id) => new RegExp(`/answers/${id}$`));
    await expect.poll(() => page.getByTestId('parent-answer').getAttribute('href')).toBe(`/answers/${first}`);

    // A second take of the first question, then the two side by side.
    await page.goto(questionUrl);
    const second = await record(5, (id) => new RegExp(`/answers/${id}$`));
    await page.goto('/answers');
    const listed = await page.getByTestId('history-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-answer-id')));
    expect(listed).toEqual(expect.arrayContaining([first, followUpAnswer, second]));
    await page.goto(`/answers/compare?a=${first}&b=${second}`);
    await expect.poll(() => page.getByTestId('compare-video').count()).toBe(2);
    // The AI score of the first take, none yet for the second.
    expect(await page.locator('[data-testid=compare-row][data-figure=score] td').allTextContents()).toEqual(expect.arrayContaining(['3.5', '–']));
    await shot('compare');

    // The scorecard, read back: transcript and the AI scores.
    const pdf = await page.request.get(`/api/answers/${first}/scorecard.pdf`);
    expect(pdf.status()).toBe(200);
    const file = path.join(dir, 'answer.pdf');
    await writeFile(file, await pdf.body());
    const { stdout } = await run('pdftotext', ['-layout', file, '-']);
    expect(stdout).toMatch(/AI feedback/);
    expect(stdout).toContain('I owned the data layer');
    const { report } = (await (await page.request.get(`/api/answers/${first}/report`)).json()) as { report: { words: { text: string }[] } };
    expect(stdout.toLowerCase()).toContain(report.words.slice(0, 3).map((w) => w.text).join(' '));
  });

  it('runs a three-question mock interview to its combined report, surviving a reload midway', { timeout: 300_000 }, async () => {
    await page.goto('/mock');
    // Filled once the page's script runs (the button is enabled then), so hydration keeps what was typed.
    await expect.poll(() => page.getByTestId('mock-start').isEnabled()).toBe(true);
    await page.getByTestId('mock-questions').fill('3');
    await page.getByTestId('mock-minutes').fill('5');
    await shot('mock-setup');
    await page.getByTestId('mock-start').click();
    await page.waitForURL(/\/mock\/[0-9a-f-]{36}$/);
    const mockUrl = page.url();
    const questions = await page.getByTestId('mock-item').locator('span').allTextContents();
    expect(questions).toHaveLength(3);

    for (let position = 0; position < 3; position++) {
      await page.getByTestId('mock-next').click();
      await page.waitForURL(/\/practice\/[0-9a-f-]{36}\?mock=/);
      expect(await page.getByTestId('mock-progress').textContent()).toContain(`question ${position + 1} of 3`);
      // The interviewer reads the question out, then the think time runs (the candidate may start early).
      await expect.poll(spoken, { timeout: 15_000 }).toContain(questions[position]);
      await expect.poll(() => page.getByTestId('think-time').count(), { timeout: 15_000 }).toBe(1);
      if (position === 0) await shot('mock-think-time');
      await record(4, new RegExp(`${mockUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
      // After each answer, the follow-up is asked (spoken) before the next question.
      await expect.poll(() => page.getByTestId('follow-up-text').textContent(), { timeout: 15_000 }).toContain(FOLLOW_UP);
      if (position === 1) {
        await shot('mock-follow-up');
        await page.reload();
        await expect.poll(() => page.getByTestId('mock').getAttribute('data-current')).toBe('2');
        expect(await page.getByTestId('mock-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-answered')))).toEqual(['true', 'true', 'false']);
      }
      if (position === 2) break;
    }
    await page.getByTestId('mock-finish').click();
    await expect.poll(() => page.getByTestId('mock-report').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByTestId('mock-result').evaluateAll((els) => els.map((e) => e.getAttribute('data-answered')))).toEqual(['true', 'true', 'true']);
    expect(await page.getByTestId('mock-overall').textContent()).toContain('3 of 3');

    // Progress, drawn from these recorded answers: a STAR point for each answer with a report.
    const { points } = (await (await page.request.get('/api/progress')).json()) as { points: unknown[] };
    expect(points.length).toBeGreaterThanOrEqual(6);
    await page.goto('/progress');
    await expect.poll(() => page.getByTestId('chart-star').locator('svg circle.point').count(), { timeout: 15_000 }).toBe(points.length);
    expect(await page.getByTestId('chart-score').locator('svg circle.point').count()).toBe(1);
    await shot('mock-report');
  });

  it('writes questions for a job from a pasted description, shown as text and ready to practise', { timeout: 60_000 }, async () => {
    await page.goto('/practice');
    await expect.poll(() => page.getByTestId('question-set-submit').isEnabled()).toBe(true);
    await page.getByTestId('question-set-role').fill('Product manager');
    await page.getByTestId('question-set-company').fill('Acme');
    await page.getByTestId('question-set-description').fill('Work with sales and engineering on launch dates; align stakeholders.');
    await page.getByTestId('question-set-submit').click();
    await expect.poll(() => page.getByTestId('question-set-item').count(), { timeout: 15_000 }).toBe(2);
    expect(await page.getByTestId('question-set-result').getAttribute('data-source')).toBe('ai');
    // Markup in what the model wrote is shown as text, never rendered.
    expect(await page.getByTestId('question-set-item').first().textContent()).toContain('<em>sales</em>');
    expect(await page.getByTestId('question-set').locator('em').count()).toBe(0);
    await shot('practice-question-set');
    await page.getByTestId('question-set-item').first().click();
    await page.waitForURL(/\/practice\/[0-9a-f-]{36}$/);
    expect(await page.locator('h1').textContent()).toContain('<em>sales</em>');

    // A first-time visitor asking for questions becomes a guest there, keeps the result, and gets their navigation.
    const visitor = await (await browser.newContext({ baseURL: product.url })).newPage();
    await visitor.goto('/practice');
    expect(await visitor.getByTestId('site-nav').getByRole('link', { name: 'My answers' }).count()).toBe(0);
    await expect.poll(() => visitor.getByTestId('question-set-submit').isEnabled()).toBe(true);
    await visitor.getByTestId('question-set-role').fill('Designer');
    await visitor.getByTestId('question-set-submit').click();
    await expect.poll(() => visitor.getByTestId('question-set-item').count(), { timeout: 15_000 }).toBe(2);
    await expect.poll(() => visitor.getByTestId('site-nav').getByRole('link', { name: 'My answers' }).count()).toBe(1);
    expect(await visitor.getByTestId('question-set-item').count()).toBe(2);
    await visitor.context().close();
  });
});
