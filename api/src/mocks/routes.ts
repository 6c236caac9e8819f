// Mock interviews: start one, follow it (resumable: the state comes from its answers), finish it,
// and its combined report.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Binary, ErrorBody, MockInterview, MockInterviewBody, MockReport, NewMockInterview } from '@rehearse/protocol';
import { COACH_LIMITS } from '../limits.ts';
import { mockScorecardInput, sendPdf } from '../scorecards/inputs.ts';
import { mockScorecard } from '../scorecards/pdf.ts';
import { MockInterviewService } from './service.ts';

const MockId = Type.Object({ id: Type.String({ format: 'uuid' }) });

const mockRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const mocks = new MockInterviewService({ db: app.db });
  app.addHook('preHandler', app.requireUser);
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody, 429: ErrorBody };
  const userId = (request: { session: { user: { id: string } } | null }) => request.session!.user.id;

  app.post(
    '/api/mock-interviews',
    { schema: { body: NewMockInterview, response: { 201: MockInterviewBody, ...errors } }, config: { rateLimit: { ...COACH_LIMITS.mockInterviews, keyGenerator: (request) => `mocks:${request.session?.user.id ?? request.ip}` } } },
    async (request, reply) => reply.status(201).send({ mockInterview: await mocks.create(userId(request), request.body) }),
  );
  app.get('/api/mock-interviews', { schema: { response: { 200: Type.Object({ mockInterviews: Type.Array(MockInterview) }), ...errors } } }, async (request) => ({ mockInterviews: await mocks.list(userId(request)) }));
  app.get('/api/mock-interviews/:id', { schema: { params: MockId, response: { 200: MockInterviewBody, ...errors } } }, async (request) => ({ mockInterview: await mocks.get(userId(request), request.params.id) }));
  app.post('/api/mock-interviews/:id/finish', { schema: { params: MockId, response: { 200: MockInterviewBody, ...errors } } }, async (request) => ({ mockInterview: await mocks.finish(userId(request), request.params.id) }));
  app.get('/api/mock-interviews/:id/scorecard.pdf', { schema: { params: MockId, response: { 200: Binary, ...errors } } }, async (request, reply) => {
    const report = await mocks.report(userId(request), request.params.id);
    const user = await app.db.user.findUniqueOrThrow({ where: { id: userId(request) }, select: { timezone: true } });
    return sendPdf(reply, await mockScorecard(mockScorecardInput(report, user.timezone)), `rehearse-mock-interview-${report.mockInterview.createdAt.slice(0, 10)}.pdf`);
  });
  app.get('/api/mock-interviews/:id/report', { schema: { params: MockId, response: { 200: MockReport, ...errors } } }, async (request) => mocks.report(userId(request), request.params.id));
};

export default mockRoutes;
