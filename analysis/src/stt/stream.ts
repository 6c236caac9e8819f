// SttStream: the one place that runs engine sessions. It keeps the audio that no final has covered
// yet, retries a failing engine, fails over to the next one (replaying that audio, so no stretch
// goes untranscribed), maps session times to answer times, and records which engine produced
// which span of the answer.
import type { SpeechEvent, TimedWord } from '../transcript/types.ts';
import { EventQueue } from './queue.ts';
import { STT_SAMPLE_RATE, SttError, type AudioFrame, type SessionEvent, type SttProvider, type SttSession } from './types.ts';

import type { EngineSpan } from '../live/types.ts';

export type { EngineSpan };

export interface SttStreamOptions {
  /** In order of preference: a failing engine hands over to the next. */
  providers: SttProvider[];
  /** New sessions of the same engine after a retryable failure, before failing over. Default 2. */
  maxRetries?: number;
  /** Wait before the first retry; doubles each time. Default 250 ms. */
  retryDelayMs?: number;
  /** Audio kept for a replay after a failure. Default 120 s. */
  maxReplaySeconds?: number;
  /** Default 3 s. */
  keepAliveMs?: number;
  logger?: { warn(details: object, message: string): void };
}

/** Digital silence for this long (a muted microphone, lost packets) is not sent to engines that need not hear it. */
const SILENCE_SKIP_SECONDS = 1;

function isSilent(samples: Int16Array): boolean {
  for (let i = 0; i < samples.length; i++) if (samples[i] !== 0) return false;
  return true;
}

export class SttStream implements AsyncIterable<SpeechEvent> {
  readonly #providers: SttProvider[];
  readonly #maxRetries: number;
  readonly #retryDelayMs: number;
  readonly #maxReplaySeconds: number;
  readonly #keepAliveMs: number;
  readonly #logger: SttStreamOptions['logger'];
  readonly #out = new EventQueue<SpeechEvent>();
  /** Audio after the last final's coverage, for a replay. */
  #frames: AudioFrame[] = [];
  #confirmedUntil = 0;
  #providerIndex = 0;
  #session: SttSession | null = null;
  /** Session time → answer time: anchors where the audio sent was not contiguous. */
  #anchors: { session: number; answer: number }[] = [];
  #sentSamples = 0;
  #lastSentEndMs: number | null = null;
  #silentFrames = 0;
  #keepAliveTimer: NodeJS.Timeout | null = null;
  #spans: EngineSpan[] = [];
  #inputEnded = false;
  #closed = false;

  constructor({ providers, maxRetries = 2, retryDelayMs = 250, maxReplaySeconds = 120, keepAliveMs = 3000, logger }: SttStreamOptions) {
    if (!Array.isArray(providers) || providers.length === 0) throw new TypeError('providers must name at least one engine');
    this.#providers = providers;
    this.#maxRetries = maxRetries;
    this.#retryDelayMs = retryDelayMs;
    this.#maxReplaySeconds = maxReplaySeconds;
    this.#keepAliveMs = keepAliveMs;
    this.#logger = logger;
    void this.#run();
  }

  /** The engine transcribing now (the last one tried once the stream has ended). */
  get engine(): SttProvider {
    return this.#providers[Math.min(this.#providerIndex, this.#providers.length - 1)]!;
  }

  /** Which engine produced which span of the answer so far. */
  get spans(): readonly EngineSpan[] {
    return this.#spans;
  }

