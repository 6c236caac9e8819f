import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3ServiceException,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { MediaLogger as Logger } from './log.ts';
import { InvalidStateError } from './errors.ts';
import { recordingBytes, s3UploadLag } from './metrics.ts';
import { TypedEmitter } from './TypedEmitter.ts';

/** S3's smallest part, for every part but the last. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;

interface JournalPart {
  PartNumber: number;
  ETag: string;
  size: number;
}

interface JournalState {
  uploadId: string;
  parts: JournalPart[];
}

export type S3StreamingUploadEvents = {
  /** A full part is stored in S3 (the multipart upload, not yet visible as an object). */
  part: [{ partNumber: number; bytes: number; totalBytes: number }];
  /** The bytes since the previous checkpoint are stored in the journal. */
  checkpoint: [{ offset: number; bytes: number }];
  /** Uploading failed for good; later writes are counted and dropped. Never thrown at the writer. */
  error: [Error];
};

export interface S3StreamingUploadOptions {
  s3: S3Client;
  bucket: string;
  key: string;
  contentType?: string;
  /**
   * Bytes per part. Default 5 MiB, S3's minimum for all parts but the last; smaller values only work
   * with stores that do not enforce it (s3rver does not) and exist for tests.
   */
  partSize?: number;
  /**
   * Every this many ms the bytes written since the last checkpoint are stored as a small journal
   * object, so a crash loses at most this much even when no 5 MiB part has filled yet (at webcam
   * bitrates a part takes 15 s to 2 min). Costs a second upload of every byte. 0 disables. Default 2000.
   */
  checkpointMs?: number;
  /** Fail the upload (and drop its buffers) when this much waits for S3. Default 64 MiB. */
  maxQueuedBytes?: number;
  logger?: Logger;
}

interface Task {
  bytes: number;
  run: () => Promise<void>;
}

/** Where the journal of an upload to `key` lives. */
export function journalPrefix(key: string): string {
  return `${key}.journal/`;
}

const stateKey = (key: string) => `${journalPrefix(key)}upload.json`;
const chunkKey = (key: string, offset: number) => `${journalPrefix(key)}chunk-${String(offset).padStart(15, '0')}`;

function isMissing(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.$metadata.httpStatusCode === 404 || error.name === 'NoSuchKey' || error.name === 'NoSuchUpload' || error.name === 'NotFound');
}

