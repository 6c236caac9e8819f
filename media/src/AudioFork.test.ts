// The audio fork against a real mediasoup worker and ffmpeg: a synthetic 440 Hz microphone in,
// 16 kHz PCM frames out.
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AudioFork, PCM_FRAME_MS, PCM_FRAME_SAMPLES, PCM_SAMPLE_RATE, type PcmFrame } from './AudioFork.ts';
import { mediaCodecs } from './codecs.ts';
import { FfmpegError } from './errors.ts';
import { resolveFfmpegPath } from './ffmpeg.ts';
import { SyntheticSender } from './testing/syntheticSender.ts';

const ffmpegPath = resolveFfmpegPath(null);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rms(samples: Int16Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

/** Sign changes per second: twice the frequency of a pure tone. */
function zeroCrossingsPerSecond(frames: PcmFrame[]): number {
  let crossings = 0;
  let previous = 0;
  for (const { samples } of frames) {
    for (const s of samples) {
      if ((s >= 0) !== (previous >= 0)) crossings++;
      previous = s;
    }
  }
  return crossings / ((frames.length * PCM_FRAME_SAMPLES) / PCM_SAMPLE_RATE);
}

describe('AudioFork', () => {
  let worker: types.Worker;
  const cleanups: (() => unknown)[] = [];

  beforeAll(async () => {
    expect(process.env.MEDIASOUP_WORKER_BIN, 'run through npm test, which provides the worker').toBeTruthy();
    worker = await mediasoup.createWorker({ workerBin: process.env.MEDIASOUP_WORKER_BIN, logLevel: 'warn' });
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  afterAll(() => worker?.close());

  async function setUp() {
    const router = await worker.createRouter({ mediaCodecs });
    cleanups.push(() => router.close());
    const sender = await SyntheticSender.create({ router, ffmpegPath, video: null });
    cleanups.push(() => sender.close());
    return { router, sender, producer: sender.audioProducer! };
  }

  it('delivers the microphone as timed 20 ms frames of 16 kHz PCM while it is sent, until close()', async () => {
    const { router, producer } = await setUp();
    const answerStartedAt = Date.now();
    const fork = await AudioFork.create({ router, producer, ffmpegPath, answerStartedAt });
    cleanups.push(() => fork.close());

    const frames: PcmFrame[] = [];
    const latencies: number[] = [];
    const reading = (async () => {
      for await (const frame of fork) {
        frames.push(frame);
        // How long after the frame's last sample was heard the reader got it.
        latencies.push(Date.now() - answerStartedAt - (frame.startMs + PCM_FRAME_MS));
      }
    })();
    await sleep(2500);
    const whileSending = frames.length;
    fork.close();
    await reading;
    expect(fork.closed).toBe(true);

    // Frames arrive while the sender runs: about 50 a second once ffmpeg is up.
    expect(whileSending).toBeGreaterThan(75);
    expect(frames.every((f) => f.samples.length === PCM_FRAME_SAMPLES)).toBe(true);
    for (let i = 1; i < frames.length; i++) expect(frames[i]!.startMs - frames[i - 1]!.startMs).toBe(PCM_FRAME_MS);
    // The first frame is timed from when its packet arrived, right after the answer started.
    expect(frames[0]!.startMs).toBeGreaterThanOrEqual(0);
    expect(frames[0]!.startMs).toBeLessThan(500);
    const steady = frames.slice(10);
    expect(Math.min(...steady.map((f) => rms(f.samples)))).toBeGreaterThan(1000);
    expect(zeroCrossingsPerSecond(steady) / 2).toBeGreaterThan(420);
    expect(zeroCrossingsPerSecond(steady) / 2).toBeLessThan(460);
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(`[audio fork] first frame at ${frames[0]!.startMs.toFixed(0)} ms; latency median ${sorted[sorted.length >> 1]} ms, max ${sorted.at(-1)} ms`);
    expect(sorted[sorted.length >> 1]).toBeLessThan(500);
  });

  it('drops the oldest frames for a slow reader instead of blocking ffmpeg, and ends when the producer closes', async () => {
    const { router, sender, producer } = await setUp();
    const answerStartedAt = Date.now();
    const fork = await AudioFork.create({ router, producer, ffmpegPath, answerStartedAt, maxBufferedFrames: 10 });
    cleanups.push(() => fork.close());
    await sleep(1500);
    expect(fork.droppedFrames).toBeGreaterThan(20);
    const iterator = fork[Symbol.asyncIterator]();
    const first = await iterator.next();
    // What is left is the newest audio: the oldest buffered frame is at most 10 frames old.
    expect(first.done).toBe(false);
    expect(Date.now() - answerStartedAt - (first.value as PcmFrame).startMs).toBeLessThan(10 * PCM_FRAME_MS + 500);

    sender.close();
    let rest = 0;
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) rest++;
    expect(rest).toBeGreaterThanOrEqual(9);
    expect(fork.closed).toBe(true);
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  it('restarts a killed ffmpeg and keeps the timeline: later frames are later, the gap is visible', async () => {
    const { router, producer } = await setUp();
    const answerStartedAt = Date.now();
    const fork = await AudioFork.create({ router, producer, ffmpegPath, answerStartedAt });
    cleanups.push(() => fork.close());
    const frames: PcmFrame[] = [];
    const reading = (async () => {
      for await (const frame of fork) frames.push(frame);
    })();
    await sleep(1000);
    const first = fork.pid;
    process.kill(first!, 'SIGKILL');
    const killedAt = Date.now() - answerStartedAt;
    await sleep(1500);
    expect(fork.pid).toBeDefined();
    expect(fork.pid).not.toBe(first);
    fork.close();
    await reading;
    const gaps = frames.slice(1).map((f, i) => f.startMs - frames[i]!.startMs);
    expect(gaps.every((g) => g >= PCM_FRAME_MS)).toBe(true);
    const jump = gaps.findIndex((g) => g > PCM_FRAME_MS);
    expect(jump).toBeGreaterThan(0);
    expect(frames[jump + 1]!.startMs).toBeGreaterThan(killedAt);
    expect(frames.at(-1)!.startMs).toBeGreaterThan(killedAt + 500);
  });

  it('rejects what it cannot fork', async () => {
    const router = await worker.createRouter({ mediaCodecs });
    cleanups.push(() => router.close());
    const sender = await SyntheticSender.create({ router, ffmpegPath, audio: false });
    cleanups.push(() => sender.close());
    await expect(AudioFork.create({ router, producer: sender.videoProducer!, ffmpegPath, answerStartedAt: Date.now() })).rejects.toThrow(TypeError);
    await expect(AudioFork.create({ router, producer: sender.videoProducer!, ffmpegPath, answerStartedAt: Number.NaN })).rejects.toThrow(TypeError);
    const microphone = await SyntheticSender.create({ router, ffmpegPath, video: null });
    cleanups.push(() => microphone.close());
    const before = (await router.dump()).transportIds.length;
    await expect(AudioFork.create({ router, producer: microphone.audioProducer!, ffmpegPath: '/nonexistent/ffmpeg', answerStartedAt: Date.now() })).rejects.toThrow(FfmpegError);
    // Nothing is left behind: the consumer's transport closed with the failed start.
    expect((await router.dump()).transportIds.length).toBe(before);
  });
});
