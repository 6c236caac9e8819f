import type { types } from 'mediasoup';
import { OpusDecoder } from 'opus-decoder';
import type { MediaLogger } from './log.ts';
import { parseRtp, RtpReorder } from './rtp/RtpReorder.ts';
import { TypedEmitter } from './TypedEmitter.ts';

/** What speech-to-text engines take: 16 kHz mono signed 16-bit PCM, in 20 ms frames. */
export const PCM_SAMPLE_RATE = 16000;
export const PCM_FRAME_SAMPLES = 320;
export const PCM_FRAME_MS = 20;

/** Opus's RTP clock is 48 kHz whatever the audio's bandwidth (RFC 7587). */
const OPUS_CLOCK_RATE = 48000;
const CLOCK_PER_SAMPLE = OPUS_CLOCK_RATE / PCM_SAMPLE_RATE;
/** A hole in the timeline (lost packets, a muted microphone) up to this long is filled with silence; a longer one is skipped and shows as a jump in the frames' times. */
const MAX_SILENCE_FILL_SAMPLES = 60 * PCM_SAMPLE_RATE;

export interface PcmFrame {
  /** PCM_FRAME_SAMPLES samples. */
  samples: Int16Array;
  /** When the frame's first sample was heard, in ms since the answer started. */
  startMs: number;
}

export type AudioForkEvents = {
  close: [];
};

export interface AudioForkOptions {
  router: types.Router;
  /** The candidate's microphone (Opus). */
  producer: types.Producer;
  /** Date.now() when the answer started: frame times are relative to it. */
  answerStartedAt: number;
  /** Frames kept for a slow reader; beyond that the oldest are dropped and counted. Default 250 (5 s). */
  maxBufferedFrames?: number;
  logger?: MediaLogger;
}

/** Opus's largest packet (RFC 6716 §3.4 R2 bounds a frame at 1275 bytes; 120 ms of them) fits the decoder's input buffer of 3840 bytes per channel. */
const MAX_OPUS_PACKET_BYTES = 3840;

/**
 * One packet decoded, or why not. The packets come from the candidate's browser, so anything can
 * be in them: opus-decoder prints every bad packet with console.error (a client could flood the
 * server's log with them) and throws on one larger than its input buffer; here both are a result.
 */
function decodeQuietly(decoder: OpusDecoder<16000>, payload: Buffer): { channelData: Float32Array[]; samplesDecoded: number } | string {
  if (payload.length > MAX_OPUS_PACKET_BYTES) return `an Opus packet of ${payload.length} bytes is larger than Opus allows`;
  const print = console.error;
  console.error = () => {};
  try {
    const decoded = decoder.decodeFrame(payload);
    return decoded.errors.length > 0 ? decoded.errors[0]!.message : decoded;
  } catch (error) {
    return (error as Error).message;
  } finally {
    console.error = print;
  }
}

/**
 * The candidate's audio as an async stream of 20 ms PCM frames for speech-to-text.
 *
 * A DirectTransport consumer hands the microphone's RTP to this process (no socket, no child
 * process); packets are put back in sequence order, and each Opus packet is decoded in-process
 * (libopus compiled to WebAssembly) straight to 16 kHz mono. The recording never waits for it:
 * it has its own consumer, and a decode takes tens of microseconds.
 *
 * Frames are placed on the timeline by their RTP timestamps, anchored at the moment the first
 * packet reached the media server: a lost packet or a muted microphone becomes silence of the same
 * length, so counting frames keeps counting time. The fork never blocks: a reader that falls
 * behind loses the oldest frames (`droppedFrames`), not the newest.
 */
