import type { types } from 'mediasoup';
import { FfmpegError } from './errors.ts';
import type { MediaLogger } from './log.ts';
import { PlainRtpOutput, type FfmpegExit } from './rtp/PlainRtpOutput.ts';
import { TypedEmitter } from './TypedEmitter.ts';

/** What speech-to-text engines take: 16 kHz mono signed 16-bit PCM, in 20 ms frames. */
export const PCM_SAMPLE_RATE = 16000;
export const PCM_FRAME_SAMPLES = 320;
export const PCM_FRAME_MS = 20;
const FRAME_BYTES = PCM_FRAME_SAMPLES * 2;

export interface PcmFrame {
  /** PCM_FRAME_SAMPLES samples. */
  samples: Int16Array;
  /** When the frame's first sample was heard, in ms since the answer started. */
  startMs: number;
}

export type AudioForkEvents = {
  /** ffmpeg keeps failing; iteration rejects with the same error once the buffered frames are read. */
  error: [Error];
  close: [];
};

export interface AudioForkOptions {
  router: types.Router;
  /** The candidate's microphone (Opus). */
  producer: types.Producer;
  ffmpegPath: string;
  /** Date.now() when the answer started: frame times are relative to it. */
  answerStartedAt: number;
  /** Frames kept for a slow reader; beyond that the oldest are dropped and counted. Default 250 (5 s). */
  maxBufferedFrames?: number;
  /** Give up restarting ffmpeg after this many runs in a row that died within 5 s. Default 3. */
  maxQuickRestarts?: number;
  logger?: MediaLogger;
}

const QUICK_FAILURE_MS = 5000;

// Latency matters more than probing here: the SDP already says everything about Opus.
const INPUT_ARGS = ['-fflags', 'nobuffer', '-flags', 'low_delay', '-probesize', '32', '-analyzeduration', '0'];
// async=1 fills gaps in the RTP timestamps (lost packets, DTX) with silence, so counting samples
// keeps counting time.
const OUTPUT_ARGS = ['-map', '0:a', '-af', 'aresample=async=1', '-ac', '1', '-ar', String(PCM_SAMPLE_RATE), '-c:a', 'pcm_s16le', '-f', 's16le', '-flush_packets', '1', 'pipe:1'];

/**
 * The candidate's audio as an async stream of 20 ms PCM frames for speech-to-text, decoded by its
 * own ffmpeg (from its own consumer) so it can never delay or disturb the recording.
 *
 * Frames are timed by counting samples from the first decoded one, which is anchored at the moment
 * its RTP packet reached the media server. The fork never blocks ffmpeg: a reader that falls behind
 * loses the oldest frames (`droppedFrames`), not the newest.
 */
export class AudioFork extends TypedEmitter<AudioForkEvents> implements AsyncIterable<PcmFrame> {
  readonly #router: types.Router;
  readonly #producer: types.Producer;
  readonly #ffmpegPath: string;
  readonly #answerStartedAt: number;
  readonly #maxBufferedFrames: number;
  readonly #maxQuickRestarts: number;
  readonly #logger: MediaLogger | undefined;
  #output: PlainRtpOutput | null = null;
  #frames: PcmFrame[] = [];
  #waiters: { resolve: (r: IteratorResult<PcmFrame>) => void; reject: (e: Error) => void }[] = [];
  #leftover: Buffer = Buffer.alloc(0);
  #runSamples = 0;
  #runOffsetMs: number | null = null;
  #lastStartMs = Number.NEGATIVE_INFINITY;
  #produced = 0;
  #dropped = 0;
  #quickFailures = 0;
  /** No more frames will come; readers get the buffered ones, then the end (or #failure). */
  #ended = false;
  #failure: Error | null = null;
  #closed = false;

  static async create({ router, producer, ffmpegPath, answerStartedAt, maxBufferedFrames = 250, maxQuickRestarts = 3, logger }: AudioForkOptions): Promise<AudioFork> {
    if (!router || router.closed) throw new TypeError('router must be an open mediasoup Router');
    if (!producer || producer.closed || producer.kind !== 'audio') throw new TypeError('producer must be an open audio Producer');
    if (!ffmpegPath) throw new TypeError('ffmpegPath is required');
    if (!Number.isFinite(answerStartedAt)) throw new TypeError('answerStartedAt must be a Date.now() value');
    if (!Number.isInteger(maxBufferedFrames) || maxBufferedFrames < 1) throw new TypeError('maxBufferedFrames must be a positive integer');
    const fork = new AudioFork(router, producer, ffmpegPath, answerStartedAt, maxBufferedFrames, maxQuickRestarts, logger);
    await fork.#start();
    return fork;
  }

