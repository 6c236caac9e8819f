// Discovery: the candidate's opt-in profile and contact requests (any signed-in user), and the
// recruiter's search, a found candidate's resume and asking to get in touch (Recruiter plan).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Binary, ContactInput, ContactRequest, DiscoveredCandidate, DiscoveredCandidateDetail, DiscoveryProfile, DiscoveryProfileInput, DiscoveryQuery, ErrorBody } from '@rehearse/protocol';
import type { DiscoveryService } from './service.ts';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const errors = { 400: ErrorBody, 401: ErrorBody, 402: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

const discoveryRoutes: FastifyPluginAsyncTypebox<{ discovery: DiscoveryService }> = async (app, { discovery }) => {
  app.addHook('preHandler', app.requireUser);
  const userId = (request: { session: { user: { id: string } } | null }) => request.session!.user.id;

  app.get('/api/me/discovery', { schema: { response: { 200: Type.Object({ profile: DiscoveryProfile }), ...errors } } }, async (request) => ({ profile: await discovery.profile(userId(request)) }));
  app.put('/api/me/discovery', { schema: { body: DiscoveryProfileInput, response: { 200: Type.Object({ profile: DiscoveryProfile }), ...errors } } }, async (request) => ({ profile: await discovery.setProfile(userId(request), request.body) }));
  app.get('/api/me/contact-requests', { schema: { response: { 200: Type.Object({ requests: Type.Array(ContactRequest) }), ...errors } } }, async (request) => ({ requests: await discovery.requests(userId(request), 'candidate') }));
  for (const [verb, accept] of [['accept', true], ['decline', false]] as const) {
    app.post(`/api/me/contact-requests/:id/${verb}`, { schema: { params: Id, response: { 200: Type.Object({ request: ContactRequest }), ...errors } } }, async (request) => ({ request: await discovery.decide(request, request.params.id, accept) }));
  }

  app.get('/api/discovery', { schema: { querystring: DiscoveryQuery, response: { 200: Type.Object({ candidates: Type.Array(DiscoveredCandidate) }), ...errors } } }, async (request) => ({ candidates: await discovery.search(userId(request), request.query) }));
  app.get('/api/discovery/contacts', { schema: { response: { 200: Type.Object({ requests: Type.Array(ContactRequest) }), ...errors } } }, async (request) => ({ requests: await discovery.requests(userId(request), 'recruiter') }));
  app.get('/api/discovery/:id', { schema: { params: Id, response: { 200: DiscoveredCandidateDetail, ...errors } } }, async (request) => discovery.candidate(request, request.params.id));
  app.get(
    '/api/discovery/:id/answers/:answerId/recording',
    { schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }), answerId: Type.String({ format: 'uuid' }) }), response: { 200: Binary, 206: Binary, 304: Type.Null(), 416: ErrorBody, ...errors } } },
    async (request, reply) => {
      const object = await discovery.recording(userId(request), request.params.id, request.params.answerId);
      return app.sendObject(request, reply, object);
    },
  );
  app.post('/api/discovery/:id/contact', { schema: { params: Id, body: ContactInput, response: { 201: Type.Object({ request: ContactRequest }), ...errors } } }, async (request, reply) =>
    reply.status(201).send({ request: await discovery.requestContact(request, request.params.id, request.body.message) }),
  );
};

export default discoveryRoutes;
