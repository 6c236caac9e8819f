// The media server's internal routes refuse every caller without the internal token, however the
// URL is spelled: percent-encoded letters, doubled slashes, dot segments, other cases, a trailing
// slash. Requests go over a real socket, as an attacker's would (fetch would normalise the path).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signMediaToken } from '@rehearse/core/media-token';
import type { PrismaClient } from '@rehearse/db';
import type { AnswerSessions } from './answers/AnswerSessions.ts';
import { internalRoutes } from './internal-routes.ts';

const SECRET = 'internal-test-secret-internal-test-secret';
const ANSWER = '0194f2b6-7c1e-7000-8000-000000000001';

function raw(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode!, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('internal routes', () => {
  let app: FastifyInstance;
  let port: number;
  const stopped: string[] = [];

  beforeAll(async () => {
    // The same router settings as media/src/server.ts (Fastify's defaults), and a public route beside
    // the internal ones, as there: the check must not depend on how routes are registered around it.
    app = Fastify();
    app.get('/health', async () => ({ ok: true }));
    const answers = { stop: async (id: string) => (stopped.push(id), true) } as unknown as AnswerSessions;
    await app.register(internalRoutes, { answers, db: {} as PrismaClient, tokenSecret: SECRET });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await app.close();
  });

  it.each([
    `/internal/answers/${ANSWER}/stop`,
    `/%69nternal/answers/${ANSWER}/stop`,
    `/%69%6E%74%65%72%6E%61%6C/answers/${ANSWER}/stop`,
    `/internal/%61nswers/${ANSWER}/stop`,
    `/internal/answers/${ANSWER}/%73top`,
    `//internal/answers/${ANSWER}/stop`,
    `/internal//answers/${ANSWER}/stop`,
    `/./internal/answers/${ANSWER}/stop`,
    `/health/../internal/answers/${ANSWER}/stop`,
    `/%2finternal/answers/${ANSWER}/stop`,
    `/INTERNAL/answers/${ANSWER}/stop`,
    `/internal/answers/${ANSWER}/stop/`,
    `/internal/answers/${ANSWER}/stop?x=1`,
    `/internal/answers/${ANSWER}/stop#frag`,
  ])('refuses %s without the token and never stops the answer', async (path) => {
    const response = await raw(port, path);
    expect(response.status, `${path}: ${response.body}`).not.toBe(200);
    expect([401, 404]).toContain(response.status);
    const forged = await raw(port, path, { authorization: `Bearer ${await signMediaToken({ purpose: 'internal' }, 'some-other-secret-some-other-secret-00')}` });
    expect(forged.status).not.toBe(200);
    expect(stopped).toEqual([]);
  });

  it('refuses a join token in place of an internal one, and accepts the real thing', async () => {
    const join = await signMediaToken({ purpose: 'join', userId: 'u', roomId: ANSWER, role: 'candidate', answerId: ANSWER, mediaUrl: 'ws://x' }, SECRET);
    expect((await raw(port, `/internal/answers/${ANSWER}/stop`, { authorization: `Bearer ${join}` })).status).toBe(401);
    expect(stopped).toEqual([]);
    const internal = await signMediaToken({ purpose: 'internal' }, SECRET, { ttlSeconds: 60 });
    const response = await raw(port, `/%69nternal/answers/${ANSWER}/stop`, { authorization: `Bearer ${internal}` });
    expect(response.status, response.body).toBe(200);
    expect(stopped).toEqual([ANSWER]);
  });
});
