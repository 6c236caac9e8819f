// Prep plans and the story bank: the signed-in user's own only.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ReminderService } from './reminders.ts';
import type { PrepService } from './service.ts';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Tag = Type.String({ minLength: 1, maxLength: 40, pattern: '^[^<>]+$' });
const Weekdays = Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { maxItems: 7 });
/** A job description is a few pages at most. */
const JOB_DESCRIPTION_MAX = 20_000;
const StoryBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 120 }),
    framework: Type.Union([Type.Literal('star'), Type.Literal('carl'), Type.Literal('soar')]),
    fields: Type.Record(Type.String({ maxLength: 20 }), Type.String({ maxLength: 3000 })),
    competencies: Type.Array(Tag, { maxItems: 8 }),
  },
  { additionalProperties: false },
);

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
      schema: {
        body: Type.Object(
          {
            role: Type.String({ minLength: 1, maxLength: 120 }),
            company: Type.Optional(Type.String({ maxLength: 120 })),
            interviewDate: Type.String({ format: 'date' }),
            competencies: Type.Optional(Type.Array(Tag, { maxItems: 8 })),
            jobDescription: Type.Optional(Type.String({ maxLength: JOB_DESCRIPTION_MAX })),
            perDay: Type.Optional(Type.Integer({ minimum: 1, maximum: 6 })),
            weekdays: Type.Optional(Weekdays),
            timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => reply.status(201).send({ plan: await prep.create(userId(request), request.body) }),
  );
  app.get('/api/prep-plans', async (request) => ({ plans: await prep.list(userId(request)) }));
  app.get('/api/prep-plans/:id', { schema: { params: Id } }, async (request) => ({ plan: await prep.view(userId(request), request.params.id) }));
  app.patch(
    '/api/prep-plans/:id',
    { schema: { params: Id, body: Type.Object({ interviewDate: Type.Optional(Type.String({ format: 'date' })), perDay: Type.Optional(Type.Integer({ minimum: 1, maximum: 6 })), weekdays: Type.Optional(Weekdays) }, { additionalProperties: false }) } },
    async (request) => ({ plan: await prep.update(userId(request), request.params.id, request.body) }),
  );
  app.delete('/api/prep-plans/:id', { schema: { params: Id } }, async (request, reply) => {
    await prep.remove(userId(request), request.params.id);
    return reply.status(204).send(null);
  });
  app.post(
    '/api/prep-plans/:id/items/:itemId/done',
    { schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }), itemId: Type.String({ format: 'uuid' }) }), body: Type.Object({ answerId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }) } },
    async (request) => ({ plan: await prep.complete(userId(request), request.params.id, request.params.itemId, request.body.answerId) }),
  );

  app.get('/api/stories', async (request) => ({ stories: await prep.stories(userId(request)) }));
  app.post('/api/stories', { schema: { body: StoryBody } }, async (request, reply) => reply.status(201).send({ story: await prep.createStory(userId(request), request.body) }));
  app.post(
    '/api/stories/:id/ai-feedback',
    { schema: { params: Id }, config: { rateLimit: { max: 10, timeWindow: 60 * 60 * 1000, keyGenerator: (request) => `story-ai:${request.session?.user.id ?? request.ip}` } } },
    async (request) => ({ feedback: await prep.aiStoryFeedback(userId(request), request.params.id) }),
  );
  app.get('/api/stories/:id', { schema: { params: Id } }, async (request) => ({ story: await prep.story(userId(request), request.params.id) }));
  app.put('/api/stories/:id', { schema: { params: Id, body: StoryBody } }, async (request) => ({ story: await prep.updateStory(userId(request), request.params.id, request.body) }));
  app.delete('/api/stories/:id', { schema: { params: Id } }, async (request, reply) => {
    await prep.removeStory(userId(request), request.params.id);
    return reply.status(204).send(null);
  });
  app.put(
    '/api/prep-plans/:id/reminders',
    { schema: { params: Id, body: Type.Object({ minute: Type.Union([Type.Null(), Type.Integer({ minimum: 0, maximum: 24 * 60 - 1 })]), days: Weekdays }, { additionalProperties: false }) } },
    async (request) => reminders.set(userId(request), request.params.id, request.body),
  );
};

export default prepRoutes;
