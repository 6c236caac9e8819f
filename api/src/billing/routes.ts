// Plans (public) and my usage against my plan's limits.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody } from '../plugins/errors.ts';
import { PLANS, planOf, usageOf } from './plans.ts';

const Limits = Type.Object({ practiceMinutesPerMonth: Type.Number(), recordingsKept: Type.Number(), aiFeedbackPerMonth: Type.Number(), activeShareLinks: Type.Number() });
const PlanBody = Type.Object({ id: Type.String(), name: Type.String(), audience: Type.String(), priceMonthlyCents: Type.Number(), limits: Limits });

const billingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/billing/plans', { schema: { response: { 200: Type.Object({ plans: Type.Array(PlanBody) }) } } }, async () => ({ plans: Object.values(PLANS) }));

  app.get(
    '/api/billing/usage',
    { schema: { response: { 200: Type.Object({ plan: PlanBody, usage: Type.Object({ practiceMinutes: Type.Number(), recordingsKept: Type.Number() }) }), 401: ErrorBody } }, preHandler: app.requireUser },
    async (request) => {
      const userId = request.session!.user.id;
      const [plan, usage] = await Promise.all([planOf(app.db, userId), usageOf(app.db, userId)]);
      return { plan, usage };
    },
  );
};

export default billingRoutes;
