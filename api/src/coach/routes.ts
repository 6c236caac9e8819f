// The coach's routes: AI feedback on an answer (asked for, listed, followed as server-sent
// events), the interviewer's follow-up, and question sets for a role and job description.
import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Config } from '@rehearse/core/config';
import { AiFeedbackBody, AiFeedbackList, AnswerId, ErrorBody, FeedbackParams, FollowUpBody, NewQuestionSet, QuestionSet, QuestionSetBody } from '@rehearse/protocol';
import { COACH_LIMITS } from '../limits.ts';
import { FeedbackService, type FeedbackEvent } from './feedback.ts';
import { FollowUpService } from './followUp.ts';
import { createAi } from './openai.ts';
import { QuestionSetService } from './questionSets.ts';

/** A comment line every so often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

const coachRoutes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const ai = createAi(config.ai);
  const feedback = new FeedbackService({ db: app.db, ai, log: app.log, timeoutMs: config.ai.timeoutMs, maxRetries: config.ai.maxRetries });
  const followUps = new FollowUpService({ db: app.db, ai, log: app.log });
  const questionSets = new QuestionSetService({ db: app.db, ai, log: app.log });
  app.addHook('onClose', () => feedback.close());
  app.addHook('preHandler', app.requireUser);
  const errors = { 400: ErrorBody, 401: ErrorBody, 402: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody, 429: ErrorBody };
  const userId = (request: { session: { user: { id: string } } | null }) => request.session!.user.id;

  app.get('/api/answers/:id/feedback', { schema: { params: AnswerId, response: { 200: AiFeedbackList, ...errors } } }, async (request) => feedback.list(userId(request), request.params.id));

  app.post(
    '/api/answers/:id/feedback',
    { schema: { params: AnswerId, response: { 200: AiFeedbackBody, 201: AiFeedbackBody, ...errors } }, config: { rateLimit: { ...COACH_LIMITS.feedback, keyGenerator: (request) => `feedback:${request.session?.user.id ?? request.ip}` } } },
    async (request, reply) => {
      const { feedback: body, created } = await feedback.request(userId(request), request.params.id);
      return reply.status(created ? 201 : 200).send({ feedback: body });
    },
  );

  // Server-sent events: `text` (all so far), `delta` (each new piece of the JSON report), `done` (the saved feedback).
  app.get('/api/answers/:id/feedback/:feedbackId/stream', { schema: { params: FeedbackParams, response: { 200: Type.Unknown({ description: 'text/event-stream' }), ...errors } } }, async (request, reply) => {
    const body = new PassThrough();
    const send = (event: FeedbackEvent) => {
      const { type, ...data } = event;
      body.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
      if (type === 'done') body.end();
    };
    const unsubscribe = await feedback.follow(userId(request), request.params.id, request.params.feedbackId, send);
    const heartbeat = setInterval(() => body.write(': still writing\n\n'), HEARTBEAT_MS);
    const stop = () => {
      clearInterval(heartbeat);
      unsubscribe();
    };
    body.on('close', stop);
    request.raw.on('close', () => body.destroy());
    return reply
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-store, no-transform')
      .header('x-accel-buffering', 'no')
      .send(body);
  });

  app.post('/api/answers/:id/follow-up', { schema: { params: AnswerId, response: { 200: FollowUpBody, ...errors } } }, async (request) => ({
    followUp: await followUps.forAnswer(userId(request), request.params.id),
  }));

  app.get('/api/question-sets', { schema: { response: { 200: Type.Object({ questionSets: Type.Array(QuestionSet) }), ...errors } } }, async (request) => ({
    questionSets: await questionSets.list(userId(request)),
  }));

  app.post(
    '/api/question-sets',
    {
      // A pasted job description is a few KB; 1 MB of it is a mistake or an attack.
      bodyLimit: COACH_LIMITS.questionSetBodyBytes,
      schema: { body: NewQuestionSet, response: { 200: QuestionSetBody, 201: QuestionSetBody, ...errors } },
      config: { rateLimit: { ...COACH_LIMITS.questionSets, keyGenerator: (request) => `question-sets:${request.session?.user.id ?? request.ip}` } },
    },
    async (request, reply) => {
      const questionSet = await questionSets.create(userId(request), request.body);
      return reply.status(questionSet.cached ? 200 : 201).send({ questionSet });
    },
  );
};

export default coachRoutes;