export class AudioFork extends TypedEmitter<AudioForkEvents> implements AsyncIterable<PcmFrame> {
  readonly #transport: types.DirectTransport;
  readonly #decoder: OpusDecoder<16000>;
  readonly #payloadType: number;
  readonly #answerStartedAt: number;
  readonly #maxBufferedFrames: number;
  readonly #logger: MediaLogger | undefined;
  readonly #reorder = new RtpReorder();
  #frames: PcmFrame[] = [];
  #waiters: ((r: IteratorResult<PcmFrame>) => void)[] = [];
  /** The frame being filled. */
  #current = new Int16Array(PCM_FRAME_SAMPLES);
  #currentLength = 0;
  /** Timeline position (samples since the first packet) of the frame being filled. */
  #frameStart = 0;
  /** ms since the answer start when the first packet arrived. */
  #firstArrivalMs: number | null = null;
  /** ms since the answer start of timeline sample 0: when the first packet's audio began (it arrives once its 20 ms were spoken). */
  #anchorMs = 0;
  #produced = 0;
  #dropped = 0;
  #decodeErrors = 0;
  /** No more frames will come; readers get the buffered ones, then the end. */
  #ended = false;
  #closed = false;

  static async create({ router, producer, answerStartedAt, maxBufferedFrames = 250, logger }: AudioForkOptions): Promise<AudioFork> {
    if (!router || router.closed) throw new TypeError('router must be an open mediasoup Router');
    if (!producer || producer.closed || producer.kind !== 'audio') throw new TypeError('producer must be an open audio Producer');
    const codec = producer.rtpParameters.codecs[0];
    if (codec?.mimeType.toLowerCase() !== 'audio/opus') throw new TypeError(`the audio fork decodes Opus, not ${codec?.mimeType}`);
    if (!Number.isFinite(answerStartedAt)) throw new TypeError('answerStartedAt must be a Date.now() value');
    if (!Number.isInteger(maxBufferedFrames) || maxBufferedFrames < 1) throw new TypeError('maxBufferedFrames must be a positive integer');
    // Mono output downmixes a stereo stream; libopus resamples to 16 kHz as it decodes.
    const decoder = new OpusDecoder({ sampleRate: PCM_SAMPLE_RATE, channels: 1, streamCount: 1, coupledStreamCount: 0, channelMappingTable: [0] });
    const transport = await router.createDirectTransport();
    try {
      await decoder.ready;
      const consumer = await transport.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
      return new AudioFork(transport, consumer, decoder, answerStartedAt, maxBufferedFrames, logger);
    } catch (error) {
      transport.close();
      decoder.free();
      throw error;
    }
  }

