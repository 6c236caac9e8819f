// Share links and video resumes. The owner's routes need their session; the viewer's routes
// (/api/s/:token…) take the link's token and, for links limited to named recruiters, the session.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Binary, CreatedShare, ErrorBody, FeedbackInput, RecruiterFeedback, ResumeInput, ShareInput, ShareLink, ShareLinkDetail, SharedView, VideoResume, VideoResumeBody, WatchedInput } from '@rehearse/protocol';
import { SHARE_OPEN_LIMIT } from '../limits.ts';
import type { ShareService } from './service.ts';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) });
const errors = { 400: ErrorBody, 401: ErrorBody, 402: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 410: ErrorBody, 429: ErrorBody };

const shareRoutes: FastifyPluginAsyncTypebox<{ shares: ShareService }> = async (app, { shares }) => {
  const userId = (request: { session: { user: { id: string } } | null }) => request.session!.user.id;
  const owner = { preHandler: app.requireUser };

  // ----- the candidate's side -----
  app.get('/api/resumes', { ...owner, schema: { response: { 200: Type.Object({ resumes: Type.Array(VideoResume) }), ...errors } } }, async (request) => ({ resumes: await shares.resumes(userId(request)) }));
  app.post('/api/resumes', { ...owner, schema: { body: ResumeInput, response: { 201: VideoResumeBody, ...errors } } }, async (request, reply) => reply.status(201).send({ resume: await shares.createResume(userId(request), request.body) }));
  app.get('/api/resumes/:id', { ...owner, schema: { params: Id, response: { 200: VideoResumeBody, ...errors } } }, async (request) => ({ resume: await shares.resume(userId(request), request.params.id) }));
  app.put('/api/resumes/:id', { ...owner, schema: { params: Id, body: ResumeInput, response: { 200: VideoResumeBody, ...errors } } }, async (request) => ({ resume: await shares.updateResume(userId(request), request.params.id, request.body) }));
  app.delete('/api/resumes/:id', { ...owner, schema: { params: Id } }, async (request, reply) => {
    await shares.removeResume(userId(request), request.params.id);
    return reply.status(204).send(null);
  });

  app.get('/api/shares', { ...owner, schema: { response: { 200: Type.Object({ links: Type.Array(ShareLink) }), ...errors } } }, async (request) => ({ links: await shares.links(userId(request)) }));
  app.post('/api/shares', { ...owner, schema: { body: ShareInput, response: { 201: CreatedShare, ...errors } } }, async (request, reply) => reply.status(201).send(await shares.create(request, request.body)));
  app.get('/api/shares/:id', { ...owner, schema: { params: Id, response: { 200: ShareLinkDetail, ...errors } } }, async (request) => shares.detail(userId(request), request.params.id));
  app.post('/api/shares/:id/revoke', { ...owner, schema: { params: Id, response: { 200: Type.Object({ link: ShareLink }), ...errors } } }, async (request) => ({ link: await shares.revoke(request, request.params.id) }));
  app.get('/api/recruiter-feedback', { ...owner, schema: { response: { 200: Type.Object({ feedback: Type.Array(RecruiterFeedback) }), ...errors } } }, async (request) => ({ feedback: await shares.feedbackFor(userId(request)) }));

  // ----- whoever holds the link -----
  // Never cached anywhere: a revoked link must stop at once.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/s/')) reply.header('cache-control', 'private, no-store').header('referrer-policy', 'no-referrer');
  });
  app.get('/api/s/:token', { schema: { params: TokenParams, response: { 200: SharedView, ...errors } }, config: { rateLimit: SHARE_OPEN_LIMIT } }, async (request) => shares.open(request, request.params.token));
  app.get(
    '/api/s/:token/answers/:answerId/recording',
    { schema: { params: Type.Object({ token: TokenParams.properties.token, answerId: Type.String({ format: 'uuid' }) }), response: { 200: Binary, 206: Binary, 304: Type.Null(), 416: ErrorBody, ...errors } } },
    async (request, reply) => app.sendObject(request, reply, await shares.recording(request.params.token, request.session, request.params.answerId)),
  );
  app.post('/api/s/:token/views/:viewId', { schema: { params: Type.Object({ token: TokenParams.properties.token, viewId: Type.String({ format: 'uuid' }) }), body: WatchedInput, response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    await shares.watched(request.params.token, request.session, request.params.viewId, request.body.watchedMs);
    return reply.status(204).send(null);
  });
  app.post('/api/s/:token/feedback', { schema: { params: TokenParams, body: FeedbackInput, response: { 200: Type.Object({ feedback: RecruiterFeedback }), ...errors } } }, async (request) => ({ feedback: await shares.leaveFeedback(request, request.params.token, request.body) }));
};

export default shareRoutes;
