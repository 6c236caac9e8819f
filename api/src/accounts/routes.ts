// Accounts: sign up (a guest keeps their answers), log in, and my sessions (list, revoke).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Me } from '../auth/schemas.ts';
import { createSession, invalidateSession } from '../auth/sessions.ts';
import { ErrorBody, HttpError } from '../plugins/errors.ts';
import { hashPassword, PASSWORD_MAX, PASSWORD_MIN, verifyPassword } from './passwords.ts';

const Email = Type.String({ format: 'email', maxLength: 254 });
const Password = Type.String({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX });
const SignUpBody = Type.Object({ email: Email, password: Password, name: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false });
const LogInBody = Type.Object({ email: Email, password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX }) }, { additionalProperties: false });
const SessionInfo = Type.Object({
  id: Type.String(),
  current: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  userAgent: Type.String(),
  ipAddress: Type.String(),
});
const SessionId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** Sign-up and log-in attempts per client address per window: enough for people, too few for guessing. */
export const AUTH_RATE_LIMIT = { max: 10, timeWindow: '1 minute' };

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };

function me(user: { id: string; email: string | null; name: string; roles: { role: string }[] }) {
  return { user: { id: user.id, email: user.email, name: user.name, roles: user.roles.map((r) => r.role), guest: user.email === null } };
}

const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** A fresh session for `userId`; the one the request came with (if any) ends, so a planted token is worth nothing. */
  async function startSession(request: FastifyRequest, reply: FastifyReply, userId: string): Promise<void> {
    if (request.session) await invalidateSession(app.db, request.session.id);
    const { token, expiresAt } = await createSession(app.db, userId, { userAgent: request.headers['user-agent'] ?? '', ipAddress: request.ip });
    app.setSessionCookie(reply, token, expiresAt);
  }

  app.post('/api/auth/signup', { schema: { body: SignUpBody, response: { 201: Me, ...errors } }, config: { rateLimit: AUTH_RATE_LIMIT } }, async (request, reply) => {
    const email = request.body.email.trim().toLowerCase();
    const passwordHash = await hashPassword(request.body.password);
    const name = request.body.name?.trim() ?? '';
    const current = request.session?.user;
    try {
      // A guest signing up keeps everything they practised: the account gets its email and password.
      const user =
        current && current.email === null
          ? await app.db.user.update({ where: { id: current.id }, data: { email, passwordHash, name }, include: { roles: true } })
          : await app.db.user.create({ data: { email, passwordHash, name, roles: { create: [{ role: 'seeker' }] } }, include: { roles: true } });
      await startSession(request, reply, user.id);
      return reply.status(201).send(me(user));
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') throw new HttpError(409, 'EMAIL_TAKEN', 'An account with this email exists already; log in instead');
      throw error;
    }
  });

  app.post('/api/auth/login', { schema: { body: LogInBody, response: { 200: Me, ...errors } }, config: { rateLimit: AUTH_RATE_LIMIT } }, async (request, reply) => {
    const user = await app.db.user.findUnique({ where: { email: request.body.email.trim().toLowerCase() }, include: { roles: true } });
    // One answer for a wrong password and an unknown email, in the same time.
    if (!(await verifyPassword(user?.passwordHash ?? null, request.body.password)) || !user) {
      throw new HttpError(401, 'INVALID_CREDENTIALS', 'That email and password do not match an account');
    }
    await startSession(request, reply, user.id);
    return me(user);
  });

  app.get('/api/auth/sessions', { schema: { response: { 200: Type.Object({ sessions: Type.Array(SessionInfo) }), ...errors } }, preHandler: app.requireUser }, async (request) => {
    const rows = await app.db.session.findMany({ where: { userId: request.session!.user.id, expiresAt: { gt: new Date() } }, orderBy: { createdAt: 'desc' } });
    return {
      sessions: rows.map((s) => ({ id: s.id, current: s.id === request.session!.id, createdAt: s.createdAt.toISOString(), expiresAt: s.expiresAt.toISOString(), userAgent: s.userAgent, ipAddress: s.ipAddress })),
    };
  });

  app.delete('/api/auth/sessions/:id', { schema: { params: SessionId, response: { 204: Type.Null(), ...errors } }, preHandler: app.requireUser }, async (request, reply) => {
    // Only my own: someone else's session is as unknown as a made-up one.
    const { count } = await app.db.session.deleteMany({ where: { id: request.params.id, userId: request.session!.user.id } });
    if (count === 0) throw new HttpError(404, 'SESSION_NOT_FOUND', 'No such session');
    if (request.params.id === request.session!.id) app.clearSessionCookie(reply);
    return reply.status(204).send(null);
  });

  app.post('/api/auth/sessions/revoke-others', { schema: { response: { 200: Type.Object({ revoked: Type.Number() }), ...errors } }, preHandler: app.requireUser }, async (request) => {
    const { count } = await app.db.session.deleteMany({ where: { userId: request.session!.user.id, id: { not: request.session!.id } } });
    return { revoked: count };
  });
};

export default accountRoutes;
