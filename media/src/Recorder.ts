import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { types } from 'mediasoup';
import pLimit from 'p-limit';
import type { MediaLogger as Logger } from './log.ts';
import { EmptyRecordingError, FfmpegError, InvalidStateError } from './errors.ts';
import { containerFor, contentTypes, liveOutputArgs, probeMedia, remuxPieces, resolveFfprobePath, type Container, type PieceFile } from './recording/mediaFiles.ts';
import { PlainRtpOutput, type FfmpegExit } from './rtp/PlainRtpOutput.ts';
import { recordingBytes } from './metrics.ts';
import { remuxInWorker } from './recording/remuxPool.ts';
import { deleteKeys, downloadObject, listKeys, MIN_PART_SIZE, S3StreamingUpload } from './S3StreamingUpload.ts';
import { TypedEmitter } from './TypedEmitter.ts';

export interface RecordingResult {
  /** The final object: `<keyPrefix>/answer.<container>`. */
  key: string;
  bytes: number;
  durationMs: number;
  container: Container;
  audioCodec: string | null;
  videoCodec: string | null;
  /** ffmpeg runs the recording was made of (more than one after a crash or a reconnect). */
  pieces: number;
}

export interface PieceInfo {
  index: number;
  /** Where the piece streams to while it records. */
  key: string;
}

export type PieceEndReason =
  /** stop() ended it. */
  | 'stopped'
  /** replaceProducers(): the peer reconnected with new producers. */
  | 'replaced'
  /** ffmpeg died or was killed; a new piece starts if the producers still live. */
  | 'ffmpeg-exited'
  /** Every producer closed (the peer left); replaceProducers() starts the next piece. */
  | 'producers-closed'
  /** close() without stop(), or the router closed: left for Recorder.recover(). */
  | 'closed';

export type RecorderEvents = {
  piecestarted: [PieceInfo];
  pieceended: [PieceInfo & { bytes: number; reason: PieceEndReason }];
  /** Something failed that the recording survives (an upload, an ffmpeg that keeps dying). */
  error: [Error];
  close: [];
};

export interface RecorderOptions {
  router: types.Router;
  /** The answer's producers: at most one audio (Opus) and one video (VP8 or H.264). */
  producers: types.Producer[];
  s3: S3Client;
  bucket: string;
  /** The answer's objects go under it: `answer.<ext>`, and `pieces/` while it records. */
  keyPrefix: string;
  /** A local directory for this recording alone: created, and deleted once the answer is in S3. */
  spoolDir: string;
  ffmpegPath: string;
  /** Default: ffprobe beside ffmpegPath, else on PATH. */
  ffprobePath?: string;
  logger?: Logger;
  /** Multipart part size of the pieces' uploads. Default 5 MiB (S3's minimum). */
  partSize?: number;
  /** How often the newest bytes are saved to S3 between parts (S3StreamingUpload). Default 2000 ms. */
  checkpointMs?: number;
  /** Stop restarting ffmpeg after this many pieces in a row that died within 5 s. Default 3. */
  maxQuickRestarts?: number;
}

/** What recover() needs: where the recording was going, without the live media. */
export type RecoverOptions = Pick<RecorderOptions, 's3' | 'bucket' | 'keyPrefix' | 'spoolDir' | 'ffmpegPath' | 'ffprobePath' | 'logger'>;

interface Piece extends PieceInfo {
  spoolPath: string;
  output: PlainRtpOutput;
  upload: S3StreamingUpload | null;
  bytes: number;
  startedAt: number;
  endReason: PieceEndReason | null;
  /** When ending the piece was asked for, as ms of its media: ffmpeg may record on while it finishes starting. */
  cutAfterMs: number | null;
  /** ffmpeg wrote media past the container header (or exited). */
  started: Promise<void>;
  /** ffmpeg exited and the spool file is flushed. */
  ended: Promise<FfmpegExit>;
  /** The piece's upload completed, was left alone, or failed (logged). */
  settled: Promise<void>;
}

/**
 * Spool directories that recorders of this process still write to after close(): ffmpeg is
 * finishing its last cluster, an upload its last request. recover() waits for them.
 */
