// Reporting (any signed-in user): a profile, a review, a recruiter's feedback, a user, or — by its
// token, since viewers never see a link's id — a shared item.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody, ModerationReportInput, ModerationReportOut } from '@rehearse/protocol';
import { MODERATION_REPORT_LIMIT } from '../limits.ts';
import type { ShareService } from '../shares/service.ts';
import type { ModerationService } from './service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 410: ErrorBody, 429: ErrorBody };
const perUser = { ...MODERATION_REPORT_LIMIT, keyGenerator: (request: { session: { user: { id: string } } | null; ip: string }) => `report:${request.session?.user.id ?? request.ip}` };

const moderationRoutes: FastifyPluginAsyncTypebox<{ moderation: ModerationService; shares: ShareService }> = async (app, { moderation, shares }) => {
  app.addHook('preHandler', app.requireUser);
  app.post('/api/reports', { schema: { body: ModerationReportInput, response: { 201: Type.Object({ report: ModerationReportOut }), ...errors } }, config: { rateLimit: perUser } }, async (request, reply) =>
    reply.status(201).send({ report: await moderation.report(request, request.body) }),
  );
  app.post(
    '/api/s/:token/report',
    { schema: { params: Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) }), body: Type.Omit(ModerationReportInput, ['targetType', 'targetId']), response: { 201: Type.Object({ report: ModerationReportOut }), ...errors } }, config: { rateLimit: perUser } },
    async (request, reply) => {
      const link = await shares.usable(request.params.token, request.session);
      return reply.status(201).send({ report: await moderation.report(request, { ...request.body, targetType: 'share_link', targetId: link.id }) });
    },
  );
};

export default moderationRoutes;