async function readJson<T>(s3: S3Client, bucket: string, key: string): Promise<T | null> {
  try {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse(await got.Body!.transformToString()) as T;
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

/** Every key under `prefix`, in S3's (lexicographic) order. */
export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<{ key: string; size: number }[]> {
  const keys: { key: string; size: number }[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key) keys.push({ key: o.Key, size: o.Size ?? 0 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

export async function deleteKeys(s3: S3Client, bucket: string, keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 1000) {
    const batch = keys.slice(i, i + 1000);
    if (batch.length > 0) await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
  }
}

/** Writes an object's body to `file`; returns its size. */
export async function downloadObject(s3: S3Client, bucket: string, key: string, file: string): Promise<number> {
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const out = createWriteStream(file);
  let bytes = 0;
  for await (const chunk of got.Body as Readable) {
    bytes += (chunk as Buffer).length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}

/**
 * A byte stream written into an S3 multipart upload while it is produced: each part is uploaded as
 * soon as it fills, not after the stream ends. Beside it, a journal under `<key>.journal/` holds
 * the upload id and finished parts (`upload.json`) and, every `checkpointMs`, the newest bytes, so
 * `S3StreamingUpload.recover` can rebuild the stream after a crash, up to the last checkpoint.
 *
 * Uploads run one at a time in order. A request that still fails after the SDK's own retries is
 * retried here a few times, then the upload is marked failed: an `error` event, never an exception
 * at the writer, which usually keeps a local copy (the Recorder's spool) anyway.
 */
export class S3StreamingUpload extends TypedEmitter<S3StreamingUploadEvents> {
  readonly #s3: S3Client;
  readonly #bucket: string;
  readonly #key: string;
  readonly #uploadId: string;
  readonly #partSize: number;
  readonly #maxQueuedBytes: number;
  readonly #logger: Logger | undefined;
  readonly #parts: JournalPart[] = [];
  #partBuffers: Buffer[] = [];
  #partBytes = 0;
  #unsaved: Buffer[] = [];
  #unsavedBytes = 0;
  #savedTo = 0;
  #written = 0;
  #queue: Task[] = [];
  #queuedBytes = 0;
  #pumping: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #failure: Error | null = null;
  #finished = false;
  #nextPartNumber = 1;

  static async create({ s3, bucket, key, contentType, partSize = MIN_PART_SIZE, checkpointMs = 2000, maxQueuedBytes = 64 << 20, logger }: S3StreamingUploadOptions): Promise<S3StreamingUpload> {
    if (!s3) throw new TypeError('s3 must be an S3Client');
    if (!bucket || !key) throw new TypeError('bucket and key are required');
    if (!Number.isInteger(partSize) || partSize < 1) throw new TypeError('partSize must be a positive integer');
    if (!Number.isFinite(checkpointMs) || checkpointMs < 0) throw new TypeError('checkpointMs must be >= 0');
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: contentType }));
    if (!UploadId) throw new Error(`S3 returned no upload id for ${key}`);
    const upload = new S3StreamingUpload(s3, bucket, key, UploadId, partSize, maxQueuedBytes, logger);
    // The upload id must be findable before any part exists, or a crash would orphan the upload.
    await upload.#putState();
    if (checkpointMs > 0) {
      upload.#timer = setInterval(() => upload.#checkpoint(), checkpointMs);
      upload.#timer.unref();
    }
    return upload;
  }

  private constructor(s3: S3Client, bucket: string, key: string, uploadId: string, partSize: number, maxQueuedBytes: number, logger: Logger | undefined) {
    super();
    this.#s3 = s3;
    this.#bucket = bucket;
    this.#key = key;
    this.#uploadId = uploadId;
    this.#partSize = partSize;
    this.#maxQueuedBytes = maxQueuedBytes;
    this.#logger = logger;
  }

  get key(): string {
    return this.#key;
  }

  get uploadId(): string {
    return this.#uploadId;
  }

  /** Bytes handed to write(). */
  get bytesWritten(): number {
    return this.#written;
  }

  /** Parts stored so far. */
  get partsUploaded(): number {
    return this.#parts.length;
  }

  get failed(): boolean {
    return this.#failure !== null;
  }

  /** complete(), abort() or close() was called. */
  get closed(): boolean {
    return this.#finished;
  }

  write(chunk: Uint8Array): void {
    if (this.#finished) throw new InvalidStateError(`upload of ${this.#key} already ended`);
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.#written += buffer.length;
    if (this.#failure) return;
    this.#partBuffers.push(buffer);
    this.#partBytes += buffer.length;
    if (this.#timer) {
      this.#unsaved.push(buffer);
      this.#unsavedBytes += buffer.length;
    }
    while (this.#partBytes >= this.#partSize) this.#cutPart(this.#partSize);
  }

  /** Parts of exactly partSize (the last may be shorter), whatever the writes' sizes. */
  #cutPart(size: number): void {
    const all = Buffer.concat(this.#partBuffers, this.#partBytes);
    const body = all.subarray(0, size);
    const rest = all.subarray(size);
    this.#partBuffers = rest.length > 0 ? [rest] : [];
    this.#partBytes = rest.length;
    this.#enqueuePart(body);
  }

  #enqueuePart(body: Buffer): void {
    const partNumber = this.#nextPartNumber++;
    const totalBytes = this.#written;
    const cutAt = performance.now();
    const part = async () => {
      const { ETag } = await this.#s3.send(new UploadPartCommand({ Bucket: this.#bucket, Key: this.#key, UploadId: this.#uploadId, PartNumber: partNumber, Body: body, ContentLength: body.length }));
      if (!ETag) throw new Error(`S3 returned no ETag for part ${partNumber} of ${this.#key}`);
      this.#parts.push({ PartNumber: partNumber, ETag, size: body.length });
      await this.#putState();
      recordingBytes.inc({ stage: 'streamed' }, body.length);
      s3UploadLag.observe({ kind: 'part' }, (performance.now() - cutAt) / 1000);
      this.safeEmit('part', { partNumber, bytes: body.length, totalBytes });
    };
    this.#enqueue({ bytes: body.length, run: part });
  }

  #checkpoint(): void {
    if (this.#failure || this.#unsavedBytes === 0) return;
    const body = Buffer.concat(this.#unsaved, this.#unsavedBytes);
    const offset = this.#savedTo;
    this.#unsaved = [];
    this.#unsavedBytes = 0;
    this.#savedTo += body.length;
    const cutAt = performance.now();
    this.#enqueue({
      bytes: body.length,
      run: async () => {
        await this.#s3.send(new PutObjectCommand({ Bucket: this.#bucket, Key: chunkKey(this.#key, offset), Body: body, ContentLength: body.length }));
        s3UploadLag.observe({ kind: 'checkpoint' }, (performance.now() - cutAt) / 1000);
        this.safeEmit('checkpoint', { offset, bytes: body.length });
      },
    });
  }

  #putState(): Promise<unknown> {
    const state: JournalState = { uploadId: this.#uploadId, parts: this.#parts };
    return this.#s3.send(new PutObjectCommand({ Bucket: this.#bucket, Key: stateKey(this.#key), Body: JSON.stringify(state), ContentType: 'application/json' }));
  }

  #enqueue(task: Task): void {
    this.#queue.push(task);
    this.#queuedBytes += task.bytes;
    if (this.#queuedBytes > this.#maxQueuedBytes) {
      this.#fail(new Error(`S3 is not keeping up with ${this.#key}: ${this.#queuedBytes} bytes waiting`));
      return;
    }
    this.#pumping ??= this.#pump().finally(() => (this.#pumping = null));
  }

  async #pump(): Promise<void> {
    while (this.#queue.length > 0 && !this.#failure) {
      const task = this.#queue[0]!;
      for (let attempt = 1; ; attempt++) {
        try {
          await task.run();
          break;
        } catch (error) {
          if (attempt >= 3 || this.#failure) {
            this.#fail(error as Error);
            return;
          }
          this.#logger?.warn({ err: error, key: this.#key, attempt }, 'S3 upload request failed; retrying');
          await new Promise((r) => setTimeout(r, 500 * attempt));
        }
      }
      this.#queue.shift();
      this.#queuedBytes -= task.bytes;
    }
  }

  #fail(error: Error): void {
    if (this.#failure) return;
    this.#failure = error;
    this.#queue = [];
    this.#queuedBytes = 0;
    this.#partBuffers = [];
    this.#partBytes = 0;
    this.#unsaved = [];
    this.#unsavedBytes = 0;
    if (this.#timer) clearInterval(this.#timer);
    this.#logger?.error({ err: error, key: this.#key }, 'streaming upload to S3 failed');
    if (this.listenerCount('error') > 0) this.safeEmit('error', error);
  }

  /** Resolves once everything queued so far is stored (or the upload failed). */
  async flush(): Promise<void> {
    while (this.#pumping) await this.#pumping;
  }

  /** Uploads the last part, completes the upload (the object appears) and deletes the journal. */
  async complete(): Promise<{ key: string; bytes: number; parts: number }> {
    if (this.#finished) throw new InvalidStateError(`upload of ${this.#key} already ended`);
    this.#finished = true;
    if (this.#timer) clearInterval(this.#timer);
    if (!this.#failure && (this.#partBytes > 0 || this.#nextPartNumber === 1)) this.#cutPart(this.#partBytes);
    await this.flush();
    if (this.#failure) throw this.#failure;
    const parts = [...this.#parts].sort((a, b) => a.PartNumber - b.PartNumber);
    await this.#s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.#bucket,
        Key: this.#key,
        UploadId: this.#uploadId,
        MultipartUpload: { Parts: parts.map(({ PartNumber, ETag }) => ({ PartNumber, ETag })) },
      }),
    );
    await S3StreamingUpload.#deleteJournal(this.#s3, this.#bucket, this.#key, this.#logger);
    return { key: this.#key, bytes: this.#written, parts: parts.length };
  }

  /** Abandons the upload: S3 drops its parts, the journal is deleted. Never throws. */
  async abort(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#finished = true;
    this.#queue = this.#queue.slice(0, 1);
    await this.flush().catch(() => {});
    await S3StreamingUpload.discard({ s3: this.#s3, bucket: this.#bucket, key: this.#key, logger: this.#logger });
  }

  /**
   * Stops without completing or aborting, as a crash would: the upload and its journal stay in S3
   * for `recover`. Requests already queued still run.
   */
  close(): void {
    if (this.#finished) return;
    this.#finished = true;
    if (this.#timer) clearInterval(this.#timer);
  }

  static async #deleteJournal(s3: S3Client, bucket: string, key: string, logger: Logger | undefined): Promise<void> {
    try {
      await deleteKeys(s3, bucket, (await listKeys(s3, bucket, journalPrefix(key))).map((o) => o.key));
    } catch (error) {
      logger?.warn({ err: error, key }, 'could not delete an upload journal');
    }
  }

  /** Aborts the multipart upload recorded in `key`'s journal and deletes the journal. Never throws. */
  static async discard({ s3, bucket, key, logger }: { s3: S3Client; bucket: string; key: string; logger?: Logger }): Promise<void> {
    try {
      const state = await readJson<JournalState>(s3, bucket, stateKey(key));
      if (state) await S3StreamingUpload.#abortUpload(s3, bucket, key, state);
    } catch (error) {
      if (!isMissing(error)) logger?.warn({ err: error, key }, 'could not abort a multipart upload');
    }
    await S3StreamingUpload.#deleteJournal(s3, bucket, key, logger);
  }

  static async #abortUpload(s3: S3Client, bucket: string, key: string, state: JournalState): Promise<void> {
    try {
      await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: state.uploadId }));
    } catch (error) {
      const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
      if (status !== 405 && status !== 501) throw error;
      // The embedded s3rver has no AbortMultipartUpload and would keep the parts forever; completing
      // the upload and deleting the object frees them just the same. Without parts it keeps nothing.
      if (state.parts.length === 0) return;
      await s3.send(
        completeCommand(bucket, key, state),
      );
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    }
  }

  /**
   * Rebuilds, into `file`, what an upload that never completed had stored: its finished parts
   * (the upload is completed to read them), then the journal's checkpoints beyond them, up to the
   * first gap. Returns the bytes written, or null when `key` has no journal. The journal and the
   * object stay; `discard` or a DeleteObject removes them.
   */
  static async recover({ s3, bucket, key, file }: { s3: S3Client; bucket: string; key: string; file: string }): Promise<{ bytes: number } | null> {
    const state = await readJson<JournalState>(s3, bucket, stateKey(key));
    if (!state) return null;
    let position = 0;
    if (state.parts.length > 0) {
      try {
        await s3.send(
          completeCommand(bucket, key, state),
        );
        position = await downloadObject(s3, bucket, key, file);
      } catch (error) {
        // An earlier recovery completed it already (S3 says NoSuchUpload, s3rver an internal error): the object is there.
        position = await downloadObject(s3, bucket, key, file).catch(() => Promise.reject(error));
      }
    }
    const chunks = (await listKeys(s3, bucket, `${journalPrefix(key)}chunk-`))
      .map((o) => ({ ...o, offset: Number(o.key.slice(o.key.lastIndexOf('-') + 1)) }))
      .sort((a, b) => a.offset - b.offset);
    const out = createWriteStream(file, { flags: position > 0 ? 'a' : 'w' });
    try {
      for (const chunk of chunks) {
        if (chunk.offset + chunk.size <= position) continue;
        if (chunk.offset > position) break;
        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: chunk.key }));
        const body = Buffer.from(await got.Body!.transformToByteArray());
        const fresh = body.subarray(position - chunk.offset);
        if (!out.write(fresh)) await once(out, 'drain');
        position += fresh.length;
      }
    } finally {
      out.end();
      await once(out, 'finish');
    }
    return { bytes: position };
  }
}

/** Completes a journaled upload with the parts it recorded, in part order. */
function completeCommand(bucket: string, key: string, state: JournalState): CompleteMultipartUploadCommand {
  const parts = [...state.parts].sort((a, b) => a.PartNumber - b.PartNumber).map(({ PartNumber, ETag }) => ({ PartNumber, ETag }));
  return new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: state.uploadId, MultipartUpload: { Parts: parts } });
}
