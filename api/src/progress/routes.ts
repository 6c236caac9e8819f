// GET /api/progress: my figures over time, per competency, for the progress charts (and as a PDF).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Binary, ErrorBody, Progress, ProgressQuery } from '@rehearse/protocol';
import { progressScorecardInput, sendPdf } from '../scorecards/inputs.ts';
import { progressScorecard } from '../scorecards/pdf.ts';
import { ProgressService } from './service.ts';

const progressRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const progress = new ProgressService(app.db);
  app.get('/api/progress', { preHandler: app.requireUser, schema: { querystring: ProgressQuery, response: { 200: Progress, 400: ErrorBody, 401: ErrorBody } } }, async (request) =>
    progress.of(request.session!.user.id, request.query),
  );
  // The period's progress as a printable scorecard.
  app.get('/api/progress/scorecard.pdf', { preHandler: app.requireUser, schema: { querystring: ProgressQuery, response: { 200: Binary, 400: ErrorBody, 401: ErrorBody } } }, async (request, reply) => {
    const userId = request.session!.user.id;
    const [data, user] = await Promise.all([progress.of(userId, request.query), app.db.user.findUniqueOrThrow({ where: { id: userId }, select: { timezone: true } })]);
    return sendPdf(reply, await progressScorecard(progressScorecardInput(data, user.timezone)), 'rehearse-progress.pdf');
  });
};

export default progressRoutes;
