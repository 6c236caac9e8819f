// Endpoints the API calls on this media server. Not for browsers, though browsers reach this
// port for signaling: each call carries a short-lived internal token signed with the shared
// MEDIA_TOKEN_SECRET. The check is a hook of this plugin's own encapsulated context, so it runs
// for exactly the routes below, whatever spelling of the URL the router matched (a check on the
// raw URL missed `/%69nternal/…`, which the router decodes to `/internal/…`).
import type { FastifyInstance } from 'fastify';
import { MediaTokenError, verifyMediaToken } from '@rehearse/core/media-token';
import type { PrismaClient } from '@rehearse/db';
import type { AnswerSessions } from './answers/AnswerSessions.ts';

export async function internalRoutes(app: FastifyInstance, { answers, db, tokenSecret }: { answers: AnswerSessions; db: PrismaClient; tokenSecret: string }): Promise<void> {
  app.addHook('onRequest', async (request, reply) => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    try {
      if (!token) throw new MediaTokenError('TOKEN_INVALID', 'missing internal token');
      await verifyMediaToken(token, tokenSecret, 'internal');
    } catch (error) {
      const code = error instanceof MediaTokenError ? error.code : 'TOKEN_INVALID';
      return reply.status(401).send({ error: { code, message: 'internal endpoint: valid internal token required' } });
    }
  });

  app.post<{ Params: { id: string } }>(
    '/internal/answers/:id/stop',
    { schema: { params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] } } },
    async (request) => {
      const { id } = request.params;
      if (!(await answers.stop(id))) {
        // Never joined here (or already finished): an answer that never got media ends as failed.
        await db.answer.updateMany({ where: { id, status: 'created' }, data: { status: 'failed', stoppedAt: new Date(), recordingNote: 'No media reached the server before the answer ended.' } });
      }
      return { ok: true };
    },
  );
}
