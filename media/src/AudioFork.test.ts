// The audio fork against a real mediasoup worker: a synthetic 440 Hz microphone (ffmpeg, live) or
// real Opus RTP packets sent one by one (to control loss, order and timing) in, 16 kHz PCM out.
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AudioFork, PCM_FRAME_MS, PCM_FRAME_SAMPLES, PCM_SAMPLE_RATE, type PcmFrame } from './AudioFork.ts';
import { mediaCodecs } from './codecs.ts';
import { resolveFfmpegPath } from './ffmpeg.ts';
import { captureOpusRtp, OPUS_TEST_PAYLOAD_TYPE, OPUS_TEST_SSRC } from '@rehearse/testkit/opusPackets';
import { SyntheticSender } from '@rehearse/testkit/syntheticSender';

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
    const fork = await AudioFork.create({ router, producer, answerStartedAt });
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

  it('drops the oldest frames for a slow reader instead of blocking, and ends when the producer closes', async () => {
    const { router, sender, producer } = await setUp();
    const answerStartedAt = Date.now();
    const fork = await AudioFork.create({ router, producer, answerStartedAt, maxBufferedFrames: 10 });
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

  /** A producer fed packet by packet from the test. */
  async function directMicrophone() {
    const router = await worker.createRouter({ mediaCodecs });
    cleanups.push(() => router.close());
    const transport = await router.createDirectTransport();
    const producer = await transport.produce({
      kind: 'audio',
      rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: OPUS_TEST_PAYLOAD_TYPE, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: OPUS_TEST_SSRC }] },
    });
    return { router, producer };
  }

  it('places audio by its RTP timestamps: lost packets and a muted stretch become silence of the same length, reordering is undone', async () => {
    const packets = (await captureOpusRtp({ ffmpegPath, seconds: 2 })).slice(0, 100);
    const { router, producer } = await directMicrophone();
    const answerStartedAt = Date.now();
    const fork = await AudioFork.create({ router, producer, answerStartedAt });
    const frames: PcmFrame[] = [];
    const reading = (async () => {
      for await (const frame of fork) frames.push(frame);
    })();

    // 100 packets of 20 ms: 20–24 lost, 40 and 41 swapped, 60 rejected by the decoder, and after
    // packet 79 the microphone is muted for one second (the RTP clock runs on, nothing is sent);
    // packet 90 is oversized (what no Opus encoder makes).
    const muteSamples = 48000;
    const send = (packet: Buffer) => producer.send(packet);
    for (let i = 0; i < packets.length; i++) {
      let packet = packets[i]!;
      if (i >= 20 && i <= 24) continue;
      if (i === 40) packet = packets[41]!;
      if (i === 41) packet = packets[40]!;
      if (i === 60) {
        // TOC byte of a code-3 packet with no frame-count byte: invalid by RFC 6716 §3.2.5.
        const corrupt = Buffer.from(packet);
        corrupt[12] = 0x03;
        packet = corrupt.subarray(0, 13);
      }
      if (i === 90) packet = Buffer.concat([packet, Buffer.alloc(4000, 0x55)]);
      if (i >= 80) {
        packet = Buffer.from(packet);
        packet.writeUInt32BE((packet.readUInt32BE(4) + muteSamples) >>> 0, 4);
      }
      send(packet);
      await sleep(2);
    }
    await expect.poll(() => frames.length, { timeout: 5000 }).toBeGreaterThanOrEqual(100 + 50 - 1);
    producer.close();
    await reading;
    expect(fork.closed).toBe(true);

    // One contiguous timeline: 100 packets plus the muted second, frame after frame.
    expect(frames.length).toBe(150);
    for (let i = 1; i < frames.length; i++) expect(frames[i]!.startMs - frames[i - 1]!.startMs).toBe(PCM_FRAME_MS);
    expect(frames[0]!.startMs).toBeGreaterThanOrEqual(0);
    expect(frames[0]!.startMs).toBeLessThan(1000);
    const loud = (i: number) => rms(frames[i]!.samples) > 1000;
    const silent = (i: number) => rms(frames[i]!.samples) === 0;
    // Opus needs a packet to recover after a hole; the frames around each hole are left out.
    for (const i of [5, 15, 30, 39, 40, 41, 42, 50, 70, 79, 131, 139, 145]) expect(loud(i), `frame ${i} carries the tone`).toBe(true);
    for (const i of [20, 21, 22, 23, 24]) expect(silent(i), `lost packet ${i} is silence`).toBe(true);
    expect(silent(60), 'the rejected packet is silence').toBe(true);
    expect(silent(90 + 50), 'the oversized packet is silence').toBe(true);
    for (let i = 80; i < 130; i++) expect(silent(i), `muted frame ${i} is silence`).toBe(true);
    expect(fork.problems).toEqual({ lostPackets: 5, latePackets: 0, decodeErrors: 2 });
    expect(zeroCrossingsPerSecond(frames.slice(0, 19)) / 2).toBeGreaterThan(420);
  });

  it('ends with the router, delivering what was decoded', async () => {
    const packets = await captureOpusRtp({ ffmpegPath, seconds: 1 });
    const { router, producer } = await directMicrophone();
    const fork = await AudioFork.create({ router, producer, answerStartedAt: Date.now() });
    for (const packet of packets.slice(0, 10)) producer.send(packet);
    await expect.poll(() => fork.producedFrames).toBe(10);
    router.close();
    expect(fork.closed).toBe(true);
    let frames = 0;
    for await (const _frame of fork) frames++;
    expect(frames).toBe(10);
  });

  it('rejects what it cannot fork', async () => {
    const router = await worker.createRouter({ mediaCodecs });
    cleanups.push(() => router.close());
    const sender = await SyntheticSender.create({ router, ffmpegPath, audio: false });
    cleanups.push(() => sender.close());
    const before = (await router.dump()).transportIds.length;
    await expect(AudioFork.create({ router, producer: sender.videoProducer!, answerStartedAt: Date.now() })).rejects.toThrow(/audio Producer/);
    const microphone = await SyntheticSender.create({ router, ffmpegPath, video: null });
    cleanups.push(() => microphone.close());
    await expect(AudioFork.create({ router, producer: microphone.audioProducer!, answerStartedAt: Number.NaN })).rejects.toThrow(/answerStartedAt/);
    await expect(AudioFork.create({ router, producer: microphone.audioProducer!, answerStartedAt: Date.now(), maxBufferedFrames: 0 })).rejects.toThrow(/maxBufferedFrames/);
    microphone.close();
    await expect(AudioFork.create({ router, producer: microphone.audioProducer!, answerStartedAt: Date.now() })).rejects.toThrow(/audio Producer/);
    // Nothing is left behind (the microphone's own transport is gone with it).
    expect((await router.dump()).transportIds.length).toBe(before);
  });
});
