// Benchmark: live analysis.
// 1. The embedded engine's real-time factor: one PocketSphinx session, then one per core at once,
//    over the same flite speech fed as fast as it decodes (the baseline is the single session).
// 2. What the coaching adds per answer on top of the engine: the filled-pause detector's CPU per
//    second of audio against the engine's (the baseline), and one recompute of every metric over
//    a long answer when a final arrives (parts of speech tagged again) and between finals (cached).
// 3. Live answers in the running product: Chromium answers with a flite speech WAV; the page
//    notes when each update's words were shown. Pipeline delay = shown on the page − the engine
//    emitted the newest event (one machine, one clock); the engine's own delay = it emitted −
//    the word ended (answer start + word end). Then stop (the page's button) → report saved, and →
//    the automatic feedback on the report page.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { computeMetrics, FilledPauseDetector, PocketSphinxProvider, type TimedWord } from '@rehearse/analysis';
import { fliteSpeech } from '@rehearse/testkit/speech';
import { launchChromium } from '../support/browser.ts';
import { startProduct } from '../support/product.ts';
import { percentile, table } from './measure.ts';

const run = promisify(execFile);
const ANSWERS = Number(process.env.BENCH_ANSWERS ?? 3);
const SCRIPT =
  'In my last role our billing system kept failing every night, and customers noticed before we did. ' +
  'My task was to find out why and to make sure it stopped. I traced the failures to the import job, rewrote it ' +
  'in smaller steps, and added alerts so the team heard about problems first. As a result, failures dropped to zero ' +
  'within a month, and support tickets about billing halved.';

async function realTimeFactor(samples: Int16Array, streams: number): Promise<number> {
  const seconds = samples.length / 16000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: streams }, async () => {
      const session = await new PocketSphinxProvider().open();
      for (let i = 0; i < samples.length; i += 320) session.send(samples.subarray(i, i + 320));
      session.end();
      for await (const _event of session) {
        // Drained to the end: the last finals are part of the work.
      }
    }),
  );
  return (performance.now() - started) / 1000 / seconds;
}

const speech = await fliteSpeech(SCRIPT);
const cores = os.availableParallelism();
const single = await realTimeFactor(speech.samples, 1);
const parallel = await realTimeFactor(speech.samples, cores);
process.stdout.write(`\nEmbedded engine (PocketSphinx) on ${(speech.samples.length / 16000).toFixed(1)} s of flite speech, fed as fast as it decodes, ${cores} cores\n`);
process.stdout.write(
  table(
    ['sessions at once', 'real-time factor each', 'vs one session', 'real-time streams per core'],
    [
      ['1 (baseline)', single.toFixed(3), '1.00×', (1 / single).toFixed(1)],
      [String(cores), parallel.toFixed(3), `${(parallel / single).toFixed(2)}×`, (1 / parallel).toFixed(1)],
    ],
  ),
);

// 2. The coaching's own cost.
const detectorStarted = performance.now();
for (let pass = 0; pass < 5; pass++) {
  const detector = new FilledPauseDetector();
  for (let i = 0; i + 320 <= speech.samples.length; i += 320) detector.push({ samples: speech.samples.subarray(i, i + 320), startMs: i / 16 });
}
const detectorPerSecond = (performance.now() - detectorStarted) / 1000 / 5 / (speech.samples.length / 16000);
const answerWords: TimedWord[] = [];
const sentence = SCRIPT.split(/\s+/);
for (let k = 0; answerWords.length < 600; k++) {
  const text = sentence[k % sentence.length]!;
  answerWords.push({ text, start: k * 0.36, end: k * 0.36 + 0.3, confidence: 0.9 });
}
const fresh: number[] = [];
const cached: number[] = [];
for (let n = 400; n < 600; n += 2) {
  const words = answerWords.slice(0, n); // a new final: more words than last time
  let started = performance.now();
  computeMetrics(words, { now: words.at(-1)!.end + 0.5 });
  fresh.push(performance.now() - started);
  started = performance.now();
  computeMetrics(words, { now: words.at(-1)!.end + 0.6 }); // the 100 ms tick after it: same words
  cached.push(performance.now() - started);
}
process.stdout.write(`\nThe coaching's own work per answer (same machine, same run)\n`);
process.stdout.write(
  table(
    ['work', 'cost', 'vs the engine'],
    [
      ['PocketSphinx, per second of audio (baseline)', `${(single * 1000).toFixed(1)} ms`, '1.00×'],
      ['filled-pause detector, per second of audio', `${(detectorPerSecond * 1000).toFixed(1)} ms`, `${(detectorPerSecond / single).toFixed(3)}×`],
      ['every metric over 400–600 words, a new final (tags again) p50 / p95', `${percentile(fresh, 50).toFixed(1)} / ${percentile(fresh, 95).toFixed(1)} ms`, ''],
      ['the same between finals (tags cached) p50 / p95', `${percentile(cached, 50).toFixed(1)} / ${percentile(cached, 95).toFixed(1)} ms`, ''],
    ],
  ),
);

