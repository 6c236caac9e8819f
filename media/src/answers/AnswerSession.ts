// Ties one practice answer to its room: starts the Recorder, and the AudioFork feeding live
// analysis, when the candidate's media arrives, survives a reconnect, and finalizes the recording
// and the report on stop, when the candidate vanishes, or when the room's worker dies — writing
// the results to the database.
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { types } from 'mediasoup';
import type { Logger } from '@rehearse/core/logger';
import { LiveAnswer, reportFigures, type LiveUpdate, type SttProvider } from '@rehearse/analysis';
import type { PrismaClient } from '@rehearse/db';
import { AudioFork } from '../AudioFork.ts';
import { answersFinished, speechEngineDelay, sttFailovers, wordToScreenDelay } from '../metrics.ts';
import type { Peer } from '../Peer.ts';
import { Recorder, type RecordingResult } from '../Recorder.ts';
import type { Room } from '../Room.ts';
import type { RecordingState } from '@rehearse/protocol/signaling';
import { TypedEmitter } from '../TypedEmitter.ts';

export interface AnswerSessionDeps {
  db: PrismaClient;
  s3: S3Client;
  bucket: string;
  spoolRoot: string;
  ffmpegPath: string;
  log: Logger;
  /** Speech-to-text engines in order of preference; without any, answers are recorded but not analysed. */
  speechProviders?: SttProvider[];
  /** How long a vanished candidate has to reconnect before the answer is finalized without them. */
  reconnectGraceMs?: number;
  /** How long to wait for the second track before recording only the first. */
  trackWaitMs?: number;
}

export type AnswerSessionEvents = {
  state: [RecordingState];
  /** Live transcript and metrics while the answer runs. */
  analysis: [LiveUpdate];
  /** The report was saved (or could not be). */
  report: [{ ready: boolean }];
  close: [];
};

export function recordingKeyPrefix(userId: string, answerId: string): string {
  return `users/${userId}/answers/${answerId}`;
}

/** A finished recording as the answer row stores it. */
export function recordingColumns(result: RecordingResult) {
  return {
    recordingKey: result.key,
    recordingBytes: BigInt(result.bytes),
    durationMs: Math.round(result.durationMs),
    container: result.container,
    audioCodec: result.audioCodec,
    videoCodec: result.videoCodec,
  };
}

/** How often a new answer's producers are asked whether media has arrived yet. */
const MEDIA_POLL_MS = 200;

export class AnswerSession extends TypedEmitter<AnswerSessionEvents> {
  readonly answerId: string;
  readonly userId: string;
  readonly #deps: AnswerSessionDeps;
  #room: Room | null = null;
  #peer: Peer | null = null;
  #recorder: Recorder | null = null;
  #fork: AudioFork | null = null;
  #live: LiveAnswer | null = null;
  #recordedKinds = new Set<types.MediaKind>();
  #state: RecordingState = { state: 'waiting', startedAt: null };
  /** For the metrics: the engine of the previous live update, and the newest word end observed. */
  #lastEngine: string | null = null;
  #lastWordEnd: number | null = null;
  #trackTimer: NodeJS.Timeout | null = null;
  #graceTimer: NodeJS.Timeout | null = null;
  #finishing: Promise<void> | null = null;
  /** Media reached the server (the recording has content). */
  #mediaArrived = false;
  #closed = false;

  /** Whether the speech is forked to speech-to-text (not for the mentor's side of a call). */
  readonly #analyse: boolean;
  readonly #graceMs: number;
  /** The recording stops by itself this long after it started (null: when the page stops it). */
  readonly #maxRecordingMs: number | null;
  #limitTimer: NodeJS.Timeout | null = null;

  constructor({ answerId, userId, deps, analyse = true, reconnectGraceMs, maxRecordingMs = null }: { answerId: string; userId: string; deps: AnswerSessionDeps; analyse?: boolean; reconnectGraceMs?: number; maxRecordingMs?: number | null }) {
    super();
    this.answerId = answerId;
    this.userId = userId;
    this.#deps = deps;
    this.#analyse = analyse;
    this.#maxRecordingMs = maxRecordingMs;
    this.#graceMs = reconnectGraceMs ?? deps.reconnectGraceMs ?? 20_000;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get state(): RecordingState {
    return this.#state;
  }

  /** Everything live analysis has so far (all final words), for a page that joins mid-answer; null before it starts. */
  liveSnapshot(): LiveUpdate | null {
    return this.#live?.snapshot() ?? null;
  }

