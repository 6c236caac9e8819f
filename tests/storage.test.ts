// The object-store client against the embedded S3 server `npm start` runs (s3rver).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListBucketsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@rehearse/core/config';
import { createS3Client, ensureBucket } from '@rehearse/core/storage';
import { startEmbeddedS3, type EmbeddedObjectStore } from '@rehearse/deploy/embedded-s3';

describe('object storage', () => {
  let dataDir: string;
  let store: EmbeddedObjectStore;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-s3-'));
    store = await startEmbeddedS3({ dataDir });
  });

  afterAll(async () => {
    await store?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates the configured bucket once and stores objects through the AWS SDK', async () => {
    const { storage } = loadConfig({ S3_BUCKET: 'rehearse-test' });
    const s3 = createS3Client({ ...storage, endpoint: store.endpoint });
    try {
      expect(await ensureBucket(s3, storage.bucket)).toBe('created');
      expect(await ensureBucket(s3, storage.bucket)).toBe('exists');
      const { Buckets } = await s3.send(new ListBucketsCommand({}));
      expect(Buckets?.map((b) => b.Name)).toContain('rehearse-test');

      await s3.send(new PutObjectCommand({ Bucket: storage.bucket, Key: 'hello.txt', Body: 'hello', ContentType: 'text/plain' }));
      const got = await s3.send(new GetObjectCommand({ Bucket: storage.bucket, Key: 'hello.txt' }));
      expect(await got.Body!.transformToString()).toBe('hello');
    } finally {
      s3.destroy();
    }
  });
});