  pushFrame(frame: AudioFrame): void {
    if (this.#inputEnded || this.#closed) return;
    this.#frames.push(frame);
    const keepFrom = frame.startMs / 1000 - this.#maxReplaySeconds;
    while (this.#frames.length > 0 && this.#frames[0]!.startMs / 1000 < keepFrom) this.#frames.shift();
    if (this.#session) this.#send(this.#session, frame);
  }

  /** Ask the engine for finals for everything heard so far. */
  flush(): void {
    this.#session?.finalize();
  }

  /** No more audio: the iteration ends once the engine has finished with what it has. */
  endInput(): void {
    if (this.#inputEnded) return;
    this.#inputEnded = true;
    this.#session?.end();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopKeepAlive();
    this.#session?.close();
    this.#out.end();
  }

  [Symbol.asyncIterator](): AsyncIterator<SpeechEvent> {
    return this.#out[Symbol.asyncIterator]();
  }

  #send(session: SttSession, frame: AudioFrame): void {
    if (this.engine.skipsSilence && isSilent(frame.samples)) {
      this.#silentFrames++;
      const silentSeconds = (this.#silentFrames * frame.samples.length) / STT_SAMPLE_RATE;
      if (silentSeconds >= SILENCE_SKIP_SECONDS) {
        if (!this.#keepAliveTimer) {
          // Finals for what came before the silence, then only signs of life until speech returns.
          session.finalize();
          this.#keepAliveTimer = setInterval(() => session.keepAlive?.(), this.#keepAliveMs);
        }
        return;
      }
    } else {
      this.#silentFrames = 0;
      this.#stopKeepAlive();
    }
    const contiguous = this.#lastSentEndMs !== null && Math.abs(frame.startMs - this.#lastSentEndMs) < 1;
    if (!contiguous) this.#anchors.push({ session: this.#sentSamples / STT_SAMPLE_RATE, answer: frame.startMs / 1000 });
    session.send(frame.samples);
    this.#sentSamples += frame.samples.length;
    this.#lastSentEndMs = frame.startMs + (frame.samples.length / STT_SAMPLE_RATE) * 1000;
  }

  #stopKeepAlive(): void {
    if (this.#keepAliveTimer) clearInterval(this.#keepAliveTimer);
    this.#keepAliveTimer = null;
  }

  /** A session time in answer seconds. */
  #toAnswer(t: number): number {
    let anchor = this.#anchors[0] ?? { session: 0, answer: 0 };
    for (const a of this.#anchors) if (a.session <= t) anchor = a;
    return Math.max(0, anchor.answer + (t - anchor.session));
  }

  #words(words: readonly TimedWord[]): TimedWord[] {
    const engine = this.engine.name;
    return words.map((w) => ({ ...w, engine, start: this.#toAnswer(w.start), end: this.#toAnswer(w.end) }));
  }

  #onEvent(event: SessionEvent): void {
    switch (event.type) {
      case 'interim':
        this.#out.push({ type: 'interim', words: this.#words(event.words) });
        break;
      case 'final': {
        // After a replay the new engine may hear again the end of what the last one finalized.
        const words = this.#words(event.words).filter((w) => (w.start + w.end) / 2 >= this.#confirmedUntil);
        const until = Math.max(event.until !== undefined ? this.#toAnswer(event.until) : 0, words.at(-1)?.end ?? 0);
        this.#confirm(until);
        if (words.length > 0) this.#out.push({ type: 'final', words });
        break;
      }
      case 'speechStarted':
        this.#out.push({ type: 'speechStarted', at: this.#toAnswer(event.at) });
        break;
      case 'utteranceEnd':
        this.#confirm(this.#toAnswer(event.lastWordEnd));
        this.#out.push({ type: 'utteranceEnd', lastWordEnd: this.#toAnswer(event.lastWordEnd) });
        break;
    }
  }

  #confirm(until: number): void {
    if (until <= this.#confirmedUntil) return;
    this.#confirmedUntil = until;
    const span = this.#spans.at(-1);
    if (span) span.to = Math.max(span.to, until);
    while (this.#frames.length > 0) {
      const first = this.#frames[0]!;
      if ((first.startMs + (first.samples.length / STT_SAMPLE_RATE) * 1000) / 1000 > until) break;
      this.#frames.shift();
    }
  }

  async #run(): Promise<void> {
    let retries = 0;
    while (!this.#closed) {
      const provider = this.engine;
      let session: SttSession | null = null;
      try {
        session = await provider.open();
        if (this.#closed) {
          session.close();
          return;
        }
        this.#startSession(session, provider);
        for await (const event of session) {
          retries = 0;
          this.#onEvent(event);
        }
        if (this.#inputEnded || this.#closed) break;
        throw new SttError(`${provider.label} ended the stream while audio was still coming`, { code: 'engine_closed', retryable: true });
      } catch (error) {
        if (this.#closed) return;
        this.#session = null;
        session?.close();
        const failure = error instanceof SttError ? error : new SttError((error as Error).message, { code: 'engine_failed', retryable: false, cause: error });
        if (failure.retryable && retries < this.#maxRetries) {
          retries++;
          this.#logger?.warn({ engine: provider.name, code: failure.code, retry: retries }, `speech engine failed, retrying: ${failure.message}`);
          await new Promise((r) => setTimeout(r, this.#retryDelayMs * 2 ** (retries - 1)));
          continue;
        }
        if (this.#providerIndex + 1 < this.#providers.length) {
          this.#providerIndex++;
          retries = 0;
          this.#logger?.warn({ from: provider.name, to: this.engine.name, code: failure.code, at: this.#confirmedUntil }, `speech engine failed; continuing on ${this.engine.label}: ${failure.message}`);
          continue;
        }
        this.#stopKeepAlive();
        this.#out.fail(failure);
        return;
      }
    }
    this.#stopKeepAlive();
    this.#session = null;
    this.#out.end();
  }

  /** A new session hears everything not yet final, then the live audio. */
  #startSession(session: SttSession, provider: SttProvider): void {
    this.#stopKeepAlive();
    this.#anchors = [];
    this.#sentSamples = 0;
    this.#lastSentEndMs = null;
    this.#silentFrames = 0;
    // Everything before confirmedUntil is final already: the new engine's span starts there (a retry continues its own).
    if (this.#spans.at(-1)?.engine !== provider.name) this.#spans.push({ engine: provider.name, from: this.#confirmedUntil, to: this.#confirmedUntil });
    for (const frame of this.#frames) this.#send(session, frame);
    this.#session = session;
    if (this.#inputEnded) session.end();
  }
}
