// An S3-compatible server owned by the product when S3_ENDPOINT is not set (s3rver, data under
// DATA_DIR/s3). The product talks to it through the AWS SDK exactly as it would to AWS or MinIO.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import S3rver from 's3rver';
import { assertPortFree } from './ports.ts';

export interface EmbeddedObjectStore {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startEmbeddedS3({ dataDir, port }: { dataDir: string; port: number }): Promise<EmbeddedObjectStore> {
  const directory = path.join(dataDir, 's3');
  await mkdir(directory, { recursive: true });
  if (port !== 0) await assertPortFree(port, 'embedded S3 (EMBEDDED_S3_PORT)');
  const server = new S3rver({ address: '127.0.0.1', port, directory, silent: true });
  const { port: actualPort } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${actualPort}`,
    stop: () => server.close(),
  };
}
