import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '@rehearse/core/config';
import { SESSION_COOKIE } from '@rehearse/protocol';
import { validateSessionToken, type ValidSession } from '../auth/sessions.ts';
import { HttpError } from './errors.ts';


declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route authenticates by other means than the session cookie (a Stripe signature), so other sites may call it. */
    crossSite?: boolean;
  }
  interface FastifyRequest {
    session: ValidSession | null;
  }
  interface FastifyInstance {
    /** preHandler: 401 unless a valid session is present. */
    requireUser: (request: FastifyRequest) => Promise<void>;
    /** preHandler: 401 without a session, 403 unless the user holds `role`. */
    requireRole: (role: 'mentor' | 'recruiter' | 'admin') => (request: FastifyRequest) => Promise<void>;
    setSessionCookie: (reply: FastifyReply, token: string, expiresAt: Date) => void;
    clearSessionCookie: (reply: FastifyReply) => void;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Reads the session cookie on every request, and refuses state-changing requests that a browser
 * sent from another site (Origin / Sec-Fetch-Site), which is what makes SameSite=Lax cookies safe.
 */
export default fp(
  async (app, { config }: { config: Config }) => {
    await app.register(cookie);
    const origin = new URL(config.publicUrl).origin;
    // Production insists on an https PUBLIC_URL (core/src/config.ts); Secure there regardless.
    const secure = config.env === 'production' || config.publicUrl.startsWith('https:');

    app.decorateRequest('session', null);
    app.addHook('onRequest', async (request) => {
      if (!SAFE_METHODS.has(request.method) && !request.routeOptions.config.crossSite) {
        const requestOrigin = request.headers.origin;
        const fetchSite = request.headers['sec-fetch-site'];
        const sameOrigin = requestOrigin === origin || (requestOrigin === undefined && (fetchSite === 'same-origin' || fetchSite === 'none'));
        if (!sameOrigin) throw new HttpError(403, 'CROSS_SITE_REQUEST', 'Cross-site request refused');
      }
      const token = request.cookies[SESSION_COOKIE];
      if (token) request.session = await validateSessionToken(app.db, token);
    });

    app.decorate('requireUser', async (request: FastifyRequest) => {
      if (!request.session) throw new HttpError(401, 'UNAUTHENTICATED', 'Sign in or start as a guest first');
    });
    app.decorate('requireRole', (role: 'mentor' | 'recruiter' | 'admin') => async (request: FastifyRequest) => {
      if (!request.session) throw new HttpError(401, 'UNAUTHENTICATED', 'Sign in first');
      if (!request.session.user.roles.includes(role)) throw new HttpError(403, role === 'mentor' ? 'NOT_A_MENTOR' : 'FORBIDDEN', role === 'mentor' ? 'Only approved mentors can do this' : `Only the ${role} role can do this`);
    });
    app.decorate('setSessionCookie', (reply: FastifyReply, token: string, expiresAt: Date) => {
      reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires: expiresAt });
    });
    app.decorate('clearSessionCookie', (reply: FastifyReply) => {
      reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
    });
  },
  { name: 'auth', dependencies: ['db', 'errors'] },
);
