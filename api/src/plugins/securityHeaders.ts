// Security headers on every response: helmet's defaults (Content-Security-Policy,
// Strict-Transport-Security, X-Content-Type-Options, frame, referrer and cross-origin policies).
//
// helmet's middleware is built once, here. @fastify/helmet (13.2) builds it again for every
// request; V8 tenures those per-request objects, and through them each request's headers and
// objects, so at 1,000 requests/s each young-generation collection took 7–13 ms instead of
// under 1 ms and the API's p99 carried those pauses (README, "API benchmark").
import fp from 'fastify-plugin';
import helmet from 'helmet';

export default fp(
  async (app) => {
    const setHeaders = helmet();
    app.addHook('onRequest', (request, reply, done) => setHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined)));
  },
  { name: 'security-headers' },
);
