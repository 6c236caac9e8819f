// Accounts: sign up (a guest keeps their answers), verify the email address, log in, reset a
// forgotten password, and my sessions (list, revoke).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Me, SessionInfo } from '@rehearse/protocol';
import { createSession, invalidateSession } from '../auth/sessions.ts';
import { ErrorBody, HttpError } from '../plugins/errors.ts';
import type { Mailer } from '../mail/mailer.ts';
import { createEmailToken, useEmailToken } from './emailTokens.ts';
import { ACCOUNT_LOGIN_LIMIT, ACCOUNT_RESET_LIMIT, AUTH_RATE_LIMIT } from '../limits.ts';
import { hashPassword, PASSWORD_MAX, PASSWORD_MIN, verifyPassword } from './passwords.ts';

const Email = Type.String({ format: 'email', maxLength: 254 });
const Password = Type.String({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX });
const SignUpBody = Type.Object({ email: Email, password: Password, name: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false });
const LogInBody = Type.Object({ email: Email, password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX }) }, { additionalProperties: false });
const SessionId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const TokenBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
const ResetRequestBody = Type.Object({ email: Email }, { additionalProperties: false });
const ResetBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }), password: Password }, { additionalProperties: false });
const Accepted = Type.Object({ message: Type.String() });

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };

function me(user: { id: string; email: string | null; emailVerifiedAt: Date | null; name: string; roles: { role: string }[] }) {
  return { user: { id: user.id, email: user.email, emailVerified: user.emailVerifiedAt !== null, name: user.name, roles: user.roles.map((r) => r.role), guest: user.email === null } };
}

const normalEmail = (email: string) => email.trim().toLowerCase();

