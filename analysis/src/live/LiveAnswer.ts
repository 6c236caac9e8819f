// One answer's live analysis: audio frames in, speech-to-text through SttStream, the rolling
// transcript and every metric recomputed, and an update out at least every 500 ms while speech
// arrives; at the end, the report. The media server feeds it from the AudioFork and sends the
// updates to the page; `npm run analyze` feeds it from a file.
import { FilledPauseDetector, type FilledPause, withFilledPauses } from '../acoustics/filledPauses.ts';
import { loadGrammar } from '../metrics/grammar.ts';
import { computeMetrics, summarizeAnswer, type MetricsOptionsInput } from '../metrics/summary.ts';
import { applyEvent, emptyTranscript, type TranscriptState } from '../transcript/rolling.ts';
import type { AnswerReport, LiveUpdate } from './types.ts';
import { SttStream } from '../stt/stream.ts';
import type { AudioFrame, SttProvider } from '../stt/types.ts';
import type { SpeechEvent, TimedWord } from '../transcript/types.ts';

export interface LiveAnswerOptions {
  providers: SttProvider[];
  metrics?: MetricsOptionsInput;
  onUpdate?: (update: LiveUpdate) => void;
  /** Longest wait between updates while the answer runs. Default 500 ms. */
  updateEveryMs?: number;
  /** How long finishing waits for the engine's last finals. Default 1500 ms. */
  finishTimeoutMs?: number;
  logger?: { warn(details: object, message: string): void };
  /** Hear um/uh in the audio when the engine cannot (default true; the accuracy harness turns it
   * off to study the engine's own words). */
  filledPauses?: boolean;
}

/** Updates are sent as events arrive, but not more often than this. */
const MIN_UPDATE_GAP_MS = 100;

export class LiveAnswer {
  readonly #stt: SttStream;
  readonly #metrics: MetricsOptionsInput;
  readonly #onUpdate: ((update: LiveUpdate) => void) | undefined;
  readonly #finishTimeoutMs: number;
  readonly #logger: LiveAnswerOptions['logger'];
  #transcript: TranscriptState = emptyTranscript();
  #seq = 0;
  #sentFinals = 0;
  #engineAt: number | null = null;
  #lastUpdateAt = 0;
  #dirty = false;
  /** Answer seconds of the newest audio received. */
  #heardUntil = 0;
  #timer: NodeJS.Timeout;
  #pendingUpdate: NodeJS.Timeout | null = null;
  #sttError: string | null = null;
  readonly #sttDone: Promise<void>;
  #framesDone: Promise<void> = Promise.resolve();
  /** Hears um/uh in the audio for engines that cannot (see acoustics/filledPauses.ts). */
  readonly #filledPauses: FilledPauseDetector | null;
  /** Filled pauses heard but not yet worked into finals (they come before the engine's finals). */
  #pendingPauses: FilledPause[] = [];

  constructor({ providers, metrics = {}, onUpdate, updateEveryMs = 500, finishTimeoutMs = 1500, logger, filledPauses = true }: LiveAnswerOptions) {
    this.#filledPauses = filledPauses ? new FilledPauseDetector() : null;
    // The part-of-speech tagger the filler and STAR rules read: loaded now, before words arrive.
    loadGrammar();
    this.#stt = new SttStream({ providers, logger });
    this.#metrics = metrics;
    this.#onUpdate = onUpdate;
    this.#finishTimeoutMs = finishTimeoutMs;
    this.#logger = logger;
    // Metrics move with time (the timer, the current silence) even when no word comes.
    this.#timer = setInterval(() => this.#update(), updateEveryMs);
    this.#sttDone = this.#readEvents();
  }

  /**
   * Audio to analyse, e.g. the media server's AudioFork. A new source (the microphone again after
   * a reconnect) may follow the previous one: its frames carry later answer times.
   */
  feed(frames: AsyncIterable<AudioFrame>): void {
    const previous = this.#framesDone;
    this.#framesDone = previous.then(() => this.#readFrames(frames));
  }

  /** Resolves once every frame fed so far has been passed on to the engine. */
  drained(): Promise<void> {
    return this.#framesDone;
  }

  get transcript(): TranscriptState {
    return this.#transcript;
  }

  get engine(): SttProvider {
    return this.#stt.engine;
  }

  async #readFrames(frames: AsyncIterable<AudioFrame>): Promise<void> {
    try {
      for await (const frame of frames) {
        this.#heardUntil = Math.max(this.#heardUntil, (frame.startMs + (frame.samples.length / 16)) / 1000);
        this.#stt.pushFrame(frame);
        // Only for an engine that cannot hear um/uh itself (Deepgram reports them): the detector
        // costs about 0.5 % of a core per answer, which an answer on Deepgram need not pay. After a
        // failover to such an engine it listens from then on.
        if (!this.#stt.engine.hearsHesitations) this.#filledPauses?.push(frame);
      }
    } catch (error) {
      this.#logger?.warn({ err: error }, 'the audio for live analysis ended with an error');
    }
  }

