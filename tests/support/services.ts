import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '@rehearse/core/config';
import { createS3Client, ensureBucket } from '@rehearse/core/storage';
import { migrate } from '@rehearse/db/migrate';
import { startEmbeddedPostgres } from '@rehearse/deploy/embedded-postgres';
import { startEmbeddedS3 } from '@rehearse/deploy/embedded-s3';
import { freePort } from './ports.ts';

export interface TestServices {
  config: Config;
  databaseUrl: string;
  storageEndpoint: string;
  stop(): Promise<void>;
}

/** A migrated embedded PostgreSQL and an s3rver bucket, for integration tests of one package. */
export async function startServices(env: Record<string, string> = {}): Promise<TestServices> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-svc-'));
  await chmod(dataDir, 0o755);
  const [database, store] = await Promise.all([startEmbeddedPostgres({ dataDir, port: await freePort() }), startEmbeddedS3({ dataDir })]);
  await migrate(database.url);
  const config = loadConfig({
    NODE_ENV: 'test',
    // Errors only: a 500 in a test prints its cause (with the request id) next to the failure.
    LOG_LEVEL: 'error',
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    S3_ENDPOINT: store.endpoint,
    MEDIA_TOKEN_SECRET: 'test-secret-test-secret-test-secret-0123',
    ...env,
  });
  const s3 = createS3Client({ ...config.storage, endpoint: store.endpoint });
  await ensureBucket(s3, config.storage.bucket);
  s3.destroy();
  return {
    config,
    databaseUrl: database.url,
    storageEndpoint: store.endpoint,
    stop: async () => {
      await Promise.all([database.stop(), store.stop()]);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