const draining = new Map<string, Promise<void>>();

/** How long stop() lets a piece's ffmpeg finish starting before it is told to stop. */
const START_GRACE_MS = 6000;

/** A restart this soon after the previous one counts towards maxQuickRestarts. */
const QUICK_FAILURE_MS = 5000;

const PIECE_NAME = /^piece-(\d+)\.(webm|mp4)$/;

function pieceKey(keyPrefix: string, index: number, container: Container): string {
  return `${keyPrefix}/pieces/piece-${index}.${container}`;
}

function finalKey(keyPrefix: string, container: Container): string {
  return `${keyPrefix}/answer.${container}`;
}

/** Playable pieces only: a piece whose ffmpeg died before writing a header would sink the concat. */
async function remuxPlayable(ffmpegPath: string, ffprobePath: string, files: PieceFile[], output: string, container: Container, logger?: Logger): Promise<number> {
  try {
    await remuxPieces({ ffmpegPath, ffprobePath, pieces: files, output, container });
    return files.length;
  } catch (error) {
    logger?.warn({ err: error }, 'remuxing the pieces failed; retrying with the playable ones');
  }
  const playable: PieceFile[] = [];
  for (const piece of files) {
    const info = await probeMedia(ffprobePath, piece.file).catch(() => null);
    if (info && (info.audioCodec || info.videoCodec)) playable.push(piece);
  }
  if (playable.length === 0) throw new EmptyRecordingError('no recorded piece is playable');
  await remuxPieces({ ffmpegPath, ffprobePath, pieces: playable, output, container });
  return playable.length;
}

/** Remux the pieces into the seekable final file, upload it, and describe it. */
async function finalize({
  s3,
  bucket,
  keyPrefix,
  spoolDir,
  container,
  files,
  ffmpegPath,
  ffprobePath,
  logger,
}: {
  s3: S3Client;
  bucket: string;
  keyPrefix: string;
  spoolDir: string;
  container: Container;
  files: PieceFile[];
  ffmpegPath: string;
  ffprobePath: string;
  logger?: Logger;
}): Promise<RecordingResult> {
  const file = path.join(spoolDir, `answer.${container}`);
  // One piece (the usual answer): remuxed in a worker thread. Several, or one it cannot copy: ffmpeg.
  const single = files.length === 1 ? await remuxInWorker({ piece: files[0]!, output: file, container }).catch((error: Error) => {
    logger?.warn({ err: error }, 'in-process remux failed; remuxing with ffmpeg');
    return null;
  }) : null;
  const pieces = single ? 1 : await remuxPlayable(ffmpegPath, ffprobePath, files, file, container, logger);
  const key = finalKey(keyPrefix, container);
  const size = (await stat(file)).size;
  const [info] = await Promise.all([
    single ?? probeMedia(ffprobePath, file),
    s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: createReadStream(file), ContentLength: size, ContentType: contentTypes[container] })),
  ]);
  recordingBytes.inc({ stage: 'final' }, size);
  return { key, bytes: size, durationMs: info.durationMs, container, audioCodec: info.audioCodec, videoCodec: info.videoCodec, pieces };
}

/** Cleanups of stopped recordings still running (see Recorder.stop): a shutdown waits for them. */
const cleanupsInFlight = new Set<Promise<void>>();
/**
 * Two cleanups at a time, in the order the answers stopped: when many stop together, their
 * deletions queue behind the finalizations (remux, upload) instead of competing with them.
 */
const cleanupSlots = pLimit(2);

/** Deletes what the pieces left in S3 (objects, pending uploads, journals) and the spool. Logs, never throws. */
async function cleanUp(s3: S3Client, bucket: string, keys: string[], spoolDir: string, logger?: Logger): Promise<void> {
  await Promise.all([
    deleteKeys(s3, bucket, keys).catch((error) => logger?.warn({ err: error }, 'could not delete recorded pieces')),
    ...keys.map((key) => S3StreamingUpload.discard({ s3, bucket, key, logger })),
    rm(spoolDir, { recursive: true, force: true }).catch((error) => logger?.warn({ err: error }, 'could not delete a recording spool')),
  ]);
}