  async #readEvents(): Promise<void> {
    try {
      for await (const event of this.#stt) {
        this.#engineAt = Date.now();
        this.#transcript = applyEvent(this.#transcript, this.#withFilledPauses(event));
        this.#dirty = true;
        this.#scheduleUpdate();
      }
    } catch (error) {
      this.#sttError = (error as Error).message;
      this.#logger?.warn({ err: error }, 'speech-to-text failed; the answer goes on without a transcript');
    }
  }

  /**
   * A final's words with the filled pauses worked in whose whole stretch the engine has now
   * finalised past, when the engine cannot hear them. The finals already sent take part (a stretch
   * may straddle two finals) but are not changed.
   */
  #withFilledPauses(event: SpeechEvent): SpeechEvent {
    this.#pendingPauses.push(...(this.#filledPauses?.take() ?? []));
    if (event.type !== 'final' || event.words.length === 0 || this.#stt.engine.hearsHesitations) return event;
    const until = Math.max(...event.words.map((w) => w.end));
    const due = this.#pendingPauses.filter((p) => p.end <= until);
    let words = due.length > 0 ? this.#workIn(event.words, due) : event.words;
    this.#pendingPauses = this.#pendingPauses.filter((p) => p.end > until);
    // A stretch this final reaches into but not past: its word may be here (replace it now) or in
    // the next final (wait, rather than add an "um" over a word still to come).
    for (const pause of this.#pendingPauses.filter((p) => p.start < until)) {
      const next = this.#workIn(words, [pause], false);
      if (next.some((w, i) => w !== words[i])) {
        words = next;
        this.#pendingPauses = this.#pendingPauses.filter((p) => p !== pause);
      }
    }
    return words === event.words ? event : { ...event, words };
  }

  /** `words` (new finals) with `pauses` worked in, the finals before them taken into account. */
  #workIn(words: readonly TimedWord[], pauses: FilledPause[], insert = true): TimedWord[] {
    const earliest = Math.min(...pauses.map((p) => p.start));
    const before = this.#transcript.finalWords.filter((w) => w.end > earliest);
    return withFilledPauses([...before, ...words], pauses, { fixed: before.length, insert }).slice(before.length);
  }
  #scheduleUpdate(): void {
    if (this.#pendingUpdate) return;
    const wait = Math.max(0, this.#lastUpdateAt + MIN_UPDATE_GAP_MS - Date.now());
    this.#pendingUpdate = setTimeout(() => {
      this.#pendingUpdate = null;
      this.#update();
    }, wait);
  }

  /** The update for right now. */
  snapshot(): LiveUpdate {
    const t = this.#transcript;
    const latest = Math.max(t.finalWords.at(-1)?.end ?? 0, t.interimWords.at(-1)?.end ?? 0);
    return {
      seq: this.#seq,
      finalFrom: 0,
      finalWords: [...t.finalWords],
      interimWords: [...t.interimWords],
      latestWordEnd: t.finalWords.length + t.interimWords.length > 0 ? latest : null,
      engineAt: this.#engineAt,
      metrics: computeMetrics(t.finalWords, { now: this.#heardUntil, voice: t.voice, options: this.#metrics }),
      engine: { name: this.#stt.engine.name, label: this.#stt.engine.label },
    };
  }

  #update(): void {
    if (!this.#onUpdate) return;
    const full = this.snapshot();
    this.#seq++;
    const update: LiveUpdate = { ...full, seq: this.#seq, finalFrom: this.#sentFinals, finalWords: full.finalWords.slice(this.#sentFinals) };
    this.#sentFinals = full.finalWords.length;
    this.#lastUpdateAt = Date.now();
    this.#dirty = false;
    this.#onUpdate(update);
  }

  /**
   * The answer has stopped: the engine finishes what it heard (up to finishTimeoutMs), and the
   * report is computed over the final words, for an answer of `durationSeconds`.
   */
  async finish(durationSeconds: number): Promise<AnswerReport> {
    await Promise.race([this.#framesDone, new Promise((r) => setTimeout(r, 200))]);
    this.#stt.endInput();
    const finished = await Promise.race([this.#sttDone.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), this.#finishTimeoutMs))]);
    if (!finished) this.#logger?.warn({ timeoutMs: this.#finishTimeoutMs }, 'speech-to-text did not finish in time; the report has the finals so far');
    // The engine is done: a guess it never confirmed was revised away, and leaves the display too.
    const stale = this.#transcript.interimWords;
    if (stale.length > 0) {
      this.#transcript = applyEvent(this.#transcript, { type: 'utteranceEnd', lastWordEnd: Math.max(...stale.map((w) => w.end)) });
      this.#dirty = true;
    }
    // A filled pause after the last word the engine finalised (an answer that trails off in "um").
    this.#pendingPauses.push(...(this.#filledPauses?.take() ?? []));
    const trailing = this.#stt.engine.hearsHesitations ? [] : this.#pendingPauses;
    const added = trailing.length > 0 ? this.#workIn([], trailing) : [];
    if (added.length > 0) {
      this.#transcript = applyEvent(this.#transcript, { type: 'final', words: added });
      this.#dirty = true;
    }
    this.close();
    if (this.#dirty) this.#update();
    const words = [...this.#transcript.finalWords];
    const spans = [...this.#stt.spans];
    return {
      words,
      summary: summarizeAnswer(words, { duration: durationSeconds, options: this.#metrics }),
      spans,
      engine: [...new Set(spans.map((s) => s.engine))].join('+') || this.#stt.engine.name,
      durationSeconds,
      sttError: this.#sttError,
    };
  }

  /** Stops everything now (no report). */
  close(): void {
    clearInterval(this.#timer);
    if (this.#pendingUpdate) clearTimeout(this.#pendingUpdate);
    this.#pendingUpdate = null;
    this.#stt.close();
  }
}
