// Object storage for the API: the S3 client, and the one way objects reach a browser — streamed
// through the API (so through the product's own origin) after the route has checked who asks.
// Browsers are never handed an address of the store itself: the embedded one checks no
// signatures and listens where only the product's processes reach it.
import type { Readable } from 'node:stream';
import fp from 'fastify-plugin';
import { DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createS3Client, type StorageConfig } from '@rehearse/core/storage';
import { HttpError } from './errors.ts';

export interface SendObjectOptions {
  key: string;
  /** The type it is served as, whatever the store says (an upload's claim is never echoed). */
  contentType: string;
  /** How long a browser may keep it without asking again. */
  maxAgeSeconds?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    s3: S3Client;
    bucket: string;
    /** Streams an object with range requests (206), conditional requests (304) and fixed headers. */
    sendObject: (request: FastifyRequest, reply: FastifyReply, options: SendObjectOptions) => Promise<FastifyReply>;
    /** Deletes every object whose key starts with `prefix` (an answer's, an account's). */
    deletePrefix: (prefix: string) => Promise<number>;
  }
}

/** One range at most, in the forms browsers send (`bytes=0-`, `bytes=100-199`, `bytes=-500`). */
const RANGE = /^bytes=(\d*)-(\d*)$/;

export default fp(
  async (app, { storage }: { storage: StorageConfig }) => {
    const s3 = createS3Client(storage);
    app.decorate('s3', s3);
    app.decorate('bucket', storage.bucket);
    app.addHook('onClose', () => s3.destroy());

    /** `bytes=-N` (the last N bytes) as an explicit range: not every S3 implementation (s3rver) understands suffixes. */
    async function explicitSuffix(key: string, length: number): Promise<string> {
      const { ContentLength: size = 0 } = await s3.send(new HeadObjectCommand({ Bucket: storage.bucket, Key: key }));
      if (length === 0 || size === 0) throw new HttpError(416, 'RANGE_NOT_SATISFIABLE', 'The range is outside the object');
      return `bytes=${Math.max(0, size - length)}-${size - 1}`;
    }

    app.decorate('deletePrefix', async (prefix: string) => {
      if (!prefix.endsWith('/')) throw new TypeError('a prefix to delete must end with "/"');
      let deleted = 0;
      for (let token: string | undefined; ; ) {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: storage.bucket, Prefix: prefix, ContinuationToken: token }));
        const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key! }));
        if (keys.length > 0) await s3.send(new DeleteObjectsCommand({ Bucket: storage.bucket, Delete: { Objects: keys } }));
        deleted += keys.length;
        if (!page.IsTruncated) return deleted;
        token = page.NextContinuationToken;
      }
    });

    app.decorate('sendObject', async (request: FastifyRequest, reply: FastifyReply, { key, contentType, maxAgeSeconds = 0 }: SendObjectOptions) => {
      const range = request.headers.range;
      if (range !== undefined && !(RANGE.test(range) && range !== 'bytes=-')) throw new HttpError(416, 'RANGE_NOT_SATISFIABLE', 'Only one byte range is supported, e.g. bytes=0-1023');
      let object;
      try {
        object = await s3.send(
          new GetObjectCommand({
            Bucket: storage.bucket,
            Key: key,
            Range: range?.startsWith('bytes=-') ? await explicitSuffix(key, Number(range.slice(7))) : range,
            IfNoneMatch: request.headers['if-none-match'],
          }),
        );
      } catch (error) {
        const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
        if (status === 304) return reply.status(304).send();
        if (status === 416) throw new HttpError(416, 'RANGE_NOT_SATISFIABLE', 'The range is outside the object');
        if (status === 404 || (error as Error).name === 'NoSuchKey') throw new HttpError(404, 'OBJECT_NOT_FOUND', 'The file is not there (any more)');
        throw error;
      }
      reply.header('content-type', contentType);
      reply.header('accept-ranges', 'bytes');
      reply.header('cache-control', `private, max-age=${maxAgeSeconds}`);
      // Served as data to show, never as a page: no sniffing, no scripts even if opened directly.
      reply.header('content-security-policy', "default-src 'none'; sandbox");
      if (object.ContentLength !== undefined) reply.header('content-length', object.ContentLength);
      if (object.ETag) reply.header('etag', object.ETag);
      if (object.LastModified) reply.header('last-modified', object.LastModified.toUTCString());
      if (object.ContentRange) {
        reply.header('content-range', object.ContentRange);
        reply.status(206);
      }
      return reply.send(object.Body as Readable);
    });
  },
  { name: 'storage', dependencies: ['errors'] },
);
