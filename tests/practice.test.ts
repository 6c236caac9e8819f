// A first-time visitor answers a question on camera, end to end with real parts: `npm start`'s
// launcher, Debian's Chromium with a fake camera and a flite voice as the microphone, the page's
// mediasoup-client, the media server's recorder, S3 — then ffprobe/ffmpeg judge the file.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { WebSocket as NodeWebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spokenWordCount, type TimedWord } from '@rehearse/analysis';
import { launchChromium } from './support/browser.ts';
import { pidListeningOn } from './support/ports.ts';
import { startProduct, type RunningProduct } from './support/product.ts';

const run = promisify(execFile);

// About 11 s of speech with flite's slt voice; Chromium loops the file as the microphone.
const SPEECH =
  'In my last role, a teammate and I disagreed about which database to use for a new service. ' +
  'We wrote down our requirements, ran a small test together, and chose the design that met them.';

interface AnswerBody {
  answer: {
    id: string;
    status: string;
    startedAt: string | null;
    stoppedAt: string | null;
    recording: { key: string; bytes: number; durationMs: number; container: string; audioCodec: string | null; videoCodec: string | null } | null;
    recordingNote: string | null;
  };
}

interface Probe {
  format: { format_name: string; duration?: string };
  streams: { codec_type: string; codec_name: string }[];
}

/** Polls a test id's data-state until it is `want`; fails at once on `error`, saying why. */
async function waitForState(page: Page, testId: string, want: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string | null = null;
  while (Date.now() < deadline) {
    last = await page.getByTestId(testId).getAttribute('data-state');
    if (last === want) return;
    if (last === 'error') break;
    await page.waitForTimeout(100);
  }
  const error = (await page.getByTestId('answer-error').count()) > 0 ? await page.getByTestId('answer-error').textContent() : 'none shown';
  throw new Error(`${testId} is ${last}, expected ${want}; page error: ${error}`);
}