/**
 * Records an answer's producers while it happens: PlainTransport consumers → ffmpeg (remux, no
 * transcode) → each container byte both into a local spool file and into an S3 multipart upload.
 *
 * One ffmpeg run is a "piece". If ffmpeg dies, its piece is kept (the upload is completed, the
 * spool file stays) and a new piece starts with a fresh keyframe; a reconnected peer
 * (`replaceProducers`) starts one too. `stop()` joins the pieces into one seekable file,
 * `<keyPrefix>/answer.<ext>`, and deletes the pieces. After a crash, `Recorder.recover()` does the
 * same from whatever the spool or S3 kept.
 */
export class Recorder extends TypedEmitter<RecorderEvents> {
  readonly #router: types.Router;
  readonly #s3: S3Client;
  readonly #bucket: string;
  readonly #keyPrefix: string;
  readonly #spoolDir: string;
  readonly #ffmpegPath: string;
  readonly #ffprobePath: string;
  readonly #logger: Logger | undefined;
  readonly #partSize: number;
  readonly #checkpointMs: number;
  readonly #maxQuickRestarts: number;
  readonly #container: Container;
  /** Kinds and codecs of the first producers: every piece must match them to be joined without transcoding. */
  readonly #signature: string;
  readonly #pieces: Piece[] = [];
  readonly #onRouterClose = () => this.close();
  #producers: types.Producer[];
  #current: Piece | null = null;
  /** Piece starts and ends run one at a time, in order. */
  #ops: Promise<unknown> = Promise.resolve();
  #quickFailures = 0;
  #stopping: Promise<RecordingResult> | null = null;
  #cleanedUp: Promise<void> = Promise.resolve();
  #closed = false;

  static async create({
    router,
    producers,
    s3,
    bucket,
    keyPrefix,
    spoolDir,
    ffmpegPath,
    ffprobePath = resolveFfprobePath(ffmpegPath),
    logger,
    partSize = MIN_PART_SIZE,
    checkpointMs = 2000,
    maxQuickRestarts = 3,
  }: RecorderOptions): Promise<Recorder> {
    if (!router || router.closed) throw new TypeError('router must be an open mediasoup Router');
    const signature = Recorder.#signatureOf(producers);
    if (!s3) throw new TypeError('s3 must be an S3Client');
    if (!bucket) throw new TypeError('bucket is required');
    if (!keyPrefix || keyPrefix.endsWith('/')) throw new TypeError('keyPrefix must be a non-empty prefix without a trailing slash');
    if (!spoolDir) throw new TypeError('spoolDir is required');
    if (!ffmpegPath) throw new TypeError('ffmpegPath is required');
    await mkdir(spoolDir, { recursive: true });
    const video = producers.find((p) => p.kind === 'video');
    const recorder = new Recorder({
      router,
      producers,
      s3,
      bucket,
      keyPrefix,
      spoolDir,
      ffmpegPath,
      ffprobePath,
      logger,
      partSize,
      checkpointMs,
      maxQuickRestarts,
      container: containerFor(video?.rtpParameters.codecs[0]?.mimeType),
      signature,
    });
    try {
      await recorder.#serially(() => recorder.#startPiece());
    } catch (error) {
      recorder.close();
      await rm(spoolDir, { recursive: true, force: true });
      throw error;
    }
    return recorder;
  }

  private constructor(o: Required<Omit<RecorderOptions, 'logger'>> & { logger: Logger | undefined; container: Container; signature: string }) {
    super();
    this.#router = o.router;
    this.#producers = o.producers;
    this.#s3 = o.s3;
    this.#bucket = o.bucket;
    this.#keyPrefix = o.keyPrefix;
    this.#spoolDir = o.spoolDir;
    this.#ffmpegPath = o.ffmpegPath;
    this.#ffprobePath = o.ffprobePath;
    this.#logger = o.logger;
    this.#partSize = o.partSize;
    this.#checkpointMs = o.checkpointMs;
    this.#maxQuickRestarts = o.maxQuickRestarts;
    this.#container = o.container;
    this.#signature = o.signature;
    this.#router.observer.once('close', this.#onRouterClose);
  }

