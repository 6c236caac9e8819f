// GET /api/progress: my figures over time, per competency, for the progress charts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, Progress, ProgressQuery } from '@rehearse/protocol';
import { ProgressService } from './service.ts';

const progressRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const progress = new ProgressService(app.db);
  app.get('/api/progress', { preHandler: app.requireUser, schema: { querystring: ProgressQuery, response: { 200: Progress, 400: ErrorBody, 401: ErrorBody } } }, async (request) =>
    progress.of(request.session!.user.id, request.query),
  );
};

export default progressRoutes;
