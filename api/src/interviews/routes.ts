// One-way interviews: the recruiter's (Recruiter plan) and the invited candidate's routes.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Binary, CandidateInterview, ErrorBody, FeedbackInput, InterviewInput, RecruiterFeedback, RecruiterInterview } from '@rehearse/protocol';
import type { InterviewService } from './service.ts';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const InviteParams = Type.Object({ id: Type.String({ format: 'uuid' }), inviteId: Type.String({ format: 'uuid' }) });
const errors = { 400: ErrorBody, 401: ErrorBody, 402: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

const interviewRoutes: FastifyPluginAsyncTypebox<{ interviews: InterviewService }> = async (app, { interviews }) => {
  app.addHook('preHandler', app.requireUser);
  const userId = (request: { session: { user: { id: string } } | null }) => request.session!.user.id;

  app.post('/api/interviews', { bodyLimit: 64 * 1024, schema: { body: InterviewInput, response: { 201: Type.Object({ interview: RecruiterInterview }), ...errors } } }, async (request, reply) =>
    reply.status(201).send({ interview: await interviews.create(request, request.body) }),
  );
  app.get('/api/interviews', { schema: { response: { 200: Type.Object({ interviews: Type.Array(RecruiterInterview) }), ...errors } } }, async (request) => ({ interviews: await interviews.list(userId(request)) }));
  app.get('/api/interviews/:id', { schema: { params: Id, response: { 200: Type.Object({ interview: RecruiterInterview }), ...errors } } }, async (request) => ({ interview: await interviews.view(userId(request), request.params.id) }));
  app.get(
    '/api/interviews/:id/invites/:inviteId/answers/:answerId/recording',
    { schema: { params: Type.Object({ ...InviteParams.properties, answerId: Type.String({ format: 'uuid' }) }), response: { 200: Binary, 206: Binary, 304: Type.Null(), 416: ErrorBody, ...errors } } },
    async (request, reply) => app.sendObject(request, reply, await interviews.recording(userId(request), request.params.id, request.params.inviteId, request.params.answerId)),
  );
  app.post('/api/interviews/:id/invites/:inviteId/feedback', { schema: { params: InviteParams, body: FeedbackInput, response: { 200: Type.Object({ feedback: RecruiterFeedback }), ...errors } } }, async (request) => ({
    feedback: await interviews.leaveFeedback(request, request.params.id, request.params.inviteId, request.body),
  }));

  app.post('/api/interview-invites/accept', { schema: { body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }), response: { 200: Type.Object({ invitation: CandidateInterview }), ...errors } } }, async (request) => ({
    invitation: await interviews.accept(request, request.body.token),
  }));
  app.get('/api/interview-invites', { schema: { response: { 200: Type.Object({ invitations: Type.Array(CandidateInterview) }), ...errors } } }, async (request) => ({ invitations: await interviews.invitations(userId(request)) }));
  app.get('/api/interview-invites/:id', { schema: { params: Id, response: { 200: Type.Object({ invitation: CandidateInterview }), ...errors } } }, async (request) => ({ invitation: await interviews.candidateView(userId(request), request.params.id) }));
  app.post('/api/interview-invites/:id/submit', { schema: { params: Id, response: { 200: Type.Object({ invitation: CandidateInterview }), ...errors } } }, async (request) => ({ invitation: await interviews.submit(request, request.params.id) }));
};

export default interviewRoutes;
