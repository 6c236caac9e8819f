// An S3 for tests: the embedded s3rver `npm start` runs, reached through the real AWS SDK.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client, ensureBucket } from '@rehearse/core/storage';
import { startEmbeddedS3 } from '@rehearse/deploy/embedded-s3';

export interface TestS3 {
  s3: S3Client;
  bucket: string;
  /** Another client to the same store (e.g. one a test adds middleware to). */
  client(): S3Client;
  /** With `ownProcess`: the pid of the process serving it (its CPU can be told apart). */
  pid: number | null;
  /** Where it listens (`unix:///…/s3.sock`), for other processes' clients. */
  endpoint: string;
  stop(): Promise<void>;
}

/** `ownProcess`: s3rver runs in a child process instead of this one's event loop (benchmarks). */
export async function startTestS3(bucket = 'rehearse-test', { ownProcess = false }: { ownProcess?: boolean } = {}): Promise<TestS3> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-media-s3-'));
  const child = ownProcess ? fork(new URL('./s3Process.ts', import.meta.url), [dataDir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }) : null;
  const store = child
    ? {
        endpoint: ((await once(child, 'message')) as [{ endpoint: string }])[0].endpoint,
        stop: async () => {
          const exited = once(child, 'exit');
          child.disconnect();
          await exited;
        },
      }
    : await startEmbeddedS3({ dataDir });
  const clients: S3Client[] = [];
  const client = () => {
    const made = createS3Client({ endpoint: store.endpoint, region: 'us-east-1', bucket, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true });
    clients.push(made);
    return made;
  };
  const s3 = client();
  await ensureBucket(s3, bucket);
  return {
    s3,
    bucket,
    client,
    pid: child?.pid ?? null,
    endpoint: store.endpoint,
    async stop() {
      for (const c of clients) c.destroy();
      await store.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
