import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '@rehearse/core/config';
import { Health } from '@rehearse/protocol';
import { checkHealth } from './service.ts';

const healthRoutes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  // Public on purpose: load balancers and the landing page read it; it reveals no user data.
  app.get('/health', { schema: { response: { 200: Health, 503: Health } } }, async (_request, reply) => {
    const health = await checkHealth({ db: app.db, s3: app.s3, bucket: app.bucket, config });
    return reply.status(health.status === 'ok' ? 200 : 503).send(health);
  });
};

export default healthRoutes;
