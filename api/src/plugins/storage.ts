import fp from 'fastify-plugin';
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client, type StorageConfig } from '@rehearse/core/storage';

declare module 'fastify' {
  interface FastifyInstance {
    s3: S3Client;
    bucket: string;
  }
}

export default fp(
  async (app, { storage }: { storage: StorageConfig }) => {
    const s3 = createS3Client(storage);
    app.decorate('s3', s3);
    app.decorate('bucket', storage.bucket);
    app.addHook('onClose', () => s3.destroy());
  },
  { name: 'storage' },
);
