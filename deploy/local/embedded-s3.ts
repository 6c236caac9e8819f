// An S3-compatible server owned by the product when S3_ENDPOINT is not set (s3rver, data under
// DATA_DIR/s3). The product talks to it through the AWS SDK exactly as it would to AWS or MinIO.
//
// s3rver checks no signatures, so it must not be reachable by anyone but the product: it listens
// on a Unix socket in a directory only this user may enter (DATA_DIR/run, mode 0700), never on a
// TCP port, and browsers get recordings and avatars through the API, which checks who asks.
import { chmod, mkdir, rm } from 'node:fs/promises';
import type http from 'node:http';
import { createConnection, type ListenOptions } from 'node:net';
import path from 'node:path';
import S3rver from 's3rver';
import { StartupError } from '@rehearse/core/errors';

export interface EmbeddedObjectStore {
  /** `unix:///…/s3.sock`, which createS3Client understands. */
  endpoint: string;
  stop(): Promise<void>;
}

/** Longest path a Unix socket may have on Linux (sun_path is 108 bytes with its terminator). */
const MAX_SOCKET_PATH = 107;

/** Whether something listens on the socket. */
function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(socketPath)
      .once('connect', () => {
        socket.destroy();
        resolve(true);
      })
      .once('error', () => resolve(false));
  });
}

export async function startEmbeddedS3({ dataDir }: { dataDir: string }): Promise<EmbeddedObjectStore> {
  const directory = path.join(dataDir, 's3');
  const runDir = path.join(dataDir, 'run');
  const socketPath = path.join(runDir, 's3.sock');
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) {
    throw new StartupError('DATA_DIR_TOO_LONG', `DATA_DIR is too long for the embedded S3's socket (${socketPath} is over ${MAX_SOCKET_PATH} bytes); choose a shorter DATA_DIR`);
  }
  await mkdir(directory, { recursive: true });
  await mkdir(runDir, { recursive: true });
  await chmod(runDir, 0o700);
  if (await answers(socketPath)) throw new StartupError('OBJECT_STORE_IN_USE', `another embedded S3 is running on ${socketPath} (is another npm start using DATA_DIR ${dataDir}?)`);
  // A socket file left by a process that was killed would make listen fail with EADDRINUSE.
  await rm(socketPath, { force: true });
  // run() would listen on a TCP port; its own listen() (absent from @types/s3rver) takes a socket path.
  const server = new S3rver({ directory, silent: true }) as S3rver & { httpServer: http.Server; listen(options: ListenOptions): Promise<http.Server> };
  await server.configureBuckets();
  server.httpServer = await server.listen({ path: socketPath });
  await chmod(socketPath, 0o600);
  return {
    endpoint: `unix://${socketPath}`,
    stop: async () => {
      await server.close();
      await rm(socketPath, { force: true });
    },
  };
}
