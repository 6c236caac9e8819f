// Prep plans and the story bank: the signed-in user's own only.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AiStoryFeedback, ErrorBody, PlanInput, PlanPatch, PrepPlan, PrepPlanBody, ReminderInput, ReminderLinks, Story, StoryBody, StoryInput } from '@rehearse/protocol';
import type { ReminderService } from './reminders.ts';
import type { PrepService } from './service.ts';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const errors = { 400: ErrorBody, 401: ErrorBody, 402: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 429: ErrorBody, 502: ErrorBody };

const prepRoutes: FastifyPluginAsyncTypebox<{ prep: PrepService; reminders: ReminderService }> = async (app, { prep, reminders }) => {
  // The calendar feed and the unsubscribe link carry their own secret (calendar apps and mail
  // clients have no session); everything else is the signed-in user's own.
  const Token = Type.Object({ token: Type.String({ minLength: 16, maxLength: 100 }) }, { additionalProperties: false });
  app.get('/api/prep-plans/:id/calendar.ics', { schema: { params: Id, querystring: Token } }, async (request, reply) =>
    reply.type('text/calendar; charset=utf-8').header('cache-control', 'private, max-age=300').send(await reminders.feed(request.params.id, request.query.token)),
  );
  app.get('/api/prep-plans/:id/unsubscribe', { schema: { params: Id, querystring: Token } }, async (request, reply) => {
    await reminders.unsubscribe(request.params.id, request.query.token);
    return reply.type('text/plain; charset=utf-8').send('Reminders for this prep plan are off. Turn them on again on the plan’s page.');
  });

  app.addHook('preHandler', async (request) => {
    if (!request.routeOptions.url?.endsWith('/calendar.ics') && !request.routeOptions.url?.endsWith('/unsubscribe')) await app.requireUser(request);
  });
  const userId = (request: { session: { user: { id: string } } | null }) => request.session!.user.id;

  app.post(
    '/api/prep-plans',
    {
      bodyLimit: 64 * 1024,
      schema: { body: PlanInput, response: { 201: PrepPlanBody, ...errors } },
    },
    async (request, reply) => reply.status(201).send({ plan: await prep.create(userId(request), request.body) }),
  );
  app.get('/api/prep-plans', { schema: { response: { 200: Type.Object({ plans: Type.Array(PrepPlan) }), ...errors } } }, async (request) => ({ plans: await prep.list(userId(request)) }));
  app.get('/api/prep-plans/:id', { schema: { params: Id, response: { 200: PrepPlanBody, ...errors } } }, async (request) => ({ plan: await prep.view(userId(request), request.params.id) }));
  app.patch(
    '/api/prep-plans/:id',
    { schema: { params: Id, body: PlanPatch, response: { 200: PrepPlanBody, ...errors } } },
    async (request) => {
      const plan = await prep.update(userId(request), request.params.id, request.body);
      // A moved interview moves the reminders with it (from the plan's reminder settings).
      if (!request.body.interviewDate) return { plan };
      await reminders.reschedule(plan.id);
      return { plan: await prep.view(userId(request), plan.id) };
    },
  );
  app.delete('/api/prep-plans/:id', { schema: { params: Id } }, async (request, reply) => {
    await prep.remove(userId(request), request.params.id);
    return reply.status(204).send(null);
  });
  app.post(
    '/api/prep-plans/:id/items/:itemId/done',
    { schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }), itemId: Type.String({ format: 'uuid' }) }), body: Type.Object({ answerId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }), response: { 200: PrepPlanBody, ...errors } } },
    async (request) => ({ plan: await prep.complete(userId(request), request.params.id, request.params.itemId, request.body.answerId) }),
  );

  app.get('/api/stories', { schema: { response: { 200: Type.Object({ stories: Type.Array(Story) }), ...errors } } }, async (request) => ({ stories: await prep.stories(userId(request)) }));
  app.post('/api/stories', { schema: { body: StoryInput, response: { 201: StoryBody, ...errors } } }, async (request, reply) => reply.status(201).send({ story: await prep.createStory(userId(request), request.body) }));
  app.post(
    '/api/stories/:id/ai-feedback',
    { schema: { params: Id, response: { 200: Type.Object({ feedback: AiStoryFeedback }), ...errors } }, config: { rateLimit: { max: 10, timeWindow: 60 * 60 * 1000, keyGenerator: (request) => `story-ai:${request.session?.user.id ?? request.ip}` } } },
    async (request) => ({ feedback: await prep.aiStoryFeedback(userId(request), request.params.id) }),
  );
  app.get('/api/stories/:id', { schema: { params: Id, response: { 200: StoryBody, ...errors } } }, async (request) => ({ story: await prep.story(userId(request), request.params.id) }));
  app.put('/api/stories/:id', { schema: { params: Id, body: StoryInput, response: { 200: StoryBody, ...errors } } }, async (request) => ({ story: await prep.updateStory(userId(request), request.params.id, request.body) }));
  app.delete('/api/stories/:id', { schema: { params: Id } }, async (request, reply) => {
    await prep.removeStory(userId(request), request.params.id);
    return reply.status(204).send(null);
  });
  app.put(
    '/api/prep-plans/:id/reminders',
    { schema: { params: Id, body: ReminderInput, response: { 200: ReminderLinks, ...errors } } },
    async (request) => reminders.set(userId(request), request.params.id, request.body),
  );
};

export default prepRoutes;
