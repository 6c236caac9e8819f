import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { GUEST_RATE_LIMIT } from '../limits.ts';
import { ErrorBody } from '../plugins/errors.ts';
import { Me } from '@rehearse/protocol';
import { createSession, invalidateSession, type SessionUser } from './sessions.ts';

function present(user: SessionUser) {
  return { user: { ...user, guest: user.email === null } };
}

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // A guest account lets someone practise at once; signing up later keeps their answers. Pages
  // make one only when the visitor starts an answer, never for a page view.
  app.post('/api/auth/guest', { schema: { response: { 201: Me, 403: ErrorBody, 429: ErrorBody } }, config: { rateLimit: GUEST_RATE_LIMIT } }, async (request, reply) => {
    const user = await app.db.user.create({ data: { roles: { create: [{ role: 'seeker' }] } }, include: { roles: true } });
    const { token, expiresAt } = await createSession(app.db, user.id, { userAgent: request.headers['user-agent'] ?? '', ipAddress: request.ip });
    app.setSessionCookie(reply, token, expiresAt);
    return reply.status(201).send(present({ id: user.id, email: user.email, emailVerified: false, name: user.name, roles: user.roles.map((r) => r.role) }));
  });

  app.get('/api/auth/me', { schema: { response: { 200: Me, 401: ErrorBody } }, preHandler: app.requireUser }, async (request) => present(request.session!.user));

  app.post('/api/auth/logout', { schema: { response: { 204: { type: 'null' }, 403: ErrorBody } } }, async (request, reply) => {
    if (request.session) await invalidateSession(app.db, request.session.id);
    app.clearSessionCookie(reply);
    return reply.status(204).send(null);
  });
};

export default authRoutes;
