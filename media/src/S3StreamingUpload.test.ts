import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidStateError } from './errors.ts';
import { journalPrefix, listKeys, S3StreamingUpload } from './S3StreamingUpload.ts';
import { startTestS3, type TestS3 } from '@rehearse/testkit/s3';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('S3StreamingUpload', () => {
  let store: TestS3;
  let dir: string;

  beforeAll(async () => {
    store = await startTestS3();
    dir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-upload-'));
  });

  afterAll(async () => {
    await store?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('uploads each part as it fills, checkpoints in between, and completes into the exact bytes', async () => {
    const { s3, bucket } = store;
    const upload = await S3StreamingUpload.create({ s3, bucket, key: 'a/stream.bin', partSize: 64 * 1024, checkpointMs: 50 });
    const parts: number[] = [];
    const checkpoints: number[] = [];
    upload.on('part', ({ partNumber }) => parts.push(partNumber));
    upload.on('checkpoint', ({ offset }) => checkpoints.push(offset));
    const data = randomBytes(200 * 1024 + 123);
    for (let i = 0; i < data.length; i += 10 * 1024) {
      upload.write(data.subarray(i, i + 10 * 1024));
      await sleep(10);
    }
    await upload.flush();
    // Parts 1-3 are stored while the stream is still open: before complete() is called.
    expect(parts).toEqual([1, 2, 3]);
    expect(checkpoints.length).toBeGreaterThan(2);
    expect((await listKeys(s3, bucket, journalPrefix('a/stream.bin'))).length).toBeGreaterThan(1);

    expect(await upload.complete()).toEqual({ key: 'a/stream.bin', bytes: data.length, parts: 4 });
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'a/stream.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(data)).toBe(true);
    expect(await listKeys(s3, bucket, journalPrefix('a/stream.bin'))).toEqual([]);
    expect(() => upload.write(Buffer.from('late'))).toThrow(InvalidStateError);
  });

  it('recovers parts plus checkpoints after a crash, up to the last checkpoint', async () => {
    const { s3, bucket } = store;
    const upload = await S3StreamingUpload.create({ s3, bucket, key: 'b/crashed.bin', partSize: 64 * 1024, checkpointMs: 40 });
    const data = randomBytes(150 * 1024);
    upload.write(data.subarray(0, 100 * 1024));
    await sleep(120);
    upload.write(data.subarray(100 * 1024));
    await sleep(120);
    await upload.flush();
    expect(upload.partsUploaded).toBe(2);
    // Written after the last checkpoint: lost, as in a crash.
    upload.write(Buffer.from('never stored'));
    upload.close();

    const file = path.join(dir, 'recovered.bin');
    expect(await S3StreamingUpload.recover({ s3, bucket, key: 'b/crashed.bin', file })).toEqual({ bytes: data.length });
    expect((await readFile(file)).equals(data)).toBe(true);
    // Idempotent: the upload is completed now, a second recovery reads the object.
    expect(await S3StreamingUpload.recover({ s3, bucket, key: 'b/crashed.bin', file })).toEqual({ bytes: data.length });
    await S3StreamingUpload.discard({ s3, bucket, key: 'b/crashed.bin' });
    expect(await listKeys(s3, bucket, journalPrefix('b/crashed.bin'))).toEqual([]);
    expect(await S3StreamingUpload.recover({ s3, bucket, key: 'nothing/here.bin', file })).toBeNull();
  });

  it('turns a failing S3 into an error event, never an exception at the writer', async () => {
    const { bucket } = store;
    const s3 = store.client();
    let failParts = false;
    s3.middlewareStack.add(
      (next) => async (args) => {
        if (failParts && (args.input as { PartNumber?: number }).PartNumber) throw new Error('injected part failure');
        return next(args);
      },
      { step: 'initialize' },
    );
    const upload = await S3StreamingUpload.create({ s3, bucket, key: 'c/failing.bin', partSize: 1024, checkpointMs: 0 });
    const errors: Error[] = [];
    upload.on('error', (e) => errors.push(e));
    failParts = true;
    upload.write(randomBytes(4096));
    await upload.flush();
    expect(upload.failed).toBe(true);
    expect(errors.map((e) => e.message)).toEqual(['injected part failure']);
    expect(() => upload.write(randomBytes(10))).not.toThrow();
    await expect(upload.complete()).rejects.toThrow('injected part failure');
    await upload.abort();
  });
});