  get spoolDir(): string {
    return path.join(this.#deps.spoolRoot, this.answerId);
  }

  /** The candidate's peer joined (first time or after a reconnect). */
  attach(room: Room, peer: Peer): void {
    if (this.#closed || this.#state.state === 'stopped') return;
    if (this.#graceTimer) clearTimeout(this.#graceTimer);
    this.#graceTimer = null;
    this.#room = room;
    this.#peer = peer;
    peer.on('newproducer', () => this.#onProducers(peer));
    peer.once('close', () => this.#onPeerGone(peer));
    room.once('close', (reason) => {
      if (reason === 'workerdied') void this.finish('interrupted', 'The media server lost the worker hosting this answer; what was received is kept.');
    });
  }

  #onProducers(peer: Peer): void {
    if (peer !== this.#peer) return;
    const kinds = new Set(peer.producers.map((p) => p.kind));
    if (this.#recorder) {
      // A reconnected page produces its tracks again one by one: the recorder continues with a
      // new piece once every kind it was recording is back.
      if (![...this.#recordedKinds].every((kind) => kinds.has(kind))) return;
      void this.#recorder.replaceProducers(peer.producers).catch((error) => this.#deps.log.error({ err: error }, 'recorder could not switch producers'));
      // A page that never got media through (ICE failed) and came back on a new connection.
      if (!this.#mediaArrived) return void this.#awaitMedia(peer.producers);
      this.#startFork(peer.producers);
      return;
    }
    if (kinds.size === 2) return void this.#startRecording(peer);
    this.#trackTimer ??= setTimeout(() => void this.#startRecording(peer), this.#deps.trackWaitMs ?? 3000);
  }

  async #startRecording(peer: Peer): Promise<void> {
    if (this.#trackTimer) clearTimeout(this.#trackTimer);
    this.#trackTimer = null;
    if (this.#recorder || this.#closed || peer !== this.#peer || peer.producers.length === 0) return;
    const { db, s3, bucket, ffmpegPath, log } = this.#deps;
    try {
      this.#recorder = await Recorder.create({
        router: this.#room!.router,
        producers: peer.producers,
        s3,
        bucket,
        keyPrefix: recordingKeyPrefix(this.userId, this.answerId),
        spoolDir: this.spoolDir,
        ffmpegPath,
        logger: log,
      });
    } catch (error) {
      log.error({ err: error, answerId: this.answerId }, 'recording could not start');
      await this.#write({ status: 'failed', recordingNote: `Recording could not start: ${(error as Error).message}` });
      return;
    }
    this.#recordedKinds = new Set(peer.producers.map((p) => p.kind));
    await this.#awaitMedia(peer.producers);
  }

  /**
   * Producers exist as soon as the page has negotiated them, whether or not ICE and DTLS ever
   * connect: the answer is "recording" (and the page shows REC) only once their media arrives.
   */
  async #awaitMedia(producers: types.Producer[]): Promise<void> {
    const arrived = await this.#mediaArrival(producers);
    if (!arrived || this.#mediaArrived || this.#closed || this.#state.state === 'stopped') return;
    this.#mediaArrived = true;
    const startedAt = Date.now();
    this.#setState({ state: 'recording', startedAt });
    if (this.#maxRecordingMs !== null) {
      this.#limitTimer = setTimeout(() => void this.finish('ready', 'Stopped at the answer time limit').catch((error: unknown) => this.#deps.log.warn({ err: error, answerId: this.answerId }, 'stopping at the time limit failed')), this.#maxRecordingMs);
    }
    await this.#write({ status: 'recording', startedAt: new Date(startedAt) });
    this.#startFork(producers);
  }

  /** Resolves true when any producer has received RTP, false if the answer ends (or they close) first. */
  async #mediaArrival(producers: types.Producer[]): Promise<boolean> {
    for (;;) {
      if (this.#mediaArrived || this.#closed || this.#state.state === 'stopped' || producers.every((p) => p.closed)) return false;
      const stats = await Promise.all(producers.filter((p) => !p.closed).map((p) => p.getStats().catch(() => [])));
      if (stats.flat().some((s) => s.byteCount > 0)) return true;
      await new Promise((resolve) => setTimeout(resolve, MEDIA_POLL_MS));
    }
  }

  #startFork(producers: types.Producer[]): void {
    const audio = producers.find((p) => p.kind === 'audio');
    const providers = this.#deps.speechProviders;
    if (!this.#analyse || !audio || !providers?.length || this.#state.startedAt === null || this.#room === null) return;
    this.#fork?.close();
    void AudioFork.create({ router: this.#room.router, producer: audio, answerStartedAt: this.#state.startedAt, logger: this.#deps.log })
      .then((fork) => {
        if (this.#closed || this.#state.state === 'stopped') return fork.close();
        this.#fork = fork;
        this.#live ??= new LiveAnswer({
          providers,
          onUpdate: (update) => {
            this.#observe(update);
            this.safeEmit('analysis', update);
          },
          logger: this.#deps.log,
        });
        this.#live.feed(fork);
      })
      .catch((error) => this.#deps.log.warn({ err: error, answerId: this.answerId }, 'audio fork could not start; the recording continues'));
  }

  /** Metrics from a live update: the engine's and the page's delay behind speech (once per new word), failovers. */
  #observe(update: LiveUpdate): void {
    const engine = update.engine.name;
    if (this.#lastEngine !== null && engine !== this.#lastEngine) sttFailovers.inc({ from: this.#lastEngine, to: engine });
    this.#lastEngine = engine;
    const startedAt = this.#state.startedAt;
    if (startedAt === null || update.latestWordEnd === null || update.latestWordEnd === this.#lastWordEnd) return;
    this.#lastWordEnd = update.latestWordEnd;
    const spokenAt = startedAt + update.latestWordEnd * 1000;
    if (update.engineAt !== null) speechEngineDelay.observe({ engine }, Math.max(0, update.engineAt - spokenAt) / 1000);
    wordToScreenDelay.observe({ engine }, Math.max(0, Date.now() - spokenAt) / 1000);
  }

  /** The engine's last finals, the summary over them, saved as the answer's report. */
  async #saveReport(live: LiveAnswer, durationSeconds: number): Promise<void> {
    try {
      const report = await live.finish(durationSeconds);
      const row = {
        engine: report.engine,
        durationMs: Math.round(report.durationSeconds * 1000),
        words: report.words as object[],
        summary: report.summary as object,
        spans: report.spans as object[],
        sttError: report.sttError,
        ...reportFigures(report.summary),
      };
      await this.#deps.db.answerReport.upsert({ where: { answerId: this.answerId }, create: { answerId: this.answerId, ...row }, update: row });
      this.safeEmit('report', { ready: true });
    } catch (error) {
      this.#deps.log.error({ err: error, answerId: this.answerId }, 'the answer report could not be saved');
      this.safeEmit('report', { ready: false });
    }
  }

  #onPeerGone(peer: Peer): void {
    if (peer !== this.#peer || this.#closed || this.#state.state === 'stopped') return;
    this.#peer = null;
    this.#graceTimer = setTimeout(
      () => void this.finish('interrupted', 'The candidate disconnected and did not come back; what was received is kept.'),
      this.#graceMs,
    );
  }

  #setState(state: RecordingState): void {
    this.#state = state;
    this.safeEmit('state', state);
  }

  async #write(data: Parameters<PrismaClient['answer']['update']>[0]['data']): Promise<void> {
    try {
      await this.#deps.db.answer.update({ where: { id: this.answerId }, data });
    } catch (error) {
      this.#deps.log.error({ err: error, answerId: this.answerId }, 'could not update the answer');
    }
  }

  /**
   * Ends the answer: finalizes the recording (complete in S3) and records the result. Idempotent:
   * a second call waits for the first.
   */
  finish(status: 'ready' | 'interrupted', note: string | null = null): Promise<void> {
    this.#finishing ??= this.#finish(status, note);
    return this.#finishing;
  }

  async #finish(status: 'ready' | 'interrupted', note: string | null): Promise<void> {
    answersFinished.inc({ outcome: status === 'ready' ? 'stopped' : 'interrupted' });
    for (const timer of [this.#trackTimer, this.#graceTimer, this.#limitTimer]) if (timer) clearTimeout(timer);
    this.#fork?.close();
    const recorder = this.#recorder;
    const stoppedAt = new Date();
    // The report is made while the recording is finalized, not after it.
    const startedAt = this.#state.startedAt;
    const reporting = this.#live && startedAt !== null ? this.#saveReport(this.#live, (stoppedAt.getTime() - startedAt) / 1000) : null;
    this.#setState({ state: 'stopped', startedAt: this.#state.startedAt });
    if (!recorder || !this.#mediaArrived) {
      // Nothing arrived: what the recorder holds is empty; it removes its pieces and spool.
      await recorder?.stop().catch(() => {});
      await this.#write({ status: 'failed', stoppedAt, recordingNote: 'No media reached the server before the answer ended.' });
      this.#room?.close('finished');
      return this.close();
    }
    await this.#write({ status: 'processing', stoppedAt });
    let result: RecordingResult | null = null;
    try {
      result = recorder.closed ? await this.#recover() : await recorder.stop();
    } catch (error) {
      this.#deps.log.error({ err: error, answerId: this.answerId }, 'finalizing the recording failed; recovering from the spool');
      result = await this.#recover().catch(() => null);
    }
    if (result) {
      await this.#write({ status, ...recordingColumns(result), recordingNote: note });
    } else {
      await this.#write({ status: 'failed', recordingNote: 'The recording could not be finalized.' });
    }
    await reporting;
    // The page has heard the report; its room has nothing more to do.
    this.#room?.close('finished');
    this.close();
  }

  #recover(): Promise<RecordingResult> {
    const { s3, bucket, ffmpegPath } = this.#deps;
    return Recorder.recover({ s3, bucket, keyPrefix: recordingKeyPrefix(this.userId, this.answerId), spoolDir: this.spoolDir, ffmpegPath });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of [this.#trackTimer, this.#graceTimer, this.#limitTimer]) if (timer) clearTimeout(timer);
    this.#fork?.close();
    this.#live?.close();
    this.#recorder?.close();
    this.safeEmit('close');
  }
}