/** Opens the first question's practice page as a first-time visitor and waits for camera and microphone. */
async function openQuestion(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/practice`);
  expect(await page.getByTestId('guest-notice').textContent()).toContain('you practise as a guest');
  const items = page.getByTestId('question-item');
  expect(await items.count()).toBeGreaterThan(0);
  await items.first().locator('a').click();
  await page.waitForURL(/\/practice\/[0-9a-f-]{36}$/);
  // Devices are listed once permission is granted (the fake UI grants it).
  await page.waitForFunction(() => {
    const start = document.querySelector<HTMLButtonElement>('[data-testid=start-answer]');
    return start !== null && !start.disabled && document.querySelectorAll('[data-testid=device-mic] option').length > 0;
  });
  expect(await page.getByTestId('device-camera').locator('option').count()).toBeGreaterThan(0);
  expect(await page.getByTestId('recording-state').getAttribute('data-state')).toBe('idle');
}

async function startAnswer(page: Page): Promise<string> {
  // A first-time visitor's first try is a 401; the page then becomes a guest and starts again.
  const started = page.waitForResponse((r) => r.url().endsWith('/api/answers') && r.request().method() === 'POST' && r.status() !== 401);
  await page.getByTestId('start-answer').click();
  const response = await started;
  expect(response.status()).toBe(201);
  const { answer } = (await response.json()) as AnswerBody;
  await waitForState(page, 'recording-state', 'recording', 30_000);
  expect(await page.getByTestId('connection-state').getAttribute('data-state')).toBe('connected');
  return answer.id;
}

/** Stops the answer; the page goes to its report when the media server says the report is saved. */
async function stopAnswer(page: Page, answerId: string): Promise<AnswerBody['answer']> {
  await page.getByTestId('stop-answer').click();
  await page.waitForURL(new RegExp(`/answers/${answerId}$`), { timeout: 60_000 });
  // The report page opens when the report is saved; the recording joins it once complete in S3.
  await page.getByTestId('report-video').waitFor({ timeout: 30_000 });
  const response = await page.request.get(`/api/answers/${answerId}`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as AnswerBody).answer;
}

describe('practising an answer in the browser', () => {
  let product: RunningProduct;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-practice-'));
    const voice = path.join(dir, 'voice.wav');
    const speech = path.join(dir, 'speech.wav');
    await run('flite', ['-voice', 'slt', '-t', SPEECH, '-o', voice]);
    await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', voice, '-ar', '48000', '-ac', '1', '-c:a', 'pcm_s16le', speech]);
    // A short grace so the vanishing-candidate test need not wait the default 20 s.
    [product, browser] = await Promise.all([startProduct({ ANSWER_RECONNECT_GRACE_MS: '4000' }), launchChromium({ fakeAudioFile: speech })]);
  });

  afterAll(async () => {
    await browser?.close();
    if (product && product.process.exitCode === null) await product.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('records an answer into S3 as a seekable WebM with VP8 video and audible Opus speech', { timeout: 180_000 }, async () => {
    const context = await browser.newContext({ baseURL: product.url });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error));
    // The pages' Content-Security-Policy must allow everything the answer flow does, and no more.
    const cspViolations: string[] = [];
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    // Live analysis reaches the page over its signaling socket while the answer runs.
    const analysis: { receivedAt: number; words: number; seq: number }[] = [];
    page.on('websocket', (socket) =>
      socket.on('framereceived', ({ payload }) => {
        const message = JSON.parse(String(payload)) as { notification?: string; data?: { seq: number; metrics: { words: number } } };
        if (message.notification === 'analysis') analysis.push({ receivedAt: Date.now(), words: message.data!.metrics.words, seq: message.data!.seq });
      }),
    );
    await openQuestion(page, product.url);

    const answerId = await startAnswer(page);
    // While the speech is still playing into the microphone, the live panel fills in.
    const panel = { transcript: page.getByTestId('live-transcript'), wpm: page.getByTestId('live-wpm') };
    const wordCounts: number[] = [];
    for (let second = 0; second < 10; second++) {
      await page.waitForTimeout(1_000);
      wordCounts.push(Number(await panel.wpm.getAttribute('data-words')));
    }
    expect(Number(await page.getByTestId('recording-timer').getAttribute('data-elapsed-ms'))).toBeGreaterThanOrEqual(9_000);
    const liveText = (await panel.transcript.textContent())!.trim();
    const liveFinalWords = await panel.transcript.locator('span.final').allTextContents();
    // Beside the last 20 s, the panel shows the whole answer's pace by the report's definition.
    expect(Number(await page.getByTestId('live-wpm-overall').getAttribute('data-wpm'))).toBeGreaterThan(0);
    expect(wordCounts.at(-1), `word counts second by second: ${wordCounts.join(', ')}`).toBeGreaterThan(5);
    expect(wordCounts.filter((c, i) => i > 0 && c > wordCounts[i - 1]!).length, 'the count rose more than once while speaking').toBeGreaterThanOrEqual(2);
    expect(liveText.split(/\s+/).length).toBeGreaterThan(5);
    expect(await page.getByTestId('live-engine').getAttribute('data-engine')).toBe('pocketsphinx');
    expect(await page.getByTestId('live-engine').textContent()).toContain('rough local engine');
    for (const id of ['live-fillers', 'live-pauses', 'live-elapsed', 'live-star']) await expect.poll(() => page.getByTestId(id).count()).toBe(1);
    expect(Number(await page.getByTestId('live-delay-ms').getAttribute('data-delay-ms'))).toBeGreaterThanOrEqual(0);
    const stoppingAt = Date.now();
    const answer = await stopAnswer(page, answerId);

    const live = analysis.filter((a) => a.receivedAt < stoppingAt);
    expect(live.length, 'live updates while recording').toBeGreaterThanOrEqual(10);
    expect(live.at(-1)!.words, 'words counted while the candidate spoke').toBeGreaterThan(5);
    // The report, saved by the media server when the answer stopped, has the speech in it.
    let report: { engine: string; words: { text: string }[]; summary: { words: number; pace: { overall: { wpm: number } } } } | undefined;
    await expect
      .poll(async () => {
        const response = await page.request.get(`/api/answers/${answerId}/report`);
        if (response.status() === 200) report = ((await response.json()) as { report: typeof report }).report;
        return response.status();
      }, { timeout: 15_000, interval: 250 })
      .toBe(200);
    expect(report!.engine).toBe('pocketsphinx');
    const spoken = new Set(SPEECH.toLowerCase().match(/[a-z]+/g));
    const heard = report!.words.filter((w) => spoken.has(w.text.toLowerCase()));
    expect(heard.length, report!.words.map((w) => w.text).join(' ')).toBeGreaterThanOrEqual(10);
    // The summary counts spoken words: a hesitation the filled-pause detector added is a sound, not a word.
    expect(report!.summary.words).toBe(spokenWordCount(report!.words as TimedWord[]));
    // What the panel showed as final is where the report's transcript begins.
    expect(report!.words.slice(0, liveFinalWords.length).map((w) => w.text)).toEqual(liveFinalWords);
    // The report page shows the report's pace and says what it is over.
    expect(Number(await page.getByTestId('report-wpm').getAttribute('data-wpm'))).toBeCloseTo(report!.summary.pace.overall.wpm, 6);
    expect(await page.getByTestId('report-wpm-definition').textContent()).toContain('from your first word to your last, pauses included');


    expect(answer.status, answer.recordingNote ?? '').toBe('ready');
    expect(answer.recording).not.toBeNull();
    const recordedSeconds = (Date.parse(answer.stoppedAt!) - Date.parse(answer.startedAt!)) / 1000;
    expect(recordedSeconds).toBeGreaterThan(9);

    // The page went to the report by itself, where the recording plays.
    const playback = page.getByTestId('report-video');
    const src = await playback.getAttribute('src');
    expect(src).toBeTruthy();
    const playbackBody = (await (await page.request.get(`/api/answers/${answerId}/playback`)).json()) as { url: string; container: string };
    expect(playbackBody.container).toBe('webm');

    // The object in S3, through the address the page plays: the site's own, as the signed-in
    // guest (a visitor without the session gets nothing).
    expect(src).toBe(playbackBody.url);
    expect((await fetch(new URL(playbackBody.url, product.url))).status).toBe(401);
    const download = await page.request.get(playbackBody.url);
    expect(download.status()).toBe(200);
    const file = path.join(dir, 'answer.webm');
    await writeFile(file, await download.body());
    expect((await stat(file)).size).toBe(answer.recording!.bytes);

    const { stdout: probeJson } = await run('/usr/bin/ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file]);
    const probe = JSON.parse(probeJson) as Probe;
    expect(probe.format.format_name).toContain('webm');
    expect(probe.streams.filter((s) => s.codec_type === 'video').map((s) => s.codec_name)).toEqual(['vp8']);
    expect(probe.streams.filter((s) => s.codec_type === 'audio').map((s) => s.codec_name)).toEqual(['opus']);
    const fileSeconds = Number(probe.format.duration);
    expect(Math.abs(fileSeconds - recordedSeconds), `file ${fileSeconds} s, server recorded ${recordedSeconds} s`).toBeLessThan(0.5);

    // The microphone's speech made it through Opus, WebRTC and the recorder: loud, not silence.
    const { stderr: levels } = await run('ffmpeg', ['-hide_banner', '-nostats', '-i', file, '-map', '0:a', '-af', 'volumedetect', '-f', 'null', '-']);
    const meanVolume = Number(/mean_volume: (-?[\d.]+) dB/.exec(levels)?.[1]);
    const maxVolume = Number(/max_volume: (-?[\d.]+) dB/.exec(levels)?.[1]);
    expect(meanVolume, levels).toBeGreaterThan(-40);
    expect(maxVolume, levels).toBeGreaterThan(-15);

    // Byte ranges work (what a <video> needs to seek without downloading everything).
    const range = await page.request.get(playbackBody.url, { headers: { range: 'bytes=0-99' } });
    expect(range.status()).toBe(206);
    expect((await range.body()).byteLength).toBe(100);
    expect(range.headers()['content-range']).toBe(`bytes 0-99/${answer.recording!.bytes}`);

    // And the page's player seeks to the middle and has a frame there.
    const seek = await playback.evaluate(async (video: HTMLVideoElement, fallbackSeconds: number) => {
      if (video.readyState < 1) await new Promise((resolve, reject) => {
        video.addEventListener('loadedmetadata', resolve, { once: true });
        video.addEventListener('error', () => reject(new Error(`video error ${video.error?.code}: ${video.error?.message}`)), { once: true });
      });
      const duration = Number.isFinite(video.duration) ? video.duration : fallbackSeconds;
      const target = duration / 2;
      const seeked = new Promise((resolve) => video.addEventListener('seeked', resolve, { once: true }));
      video.currentTime = target;
      await seeked;
      if (video.readyState < 2) await new Promise((resolve) => video.addEventListener('loadeddata', resolve, { once: true }));
      return { duration: video.duration, target, currentTime: video.currentTime, readyState: video.readyState, seekable: video.seekable.length };
    }, fileSeconds);
    expect(seek.duration, 'the WebM declares its duration').toBeCloseTo(fileSeconds, 0);
    expect(seek.seekable).toBeGreaterThan(0);
    expect(Math.abs(seek.currentTime - seek.target)).toBeLessThan(0.5);
    expect(seek.readyState).toBeGreaterThanOrEqual(2);

    // The report page: the same transcript and metrics, next to the recording; a word seeks the video.
    await page.getByTestId('report-transcript').waitFor();
    expect(Number(await page.getByTestId('report-transcript').getAttribute('data-words'))).toBe(report!.words.length);
    expect(Number(await page.getByTestId('report-words').getAttribute('data-count'))).toBe(report!.summary.words);
    expect(await page.getByTestId('report-engine').getAttribute('data-engine')).toBe('pocketsphinx');
    const words = page.getByTestId('report-transcript').locator('button.word');
    expect(await words.count()).toBe(report!.words.length);
    const third = words.nth(Math.min(3, report!.words.length - 1));
    const wordStart = Number(await third.getAttribute('data-start'));
    await page.getByTestId('report-video').evaluate((video: HTMLVideoElement) => (video.muted = true));
    await third.click();
    await expect.poll(() => page.getByTestId('report-video').evaluate((video: HTMLVideoElement) => video.currentTime)).toBeGreaterThanOrEqual(wordStart - 0.3);
    // Automatic feedback on the take, from its transcript and metrics, each point with its moment.
    const points = page.getByTestId('feedback-point');
    expect(await page.getByTestId('report-feedback').getAttribute('data-source')).toBe('automatic');
    expect(await points.count()).toBeGreaterThanOrEqual(3);
    expect(await points.evaluateAll((els) => els.map((el) => el.getAttribute('data-topic')))).toEqual(expect.arrayContaining(['pace', 'length', 'structure']));
    expect(cspViolations).toEqual([]);
    await context.close();
  });

  it('rejoins with a fresh token when the signaling socket drops, and keeps recording', { timeout: 180_000 }, async () => {
    const context = await browser.newContext({ baseURL: product.url });
    // Lets the test cut the page's WebSocket as a network drop would, and records every connection
    // state the page shows (a local rejoin can be quicker than any polling).
    await context.addInitScript(() => {
      const Native = window.WebSocket;
      const sockets: WebSocket[] = [];
      const shown: string[] = [];
      Object.assign(window, { dropSockets: () => sockets.forEach((s) => s.close(4001, 'network drop')), connectionStates: shown });
      window.WebSocket = class extends Native {
        constructor(...args: ConstructorParameters<typeof WebSocket>) {
          super(...args);
          sockets.push(this);
        }
      };
      new MutationObserver(() => {
        const state = document.querySelector('[data-testid=connection-state]')?.getAttribute('data-state');
        if (state && shown.at(-1) !== state) shown.push(state);
      }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
    });
    const page = await context.newPage();
    await openQuestion(page, product.url);
    const answerId = await startAnswer(page);
    await page.waitForTimeout(3_000);

    const rejoined = page.waitForResponse((r) => r.url().endsWith(`/api/answers/${answerId}/join`) && r.status() === 200);
    const droppedAt = Date.now();
    await page.evaluate(() => (window as unknown as { dropSockets: () => void }).dropSockets());
    await rejoined;
    await waitForState(page, 'connection-state', 'connected', 20_000);
    // Media sent while the page was reconnecting may be missing; the rest must all be there.
    const reconnectSeconds = (Date.now() - droppedAt) / 1000;
    expect(await page.getByTestId('connection-state').getAttribute('data-rejoins')).toBe('1');
    const shown = await page.evaluate(() => (window as unknown as { connectionStates: string[] }).connectionStates);
    expect(shown.slice(shown.lastIndexOf('reconnecting'))).toEqual(['reconnecting', 'connecting', 'connected']);
    expect(await page.getByTestId('recording-state').getAttribute('data-state')).toBe('recording');
    await page.waitForTimeout(3_000);

    const answer = await stopAnswer(page, answerId);
    expect(answer.status, answer.recordingNote ?? '').toBe('ready');
    const recordedSeconds = (Date.parse(answer.stoppedAt!) - Date.parse(answer.startedAt!)) / 1000;
    // One answer, one file, covering the time before and after the drop (3 s each).
    expect(answer.recording!.durationMs / 1000).toBeGreaterThan(recordedSeconds - reconnectSeconds - 1);
    expect(answer.recording!.durationMs / 1000).toBeGreaterThan(3.5);
    await context.close();
  });

  for (const [situation, options, kind, wording] of [
    ['camera permission is denied', { mediaPermission: 'denied' }, 'permission-denied', 'access was denied'],
    ['there is no camera or microphone', { fakeDevices: false }, 'no-device', 'No camera or microphone was found'],
  ] as const) {
    it(`says so when ${situation}`, async () => {
      const other = await launchChromium(options);
      try {
        const page = await other.newPage();
        await page.goto(`${product.url}/practice`);
        await page.getByTestId('question-item').first().locator('a').click();
        const error = page.getByTestId('answer-error');
        await error.waitFor();
        expect(await error.getAttribute('data-kind')).toBe(kind);
        expect(await error.textContent()).toContain(wording);
        expect(await page.getByTestId('start-answer').isDisabled()).toBe(true);
      } finally {
        await other.close();
      }
    });
  }

  it('keeps what was recorded when the candidate vanishes mid-answer', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ baseURL: product.url });
    const page = await context.newPage();
    await openQuestion(page, product.url);
    const answerId = await startAnswer(page);
    await page.waitForTimeout(4_000);
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    // The tab is gone without a goodbye: no stop, no leave.
    await context.close();

    // After the reconnect grace (4 s here) the media server finalizes what it received.
    let answer: AnswerBody['answer'] | undefined;
    await expect
      .poll(
        async () => {
          const response = await fetch(`${product.url}/api/answers/${answerId}`, { headers: { cookie } });
          answer = ((await response.json()) as AnswerBody).answer;
          return answer.status;
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe('interrupted');
    expect(answer!.recordingNote).toContain('disconnected');
    expect(answer!.recording!.durationMs).toBeGreaterThan(3_000);
  });

  it('finishes a recording intact while thousands of malformed signaling messages hit the media server', { timeout: 180_000 }, async () => {
    const context = await browser.newContext({ baseURL: product.url });
    const page = await context.newPage();
    await openQuestion(page, product.url);
    const answerId = await startAnswer(page);

    const mediaUrl = `ws://localhost:${product.ports[2]}/signaling`;
    const origin = new URL(product.url).origin;
    const garbage = ['{', '[]', 'null', '{"id":1}', '{"id":"x","method":"join","data":{}}', '{"id":2,"method":"join","data":{"token":"a.b.c"}}', '{"id":3,"method":"produce","data":{"transportId":"t","kind":"video","rtpParameters":{"codecs":[]}}}', '{"id":4,"method":"__proto__","data":{}}', '{"id":5,"method":"consume","data":{"transportId":"x","producerId":"y","rtpCapabilities":{"codecs":[{"mimeType":1}]}}}'];
    let answered = 0;
    const fuzzers = await Promise.all(
      Array.from({ length: 10 }, () => new Promise<NodeWebSocket>((resolve, reject) => {
        const socket = new NodeWebSocket(mediaUrl, { origin });
        socket.on('message', () => answered++);
        socket.once('open', () => resolve(socket)).once('error', reject);
      })),
    );
    let sent = 0;
    const started = Date.now();
    while (sent < 3000) {
      // 10 sockets × 4 messages every 100 ms: under each socket's rate limit, so all reach the parser.
      for (const socket of fuzzers) for (let i = 0; i < 4; i++) socket.send(garbage[(sent++ + i) % garbage.length]!);
      await new Promise((r) => setTimeout(r, 100));
    }
    await expect.poll(() => answered, { timeout: 10_000 }).toBe(sent);
    for (const socket of fuzzers) socket.close();
    const elapsed = Date.now() - started;

    const answer = await stopAnswer(page, answerId);
    expect(answer.status, answer.recordingNote ?? '').toBe('ready');
    const recordedSeconds = (Date.parse(answer.stoppedAt!) - Date.parse(answer.startedAt!)) / 1000;
    expect(recordedSeconds).toBeGreaterThan(elapsed / 1000);
    const playbackBody = (await (await page.request.get(`/api/answers/${answerId}/playback`)).json()) as { url: string };
    const file = path.join(dir, 'fuzzed.webm');
    await writeFile(file, await (await page.request.get(playbackBody.url)).body());
    const { stdout } = await run('/usr/bin/ffprobe', ['-v', 'error', '-show_format', '-of', 'json', file]);
    expect(Math.abs(Number((JSON.parse(stdout) as Probe).format.duration) - recordedSeconds)).toBeLessThan(0.5);
    // WebRTC video has a variable frame rate (frames carry their capture times; a loaded sender
    // sends one late and the next on time). Decoding into the null muxer at the file's own 1 ms
    // time base checks every packet without ffmpeg re-timing frames onto a guessed constant rate,
    // where two frames 10 ms apart would collide; a true duplicate timestamp is still an error.
    const { stderr: decodeErrors } = await run('ffmpeg', ['-hide_banner', '-nostats', '-v', 'error', '-i', file, '-enc_time_base', '-1', '-f', 'null', '-']);
    expect(decodeErrors).toBe('');
    await context.close();
  });
  // Last: it kills the media server (the launcher starts it again).
  it('keeps what was recorded when the media server dies mid-answer, and answers again once it is back', { timeout: 180_000 }, async () => {
    const context = await browser.newContext({ baseURL: product.url });
    const page = await context.newPage();
    await openQuestion(page, product.url);
    const answerId = await startAnswer(page);
    await page.waitForTimeout(4_000);
    const mediaPort = product.ports[2]!;
    const pid = await pidListeningOn(mediaPort);
    process.kill(pid!, 'SIGKILL');

    // The page reconnects to the restarted server, hears that the answer ended, and shows what was kept.
    await waitForState(page, 'recording-state', 'stopped', 90_000);
    const answer = ((await (await page.request.get(`/api/answers/${answerId}`)).json()) as AnswerBody).answer;
    expect(answer.status).toBe('interrupted');
    expect(answer.recordingNote).toContain('The media server stopped during this answer');
    expect(answer.recording!.durationMs).toBeGreaterThan(2_000);
    expect(await page.getByTestId('playback').getAttribute('src')).toBe(`/api/answers/${answerId}/recording`);
    // The answer is over: its clocks stand still, no silence is "running", the last frame is the poster.
    const elapsedNow = () => page.getByTestId('live-elapsed').getAttribute('data-elapsed-ms');
    const frozen = await elapsedNow();
    await page.waitForTimeout(1_500);
    expect(await elapsedNow()).toBe(frozen);
    expect(await page.getByTestId('recording-timer').getAttribute('data-elapsed-ms')).toBe(String(answer.recording!.durationMs));
    expect(await page.getByTestId('live-pauses').getAttribute('data-silent')).toBe('false');
    expect(await page.getByTestId('playback').getAttribute('poster')).toMatch(/^data:image\/jpeg;base64,/);

    // And the next answer records on the new media server.
    expect(await pidListeningOn(mediaPort)).not.toBe(pid);
    await page.getByTestId('record-again').click();
    const next = await startAnswer(page);
    expect(next).not.toBe(answerId);
    await page.waitForTimeout(2_000);
    expect((await stopAnswer(page, next)).status).toBe('ready');
    await context.close();
  });
});