  private constructor(router: types.Router, producer: types.Producer, ffmpegPath: string, answerStartedAt: number, maxBufferedFrames: number, maxQuickRestarts: number, logger: MediaLogger | undefined) {
    super();
    this.#router = router;
    this.#producer = producer;
    this.#ffmpegPath = ffmpegPath;
    this.#answerStartedAt = answerStartedAt;
    this.#maxBufferedFrames = maxBufferedFrames;
    this.#maxQuickRestarts = maxQuickRestarts;
    this.#logger = logger;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The decoding ffmpeg's pid, while one runs. */
  get pid(): number | undefined {
    return this.#output?.pid;
  }

  /** Frames decoded so far. */
  get producedFrames(): number {
    return this.#produced;
  }

  /** Frames a slow reader lost. */
  get droppedFrames(): number {
    return this.#dropped;
  }

  async #start(): Promise<void> {
    const output = await PlainRtpOutput.create({ router: this.#router, producers: [this.#producer], ffmpegPath: this.#ffmpegPath, inputArgs: INPUT_ARGS, outputArgs: OUTPUT_ARGS, logger: this.#logger });
    if (this.#closed) {
      output.close();
      return;
    }
    const startedAt = Date.now();
    this.#output = output;
    this.#leftover = Buffer.alloc(0);
    this.#runSamples = 0;
    this.#runOffsetMs = null;
    output.stdout.on('data', (chunk: Buffer) => this.#onPcm(output, chunk));
    // The peer's microphone is gone: what is decoded still comes out, then the stream ends.
    output.on('producerclose', () => void output.stop());
    void output.exited.then((exit) => this.#onExit(exit, startedAt));
  }

  #onPcm(output: PlainRtpOutput, chunk: Buffer): void {
    if (this.#closed) return;
    if (this.#runOffsetMs === null) {
      const heard = output.firstPacketAt(0) ?? Date.now() - (chunk.length / 2 / PCM_SAMPLE_RATE) * 1000;
      this.#runOffsetMs = heard - this.#answerStartedAt;
      // After a restart the new run must not start before the previous one ended.
      if (this.#runOffsetMs < this.#lastStartMs + PCM_FRAME_MS) this.#runOffsetMs = this.#lastStartMs + PCM_FRAME_MS;
    }
    const data = this.#leftover.length > 0 ? Buffer.concat([this.#leftover, chunk]) : chunk;
    let offset = 0;
    for (; offset + FRAME_BYTES <= data.length; offset += FRAME_BYTES) {
      const samples = new Int16Array(PCM_FRAME_SAMPLES);
      for (let i = 0; i < PCM_FRAME_SAMPLES; i++) samples[i] = data.readInt16LE(offset + i * 2);
      const startMs = this.#runOffsetMs + (this.#runSamples / PCM_SAMPLE_RATE) * 1000;
      this.#runSamples += PCM_FRAME_SAMPLES;
      this.#lastStartMs = startMs;
      this.#push({ samples, startMs });
    }
    this.#leftover = data.subarray(offset);
  }

  #push(frame: PcmFrame): void {
    this.#produced++;
    const waiter = this.#waiters.shift();
    if (waiter) {
      waiter.resolve({ value: frame, done: false });
      return;
    }
    this.#frames.push(frame);
    if (this.#frames.length > this.#maxBufferedFrames) {
      this.#frames.shift();
      this.#dropped++;
    }
  }

  #onExit(exit: FfmpegExit, startedAt: number): void {
    this.#output = null;
    if (this.#closed) return;
    const producerGone = this.#producer.closed || this.#router.closed;
    if (exit.expected || producerGone) {
      this.#end(null);
      return;
    }
    this.#quickFailures = Date.now() - startedAt < QUICK_FAILURE_MS ? this.#quickFailures + 1 : 0;
    if (this.#quickFailures > this.#maxQuickRestarts) {
      this.#end(new FfmpegError('audio fork ffmpeg keeps exiting', { exitCode: exit.code, signal: exit.signal, stderr: exit.stderr }));
      return;
    }
    this.#logger?.warn({ code: exit.code, signal: exit.signal }, 'audio fork ffmpeg exited; restarting');
    this.#start().catch((error: Error) => this.#end(error));
  }

  /** No more frames: waiting readers get the end (or the failure); later readers drain the buffer first. */
  #end(failure: Error | null): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#failure = failure;
    if (failure) {
      this.#logger?.error({ err: failure }, 'audio fork failed');
      if (this.listenerCount('error') > 0) this.safeEmit('error', failure);
    }
    this.#settleWaiters();
    this.#release();
  }

  #settleWaiters(): void {
    for (const waiter of this.#waiters.splice(0)) {
      if (this.#failure) waiter.reject(this.#failure);
      else waiter.resolve({ value: undefined, done: true });
    }
  }

  #next(): Promise<IteratorResult<PcmFrame>> {
    const frame = this.#frames.shift();
    if (frame) return Promise.resolve({ value: frame, done: false });
    if (this.#ended) {
      const failure = this.#failure;
      // Reported once; the iteration is over after that.
      this.#failure = null;
      return failure ? Promise.reject(failure) : Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  [Symbol.asyncIterator](): AsyncIterator<PcmFrame> {
    return {
      next: () => this.#next(),
      return: async () => {
        this.close();
        return { value: undefined, done: true };
      },
    };
  }

  #release(): void {
    this.#output?.close();
    this.#output = null;
    if (this.#closed) return;
    this.#closed = true;
    this.safeEmit('close');
  }

  /** Stops decoding and ends the iteration now; frames not read yet are discarded. */
  close(): void {
    if (this.#closed) return;
    this.#frames = [];
    this.#end(null);
  }
}
