// A booked call's routes, for its two parties only: join (consent first), markers and notes (the
// mentor), end, the summary and each side's recording.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Binary, CallJoin, CallMarker, CallSummary, ErrorBody } from '@rehearse/protocol';
import { MARKER_NOTE_MAX, type CallService } from './service.ts';

const Params = Type.Object({ id: Type.String({ format: 'uuid' }) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody, 502: ErrorBody };

const callRoutes: FastifyPluginAsyncTypebox<{ calls: CallService }> = async (app, { calls }) => {
  app.addHook('preHandler', app.requireUser);
  const userId = (request: { session: { user: { id: string } } | null }) => request.session!.user.id;

  app.post(
    '/api/calls/:id/join',
    {
      schema: {
        params: Params,
        body: Type.Object({ consent: Type.Boolean(), coaching: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: CallJoin, ...errors },
      },
    },
    async (request) => calls.join(userId(request), request.params.id, request.body),
  );
  app.post('/api/calls/:id/markers', { schema: { params: Params, body: Type.Object({ note: Type.String({ maxLength: MARKER_NOTE_MAX }) }, { additionalProperties: false }), response: { 201: Type.Object({ marker: CallMarker }), ...errors } } }, async (request, reply) =>
    reply.status(201).send({ marker: await calls.mark(userId(request), request.params.id, request.body.note) }),
  );
  app.put('/api/calls/:id/notes', { schema: { params: Params, body: Type.Object({ notes: Type.String({ maxLength: 10_000 }) }, { additionalProperties: false }), response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    await calls.setNotes(userId(request), request.params.id, request.body.notes);
    return reply.status(204).send(null);
  });
  app.post('/api/calls/:id/end', { schema: { params: Params, response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    await calls.end(userId(request), request.params.id);
    return reply.status(204).send(null);
  });
  app.get('/api/calls/:id/summary', { schema: { params: Params, response: { 200: CallSummary, ...errors } } }, async (request) => calls.summary(userId(request), request.params.id));
  app.get('/api/calls/:id/recordings/:role', { schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }), role: Type.Union([Type.Literal('candidate'), Type.Literal('mentor')]) }), response: { 200: Binary, ...errors } } }, async (request, reply) => {
    const { key, contentType } = await calls.recording(userId(request), request.params.id, request.params.role);
    return app.sendObject(request, reply, { key, contentType });
  });
};

export default callRoutes;