const dir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-bench-live-'));
const voice = path.join(dir, 'voice.wav');
const wav = path.join(dir, 'speech.wav');
await run('flite', ['-voice', 'slt', '-t', SCRIPT, '-o', voice]);
await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', voice, '-ar', '48000', '-ac', '1', '-c:a', 'pcm_s16le', wav]);
const [product, browser] = await Promise.all([startProduct(), launchChromium({ fakeAudioFile: wav })]);
const pipeline: number[] = [];
const engine: number[] = [];
const stopToReport: number[] = [];
const stopToRecording: number[] = [];
const stopToFeedback: number[] = [];
try {
  for (let n = 0; n < ANSWERS; n++) {
    const context = await browser.newContext({ baseURL: product.url });
    // Every change of the transcript's engine time is one update shown: note when.
    await context.addInitScript(() => {
      const seen: { engineAt: number; latestWordEnd: number; shownAt: number }[] = [];
      (window as unknown as { __shown: typeof seen }).__shown = seen;
      // The stop is the candidate's click, as the page saw it.
      document.addEventListener(
        'click',
        (event) => {
          const w = window as unknown as { __stopClickedAt?: number };
          if ((event.target as Element | null)?.closest?.('[data-testid=stop-answer]')) w.__stopClickedAt ??= performance.timeOrigin + event.timeStamp;
        },
        true,
      );
      new MutationObserver(() => {
        const w = window as unknown as { __feedbackShownAt?: number };
        if (!w.__feedbackShownAt && document.querySelector('[data-testid=feedback-point]')) w.__feedbackShownAt = Date.now();
        const el = document.querySelector('[data-testid=live-transcript]');
        const engineAt = Number(el?.getAttribute('data-engine-at'));
        if (!el || !engineAt || seen.at(-1)?.engineAt === engineAt) return;
        seen.push({ engineAt, latestWordEnd: Number(el.getAttribute('data-latest-word-end')), shownAt: Date.now() });
      }).observe(document, { subtree: true, attributes: true, childList: true });
    });
    const page = await context.newPage();

    await page.goto('/practice');
    await page.getByTestId('question-item').first().locator('a').click();
    await page.waitForFunction(() => !document.querySelector<HTMLButtonElement>('[data-testid=start-answer]')?.disabled);
    // A first-time visitor's first try is a 401; the page then becomes a guest and starts again.
    const started = page.waitForResponse((r) => r.url().endsWith('/api/answers') && r.request().method() === 'POST' && r.status() === 201);
    await page.getByTestId('start-answer').click();
    const { answer } = (await (await started).json()) as { answer: { id: string } };
    await page.waitForSelector('[data-testid=recording-state][data-state=recording]', { timeout: 30_000 });
    await page.waitForTimeout(20_000);
    // Stopped as a candidate stops: the page's button; its report page opens with the automatic feedback.
    const stop = page.waitForResponse((r) => r.url().endsWith(`/api/answers/${answer.id}/stop`) && r.request().method() === 'POST');
    await page.getByTestId('stop-answer').click();
    const stoppedAt = await page.evaluate(() => (window as unknown as { __stopClickedAt: number }).__stopClickedAt);
    const reportAt = (async () => {
      for (;;) {
        if ((await page.request.get(`/api/answers/${answer.id}/report`)).status() === 200) return Date.now();
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await stop;
    stopToRecording.push(Date.now() - stoppedAt);
    stopToReport.push((await reportAt) - stoppedAt);
    await page.waitForSelector('[data-testid=feedback-point]', { timeout: 30_000 });
    // When it appeared, noted by the page itself (the stop request may return later).
    stopToFeedback.push((await page.evaluate(() => (window as unknown as { __feedbackShownAt: number }).__feedbackShownAt)) - stoppedAt);


    const { startedAt } = ((await (await page.request.get(`/api/answers/${answer.id}`)).json()) as { answer: { startedAt: string } }).answer;
    const shown = await page.evaluate(() => (window as unknown as { __shown: { engineAt: number; latestWordEnd: number; shownAt: number }[] }).__shown);
    let lastEnd = -1;
    for (const s of shown) {
      if (s.shownAt > stoppedAt) continue;
      pipeline.push(s.shownAt - s.engineAt);
      // The engine's own delay: only for updates that brought a newer word.
      if (s.latestWordEnd > lastEnd) engine.push(s.engineAt - (Date.parse(startedAt) + s.latestWordEnd * 1000));
      lastEnd = Math.max(lastEnd, s.latestWordEnd);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await product.stop();
  await rm(dir, { recursive: true, force: true });
}

const ms = (values: number[], p: number) => `${percentile(values, p).toFixed(0)} ms`;
if (process.env.BENCH_VERBOSE) process.stdout.write(`stop → report saved, each: ${stopToReport.join(', ')} ms; → feedback shown: ${stopToFeedback.join(', ')} ms\n`);
process.stdout.write(`\nLive answers in the running product (${ANSWERS} × 20 s, Chromium, PocketSphinx), ${pipeline.length} updates shown\n`);
process.stdout.write(
  table(
    ['measure', 'p50', 'p95', 'samples'],
    [
      ['engine emitted → page showed it (pipeline)', ms(pipeline, 50), ms(pipeline, 95), String(pipeline.length)],
      ['word ended → engine emitted it (engine, baseline)', ms(engine, 50), ms(engine, 95), String(engine.length)],
      ['stop → report saved', ms(stopToReport, 50), ms(stopToReport, 95), String(stopToReport.length)],
      ['stop → automatic feedback on the report page (same stops)', ms(stopToFeedback, 50), ms(stopToFeedback, 95), String(stopToFeedback.length)],
      ['stop → recording complete in S3 (same stops)', ms(stopToRecording, 50), ms(stopToRecording, 95), String(stopToRecording.length)],
    ],
  ),
);
process.stdout.write(`Pipeline overhead at p95 is ${(percentile(pipeline, 95) / Math.max(1, percentile(engine, 95))).toFixed(2)}× the engine's own p95 delay.\n`);