  static #signatureOf(producers: types.Producer[]): string {
    if (!Array.isArray(producers) || producers.length === 0) throw new TypeError('producers must be a non-empty array');
    if (producers.some((p) => !p || p.closed)) throw new TypeError('producers must be open');
    const kinds = producers.map((p) => p.kind).sort();
    if (new Set(kinds).size !== kinds.length) throw new TypeError('at most one audio and one video producer');
    const codecs = producers.map((p) => `${p.kind}:${p.rtpParameters.codecs[0]?.mimeType.toLowerCase()}`).sort();
    for (const codec of codecs) {
      if (!['audio:audio/opus', 'video:video/vp8', 'video:video/h264'].includes(codec)) throw new TypeError(`cannot record ${codec} without transcoding`);
    }
    return codecs.join(',');
  }

  get closed(): boolean {
    return this.#closed;
  }

  get container(): Container {
    return this.#container;
  }

  /** Where stop() puts the answer. */
  get key(): string {
    return finalKey(this.#keyPrefix, this.#container);
  }

  /** The piece being recorded now and its ffmpeg's pid, or null between pieces. */
  get currentPiece(): (PieceInfo & { pid: number | undefined }) | null {
    const piece = this.#current;
    return piece ? { index: piece.index, key: piece.key, pid: piece.output.pid } : null;
  }

  get pieceCount(): number {
    return this.#pieces.length;
  }

  #serially<T>(op: () => Promise<T>): Promise<T> {
    const run = this.#ops.then(op);
    this.#ops = run.catch(() => {});
    return run;
  }

  #fail(error: Error): void {
    this.#logger?.error({ err: error, keyPrefix: this.#keyPrefix }, 'recording problem');
    if (this.listenerCount('error') > 0) this.safeEmit('error', error);
  }

  async #startPiece(): Promise<void> {
    if (this.#closed || this.#stopping) return;
    const producers = this.#producers;
    if (producers.every((p) => p.closed)) return;
    const index = this.#pieces.length + 1;
    const key = pieceKey(this.#keyPrefix, index, this.#container);
    const spoolPath = path.join(this.#spoolDir, `piece-${index}.${this.#container}`);
    // The upload is created while ffmpeg starts; bytes arriving before it exists wait in `early`.
    const uploadReady = S3StreamingUpload.create({
      s3: this.#s3,
      bucket: this.#bucket,
      key,
      contentType: contentTypes[this.#container],
      partSize: this.#partSize,
      checkpointMs: this.#checkpointMs,
      logger: this.#logger,
    }).catch((error: Error) => {
      this.#fail(new Error(`piece ${index} is recorded to the spool only: ${error.message}`, { cause: error }));
      return null;
    });
    let output: PlainRtpOutput;
    try {
      output = await PlainRtpOutput.create({
        router: this.#router,
        producers: producers.filter((p) => !p.closed),
        ffmpegPath: this.#ffmpegPath,
        outputArgs: liveOutputArgs(this.#container),
        logger: this.#logger,
      });
    } catch (error) {
      void uploadReady.then((upload) => upload?.abort());
      throw error;
    }
    if (this.#closed) {
      output.close();
      void uploadReady.then((upload) => upload?.abort());
      return;
    }
    const spool: WriteStream = createWriteStream(spoolPath);
    spool.on('error', (error) => this.#fail(new Error(`spool ${spoolPath}: ${error.message}`, { cause: error })));
    const early: Buffer[] = [];
    let uploadSettled = false;
    let markStarted = () => {};
    const piece: Piece = {
      index,
      key,
      spoolPath,
      output,
      upload: null,
      bytes: 0,
      startedAt: Date.now(),
      endReason: null,
      cutAfterMs: null,
      started: new Promise<void>((resolve) => {
        markStarted = resolve;
        void output.exited.then(() => resolve());
      }),
      ended: output.exited.then(async (exit) => {
        spool.end();
        await finished(spool).catch(() => {});
        return exit;
      }),
      settled: Promise.resolve(),
    };
    let chunks = 0;
    output.stdout.on('data', (chunk: Buffer) => {
      // The first write is the header; a SIGINT that lands while ffmpeg is still writing it was
      // measured to leave nothing else. The next write is media, from the running main loop.
      if (++chunks === 2) markStarted();
      piece.bytes += chunk.length;
      spool.write(chunk);
      if (piece.upload) {
        if (!piece.upload.closed) piece.upload.write(chunk);
      } else if (!uploadSettled) early.push(chunk);
    });
    void uploadReady.then((upload) => {
      uploadSettled = true;
      piece.upload = upload;
      if (upload && this.#closed) upload.close();
      else if (upload) for (const chunk of early.splice(0)) upload.write(chunk);
      early.length = 0;
    });
    output.on('producerclose', () => {
      if (this.#current === piece && producers.every((p) => p.closed)) {
        void this.#serially(() => this.#endPiece(piece, 'producers-closed'));
      }
    });
    piece.settled = piece.ended.then(async (exit) => {
      const reason = (piece.endReason ??= exit.expected ? 'closed' : 'ffmpeg-exited');
      if (this.#current === piece) this.#current = null;
      this.safeEmit('pieceended', { index, key, bytes: piece.bytes, reason });
      if (reason === 'ffmpeg-exited') this.#restartAfter(piece, exit);
      // A piece that ended before the answer did is complete: make it an object, so it survives
      // even if the spool does not. The last piece is joined from the spool by stop() instead.
      const upload = await uploadReady;
      if (!upload || upload.closed || this.#closed || reason === 'stopped' || reason === 'closed') return;
      await upload.complete().then(
        () => {},
        (error: Error) => this.#fail(new Error(`piece ${index} upload: ${error.message}`, { cause: error })),
      );
    });
    this.#pieces.push(piece);
    this.#current = piece;
    this.safeEmit('piecestarted', { index, key });
  }

  #restartAfter(piece: Piece, exit: FfmpegExit): void {
    if (this.#closed || this.#stopping) return;
    this.#quickFailures = Date.now() - piece.startedAt < QUICK_FAILURE_MS ? this.#quickFailures + 1 : 0;
    if (this.#quickFailures > this.#maxQuickRestarts) {
      this.#fail(new FfmpegError(`ffmpeg keeps exiting; recording halted after piece ${piece.index}`, { exitCode: exit.code, signal: exit.signal, stderr: exit.stderr }));
      return;
    }
    this.#logger?.warn({ keyPrefix: this.#keyPrefix, piece: piece.index, code: exit.code, signal: exit.signal }, 'recording ffmpeg exited; starting a new piece');
    void this.#serially(() => this.#startPiece()).catch((error: Error) => this.#fail(error));
  }

  async #endPiece(piece: Piece, reason: PieceEndReason): Promise<void> {
    piece.endReason ??= reason;
    if (this.#current === piece) this.#current = null;
    // ffmpeg interrupted while still starting (the relay lining the streams up, probing, writing the
    // header) writes nothing at all: a short answer or piece would be lost. Let it start first,
    // if media still flows; the cut below keeps only what came before the stop was asked for.
    const mediaStartedAt = piece.output.mediaStartedAt();
    if (reason !== 'producers-closed' && mediaStartedAt !== null) {
      piece.cutAfterMs = Date.now() - mediaStartedAt;
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([piece.started, new Promise((r) => (grace = setTimeout(r, START_GRACE_MS)))]);
      clearTimeout(grace);
    }
    await piece.output.stop();
    await piece.ended;
  }

  /**
   * The peer reconnected: the current piece ends and a new one records these producers. They must
   * have the kinds and codecs the recording started with (the pieces are joined without transcoding).
   */
  async replaceProducers(producers: types.Producer[]): Promise<void> {
    if (this.#closed) throw new InvalidStateError('Recorder closed');
    if (this.#stopping) throw new InvalidStateError('Recorder is stopping');
    const signature = Recorder.#signatureOf(producers);
    if (signature !== this.#signature) throw new TypeError(`the recording is ${this.#signature}; cannot continue it with ${signature}`);
    this.#producers = producers;
    await this.#serially(async () => {
      if (this.#current) await this.#endPiece(this.#current, 'replaced');
      this.#quickFailures = 0;
      await this.#startPiece();
    });
  }

  /**
   * Ends the recording: ffmpeg finishes the current piece, the pieces are remuxed into one
   * seekable file and uploaded as `<keyPrefix>/answer.<ext>`; it resolves then, and the pieces and
   * spool are deleted after (`cleanedUp`), off the answer's path: when many answers stop at once,
   * their S3 requests (abort, list, delete) would otherwise queue before each answer is saved. A
   * crash before that cleanup leaves only pieces under the answer's prefix, which the retention
   * sweep deletes with it. Closes the recorder. If the upload fails, the spool and the pieces stay
   * for Recorder.recover().
   */
  stop(): Promise<RecordingResult> {
    if (this.#stopping) return this.#stopping;
    if (this.#closed) return Promise.reject(new InvalidStateError('Recorder closed'));
    this.#stopping = this.#serially(async () => {
      try {
        if (this.#current) await this.#endPiece(this.#current, 'stopped');
        await Promise.all(this.#pieces.map((p) => p.ended));
        const files: PieceFile[] = [];
        for (const piece of this.#pieces) {
          const size = (await stat(piece.spoolPath).catch(() => null))?.size ?? 0;
          if (size > 0) files.push({ file: piece.spoolPath, cutAfterMs: piece.cutAfterMs });
        }
        if (files.length === 0) {
          await Promise.all(this.#pieces.map((p) => p.settled.then(() => (p.upload && !p.upload.closed ? p.upload.abort() : undefined))));
          await cleanUp(this.#s3, this.#bucket, this.#pieces.map((p) => p.key), this.#spoolDir, this.#logger);
          throw new EmptyRecordingError(`nothing was recorded for ${this.#keyPrefix}`);
        }
        const result = await finalize({
          s3: this.#s3,
          bucket: this.#bucket,
          keyPrefix: this.#keyPrefix,
          spoolDir: this.#spoolDir,
          container: this.#container,
          files,
          ffmpegPath: this.#ffmpegPath,
          ffprobePath: this.#ffprobePath,
          logger: this.#logger,
        });
        const pieces = [...this.#pieces];
        const cleaning = cleanupSlots(async () => {
          await Promise.all(pieces.map((p) => p.settled));
          // abort() lets a checkpoint in flight land before it deletes the journal, so none is left behind.
          await Promise.all(pieces.map((p) => (p.upload && !p.upload.closed ? p.upload.abort() : undefined)));
          await cleanUp(this.#s3, this.#bucket, pieces.map((p) => p.key), this.#spoolDir, this.#logger);
        }).catch((error: unknown) => this.#logger?.warn({ err: error }, 'cleaning up a stopped recording failed'));
        cleanupsInFlight.add(cleaning);
        void cleaning.finally(() => cleanupsInFlight.delete(cleaning));
        this.#cleanedUp = cleaning;
        return result;
      } finally {
        this.close();
      }
    });
    return this.#stopping;
  }

  /**
   * Stops recording at once without finishing: ffmpeg is told to stop, consumers and transports
   * close, and the spool and the pieces in S3 are left as they are, for Recorder.recover(). Also
   * happens when the router closes.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#router.observer.off('close', this.#onRouterClose);
    for (const piece of this.#pieces) {
      piece.endReason ??= 'closed';
      piece.output.close();
      piece.upload?.close();
    }
    this.#current = null;
    const spool = path.resolve(this.#spoolDir);
    const drained = Promise.all(this.#pieces.map((p) => p.ended.then(() => p.upload?.flush()))).then(
      () => {},
      () => {},
    );
    draining.set(spool, drained);
    void drained.then(() => draining.get(spool) === drained && draining.delete(spool));
    this.safeEmit('close');
  }

  /**
   * Finishes a recording whose process died (or whose Recorder was closed without stop): joins the
   * spool's pieces or, where the spool is gone, what S3 kept of them (completed pieces, then each
   * unfinished upload's parts and journal checkpoints), uploads the answer and deletes the rest.
   * Throws EmptyRecordingError when nothing was recorded. Safe to call again: if the answer was
   * already uploaded and cleaned up, it is described from S3.
   */
  /** Resolves once a stopped recording's pieces and spool are deleted (at once if there is nothing to delete). */
  get cleanedUp(): Promise<void> {
    return this.#cleanedUp;
  }

  /** Resolves once every stopped recording's cleanup in this process has run (a shutdown waits for it). */
  static cleanupsDone(): Promise<void> {
    return Promise.all([...cleanupsInFlight]).then(() => undefined);
  }

  static async recover({ s3, bucket, keyPrefix, spoolDir, ffmpegPath, ffprobePath = resolveFfprobePath(ffmpegPath), logger }: RecoverOptions): Promise<RecordingResult> {
    if (!s3 || !bucket || !keyPrefix || !spoolDir || !ffmpegPath) throw new TypeError('s3, bucket, keyPrefix, spoolDir and ffmpegPath are required');
    await draining.get(path.resolve(spoolDir));
    await mkdir(spoolDir, { recursive: true });
    const found = new Map<number, { container: Container; spool?: string; object?: boolean; journal?: boolean }>();
    const entry = (index: number, container: Container) => found.get(index) ?? found.set(index, { container }).get(index)!;
    for (const name of await readdir(spoolDir)) {
      const match = PIECE_NAME.exec(name);
      if (!match) continue;
      const file = path.join(spoolDir, name);
      if ((await stat(file)).size > 0) entry(Number(match[1]), match[2] as Container).spool = file;
    }
    const piecesPrefix = `${keyPrefix}/pieces/`;
    for (const { key } of await listKeys(s3, bucket, piecesPrefix)) {
      const [name = '', sub] = key.slice(piecesPrefix.length).split('.journal/');
      const match = PIECE_NAME.exec(name);
      if (!match) continue;
      const piece = entry(Number(match[1]), match[2] as Container);
      if (sub === undefined) piece.object = true;
      else piece.journal = true;
    }
    if (found.size === 0) return Recorder.#describeExisting({ s3, bucket, keyPrefix, spoolDir, ffprobePath });

    const indexes = [...found.keys()].sort((a, b) => a - b);
    const container = found.get(indexes[0]!)!.container;
    const files: PieceFile[] = [];
    for (const index of indexes) {
      const piece = found.get(index)!;
      if (piece.container !== container) continue;
      const key = pieceKey(keyPrefix, index, container);
      const file = path.join(spoolDir, `piece-${index}.${container}`);
      if (piece.spool) files.push({ file: piece.spool });
      else if (piece.object) {
        if ((await downloadObject(s3, bucket, key, file)) > 0) files.push({ file });
      } else if (piece.journal) {
        const recovered = await S3StreamingUpload.recover({ s3, bucket, key, file });
        if (recovered && recovered.bytes > 0) files.push({ file });
      }
    }
    const keys = indexes.map((i) => pieceKey(keyPrefix, i, found.get(i)!.container));
    if (files.length === 0) {
      await cleanUp(s3, bucket, keys, spoolDir, logger);
      throw new EmptyRecordingError(`nothing of ${keyPrefix} was kept`);
    }
    const result = await finalize({ s3, bucket, keyPrefix, spoolDir, container, files, ffmpegPath, ffprobePath, logger });
    await cleanUp(s3, bucket, keys, spoolDir, logger);
    return result;
  }

  static async #describeExisting({ s3, bucket, keyPrefix, spoolDir, ffprobePath }: { s3: S3Client; bucket: string; keyPrefix: string; spoolDir: string; ffprobePath: string }): Promise<RecordingResult> {
    try {
      for (const container of ['webm', 'mp4'] as const) {
        const key = finalKey(keyPrefix, container);
        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).catch(() => null);
        if (!head) continue;
        const file = path.join(spoolDir, `answer.${container}`);
        await downloadObject(s3, bucket, key, file);
        const info = await probeMedia(ffprobePath, file);
        return { key, bytes: head.ContentLength ?? info.bytes, durationMs: info.durationMs, container, audioCodec: info.audioCodec, videoCodec: info.videoCodec, pieces: 0 };
      }
      throw new EmptyRecordingError(`nothing of ${keyPrefix} was recorded`);
    } finally {
      await rm(spoolDir, { recursive: true, force: true });
    }
  }
}
