import http from 'node:http';
import net from 'node:net';
import { CreateBucketCommand, HeadBucketCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Config } from './config.ts';

export type StorageConfig = Config['storage'] & { endpoint: string };

/**
 * An endpoint `unix:///path/to.sock` is an S3 server listening on a local socket (the embedded
 * store: only processes that may open the socket file reach it). Requests still carry an http URL
 * for signing and path-style addressing; the agent connects every one of them to the socket.
 */
function socketPathOf(endpoint: string): string | null {
  const url = new URL(endpoint);
  return url.protocol === 'unix:' ? decodeURIComponent(url.pathname) : null;
}

class UnixSocketAgent extends http.Agent {
  readonly #path: string;

  constructor(path: string) {
    super({ keepAlive: true });
    this.#path = path;
  }

  override createConnection(_options: unknown, callback?: (error: Error | null, socket: net.Socket) => void): net.Socket {
    const socket = net.createConnection(this.#path);
    if (callback) socket.once('connect', () => callback(null, socket)).once('error', (error) => callback(error, socket));
    return socket;
  }
}

/** The one way the product talks to object storage: the AWS SDK, pointed at AWS, MinIO, R2 or s3rver. */
export function createS3Client(storage: StorageConfig): S3Client {
  const socketPath = socketPathOf(storage.endpoint);
  return new S3Client({
    // "localhost": s3rver would take any other host name for a virtual-hosted bucket.
    endpoint: socketPath ? 'http://localhost' : storage.endpoint,
    ...(socketPath ? { requestHandler: new NodeHttpHandler({ httpAgent: new UnixSocketAgent(socketPath) }) } : {}),
    region: storage.region,
    forcePathStyle: socketPath ? true : storage.forcePathStyle,
    credentials: { accessKeyId: storage.accessKeyId, secretAccessKey: storage.secretAccessKey },
    // Embedded s3rver and MinIO do not implement the newer default checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

function isMissing(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.$metadata.httpStatusCode === 404 || error.name === 'NotFound' || error.name === 'NoSuchBucket');
}

/** Creates the bucket when it does not exist yet; a no-op afterwards. */
export async function ensureBucket(s3: S3Client, bucket: string): Promise<'created' | 'exists'> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return 'exists';
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    // Another process created it between our HEAD and CREATE.
    if (!(error instanceof S3ServiceException && (error.name === 'BucketAlreadyOwnedByYou' || error.name === 'BucketAlreadyExists'))) throw error;
  }
  return 'created';
}