  private constructor(transport: types.DirectTransport, consumer: types.Consumer, decoder: OpusDecoder<16000>, answerStartedAt: number, maxBufferedFrames: number, logger: MediaLogger | undefined) {
    super();
    this.#transport = transport;
    this.#decoder = decoder;
    this.#payloadType = consumer.rtpParameters.codecs[0]!.payloadType;
    this.#answerStartedAt = answerStartedAt;
    this.#maxBufferedFrames = maxBufferedFrames;
    this.#logger = logger;
    consumer.on('rtp', (packet) => this.#onRtp(packet));
    // The microphone, its transport or the whole router is gone: what was received comes out, then the end.
    consumer.on('producerclose', () => this.#end());
    consumer.on('transportclose', () => this.#end());
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Frames decoded so far. */
  get producedFrames(): number {
    return this.#produced;
  }

  /** Frames a slow reader lost. */
  get droppedFrames(): number {
    return this.#dropped;
  }

  /** Packets lost or late (heard as silence) and packets the decoder rejected. */
  get problems(): { lostPackets: number; latePackets: number; decodeErrors: number } {
    return { lostPackets: this.#reorder.lost, latePackets: this.#reorder.late, decodeErrors: this.#decodeErrors };
  }

  #onRtp(packet: Buffer): void {
    if (this.#ended) return;
    const rtp = parseRtp(packet);
    if (!rtp || rtp.payloadType !== this.#payloadType) return;
    if (this.#firstArrivalMs === null) {
      this.#firstArrivalMs = Date.now() - this.#answerStartedAt;
      this.#anchorMs = Math.max(0, this.#firstArrivalMs - PCM_FRAME_MS);
    }
    for (const ordered of this.#reorder.push(rtp.sequence, rtp.timestamp, rtp.payload)) this.#decode(ordered.timestamp, ordered.payload);
  }

  /** Decodes one packet onto the timeline at its RTP timestamp (relative to the first packet's). */
  #decode(timestamp: number, payload: Buffer): void {
    const at = Math.round(timestamp / CLOCK_PER_SAMPLE);
    const hole = at - (this.#frameStart + this.#currentLength);
    // Earlier than what is placed: a sender that restarted its clock; keep the timeline moving forward.
    if (hole > 0 && hole <= MAX_SILENCE_FILL_SAMPLES) this.#place(null, hole);
    else if (hole > MAX_SILENCE_FILL_SAMPLES) this.#skipTo(at);
    if (payload.length === 0) return;
    const decoded = decodeQuietly(this.#decoder, payload);
    if (typeof decoded === 'string') {
      // Heard as silence: the next packet's timestamp fills the hole.
      if (this.#decodeErrors++ === 0) this.#logger?.warn({ error: decoded }, 'audio fork could not decode an Opus packet; later ones are only counted');
      return;
    }
    // The first packet's own length tells when its audio began (20 ms unless the sender packs more).
    // Nothing is placed before the answer's start.
    if (timestamp === 0) this.#anchorMs = Math.max(0, this.#firstArrivalMs! - (decoded.samplesDecoded / PCM_SAMPLE_RATE) * 1000);
    this.#place(decoded.channelData[0]!, decoded.samplesDecoded);
  }

  /** Appends `count` samples (silence when `samples` is null) to the timeline, emitting full frames. */
  #place(samples: Float32Array | null, count: number): void {
    for (let i = 0; i < count; i++) {
      const s = samples ? samples[i]! : 0;
      this.#current[this.#currentLength++] = s >= 1 ? 32767 : s <= -1 ? -32768 : Math.round(s * 32767);
      if (this.#currentLength === PCM_FRAME_SAMPLES) this.#emitFrame();
    }
  }

  /** A long silence (a microphone muted for minutes) is not filled: the timeline jumps. */
  #skipTo(sample: number): void {
    if (this.#currentLength > 0) this.#place(null, PCM_FRAME_SAMPLES - this.#currentLength);
    this.#frameStart = sample - (sample % PCM_FRAME_SAMPLES);
    this.#place(null, sample % PCM_FRAME_SAMPLES);
  }

  #emitFrame(): void {
    this.#push({ samples: this.#current, startMs: this.#anchorMs + (this.#frameStart / PCM_SAMPLE_RATE) * 1000 });
    this.#frameStart += PCM_FRAME_SAMPLES;
    this.#current = new Int16Array(PCM_FRAME_SAMPLES);
    this.#currentLength = 0;
  }

  #push(frame: PcmFrame): void {
    this.#produced++;
    const waiter = this.#waiters.shift();
    if (waiter) {
      waiter({ value: frame, done: false });
      return;
    }
    this.#frames.push(frame);
    if (this.#frames.length > this.#maxBufferedFrames) {
      this.#frames.shift();
      this.#dropped++;
    }
  }

  /** No more frames: what is held is decoded (the last frame padded with silence), waiting readers get the end; later readers drain the buffer first. */
  #end(): void {
    if (this.#ended) return;
    for (const ordered of this.#reorder.flush()) this.#decode(ordered.timestamp, ordered.payload);
    if (this.#currentLength > 0) this.#place(null, PCM_FRAME_SAMPLES - this.#currentLength);
    this.#ended = true;
    for (const waiter of this.#waiters.splice(0)) waiter({ value: undefined, done: true });
    this.#release();
  }

  #next(): Promise<IteratorResult<PcmFrame>> {
    const frame = this.#frames.shift();
    if (frame) return Promise.resolve({ value: frame, done: false });
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.#waiters.push(resolve));
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
    if (this.#closed) return;
    this.#closed = true;
    this.#transport.close();
    this.#decoder.free();
    const { lostPackets, latePackets, decodeErrors } = this.problems;
    if (lostPackets + latePackets + decodeErrors > 0) this.#logger?.info({ lostPackets, latePackets, decodeErrors, frames: this.#produced }, 'audio fork closed');
    this.safeEmit('close');
  }

  /** Stops decoding and ends the iteration now; frames not read yet are discarded. */
  close(): void {
    if (this.#closed) return;
    this.#frames = [];
    this.#ended = true;
    for (const waiter of this.#waiters.splice(0)) waiter({ value: undefined, done: true });
    this.#release();
  }
}