const accountRoutes: FastifyPluginAsyncTypebox<{ mailer: Mailer; publicUrl: string }> = async (app, { mailer, publicUrl }) => {
  const link = (path: string, token: string) => `${new URL(path, publicUrl).href}?token=${token}`;
  const loginFailures = app.createRateLimit({ ...ACCOUNT_LOGIN_LIMIT, keyGenerator: (request) => `login:${normalEmail((request.body as { email: string }).email)}` });
  const resetMails = app.createRateLimit({ ...ACCOUNT_RESET_LIMIT, keyGenerator: (request) => `reset:${normalEmail((request.body as { email: string }).email)}` });
  /** Whether a limit is used up (`read` counts what was, an increment what is now). */
  const usedUp = (result: Awaited<ReturnType<typeof loginFailures>>, counted: boolean): result is Extract<typeof result, { isAllowed: false }> =>
    !result.isAllowed && (counted ? result.isExceeded : result.remaining === 0);
  const tooMany = (what: string, ttlMs: number) => new HttpError(429, 'RATE_LIMITED', `Too many ${what}; try again in ${Math.ceil(ttlMs / 60_000)} min`);

  /**
   * Mails the address a link that proves it is theirs, after the reply (a slow mail server must
   * not hold up sign-up). A failure is logged; the account stands and the link can be sent again.
   */
  function sendVerification(user: { id: string; email: string; name: string }): void {
    app.background('verification mail', async () => {
      const token = await createEmailToken(app.db, { userId: user.id, email: user.email, purpose: 'verify_email' });
      const text = `Hello${user.name ? ` ${user.name}` : ''},\n\nPlease confirm your email address for Rehearse:\n\n${link('/verify-email', token)}\n\nThe link works for 48 hours. If you did not sign up, ignore this mail.\n`;
      await mailer.send({ to: user.email, subject: 'Confirm your email address', text });
    });
  }

  /** A fresh session for `userId`; the one the request came with (if any) ends, so a planted token is worth nothing. */
  async function startSession(request: FastifyRequest, reply: FastifyReply, userId: string): Promise<void> {
    if (request.session) await invalidateSession(app.db, request.session.id);
    const { token, expiresAt } = await createSession(app.db, userId, { userAgent: request.headers['user-agent'] ?? '', ipAddress: request.ip });
    app.setSessionCookie(reply, token, expiresAt);
  }

  app.post('/api/auth/signup', { schema: { body: SignUpBody, response: { 201: Me, ...errors } }, config: { rateLimit: AUTH_RATE_LIMIT } }, async (request, reply) => {
    const email = normalEmail(request.body.email);
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
      sendVerification({ id: user.id, email, name });
      return reply.status(201).send(me(user));
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') throw new HttpError(409, 'EMAIL_TAKEN', 'An account with this email exists already; log in instead');
      throw error;
    }
  });

  app.post('/api/auth/login', { schema: { body: LogInBody, response: { 200: Me, ...errors } }, config: { rateLimit: AUTH_RATE_LIMIT } }, async (request, reply) => {
    const locked = await loginFailures(request, { increment: false });
    if (usedUp(locked, false)) throw tooMany('failed log-ins for this account', locked.ttl);
    const user = await app.db.user.findUnique({ where: { email: normalEmail(request.body.email) }, include: { roles: true } });
    // One answer for a wrong password and an unknown email, in the same time.
    if (!(await verifyPassword(user?.passwordHash ?? null, request.body.password)) || !user) {
      await loginFailures(request);
      throw new HttpError(401, 'INVALID_CREDENTIALS', 'That email and password do not match an account');
    }
    // Said only to someone who knows the password.
    if (user.suspendedAt) throw new HttpError(403, 'ACCOUNT_SUSPENDED', 'This account is suspended; write to support if you think this is a mistake');
    await startSession(request, reply, user.id);
    return me(user);
  });

  app.post('/api/auth/verify-email', { schema: { body: TokenBody, response: { 200: Me, ...errors } } }, async (request) => {
    const used = await useEmailToken(app.db, request.body.token, 'verify_email');
    const user = used && (await app.db.user.findUnique({ where: { id: used.userId }, include: { roles: true } }));
    // The link proves the address it was sent to, which must still be the account's.
    if (!used || !user || user.email !== used.email) throw new HttpError(400, 'TOKEN_INVALID', 'This link is not valid any more; ask for a new one');
    const verified = user.emailVerifiedAt ? user : await app.db.user.update({ where: { id: user.id }, data: { emailVerifiedAt: new Date() }, include: { roles: true } });
    return me(verified);
  });

  app.post('/api/auth/verify-email/resend', { schema: { response: { 202: Accepted, ...errors } }, preHandler: app.requireUser, config: { rateLimit: AUTH_RATE_LIMIT } }, async (request, reply) => {
    const { user } = request.session!;
    if (!user.email) throw new HttpError(409, 'NO_EMAIL', 'Sign up with an email address first');
    if (user.emailVerified) throw new HttpError(409, 'ALREADY_VERIFIED', 'This email address is confirmed already');
    sendVerification({ id: user.id, email: user.email, name: user.name });
    return reply.status(202).send({ message: `A new link is on its way to ${user.email}` });
  });

  app.post('/api/auth/password-reset/request', { schema: { body: ResetRequestBody, response: { 202: Accepted, ...errors } }, config: { rateLimit: AUTH_RATE_LIMIT } }, async (request, reply) => {
    const email = normalEmail(request.body.email);
    const limit = await resetMails(request);
    if (usedUp(limit, true)) throw tooMany('reset requests for this address', limit.ttl);
    // Everything that depends on whether the address has an account happens after the reply, so
    // neither the answer nor its timing tells.
    app.background('password reset mail', async () => {
      const user = await app.db.user.findUnique({ where: { email } });
      if (!user) return;
      const token = await createEmailToken(app.db, { userId: user.id, email, purpose: 'reset_password' });
      const text = `Someone (we hope you) asked to reset the Rehearse password for ${email}:\n\n${link('/reset-password', token)}\n\nThe link works for one hour, once. If it was not you, ignore this mail: your password stays as it is.\n`;
      await mailer.send({ to: email, subject: 'Reset your password', text });
    });
    // The same answer whether or not the address has an account: this is not a way to find out.
    return reply.status(202).send({ message: `If ${email} has an account, a link to reset its password is on its way` });
  });

  app.post('/api/auth/password-reset', { schema: { body: ResetBody, response: { 200: Me, ...errors } }, config: { rateLimit: AUTH_RATE_LIMIT } }, async (request, reply) => {
    const used = await useEmailToken(app.db, request.body.token, 'reset_password');
    const user = used && (await app.db.user.findUnique({ where: { id: used.userId } }));
    if (!used || !user || user.email !== used.email) throw new HttpError(400, 'TOKEN_INVALID', 'This link is not valid any more; ask for a new one');
    const passwordHash = await hashPassword(request.body.password);
    // Every session ends (whoever knew the old password is out), and so does every other reset
    // link (an older mail someone else may have read); the link also proves the address.
    const [, , updated] = await app.db.$transaction([
      app.db.session.deleteMany({ where: { userId: user.id } }),
      app.db.emailToken.updateMany({ where: { userId: user.id, purpose: 'reset_password', usedAt: null }, data: { usedAt: new Date() } }),
      app.db.user.update({ where: { id: user.id }, data: { passwordHash, emailVerifiedAt: user.emailVerifiedAt ?? new Date() }, include: { roles: true } }),
    ]);
    request.session = null;
    await startSession(request, reply, user.id);
    return me(updated);
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
