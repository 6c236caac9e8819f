// The question bank and my own questions: browse with filters and search, add and delete mine.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, NewQuestion, Question, QuestionQuery } from '@rehearse/protocol';
import { Type } from 'typebox';
import { presentQuestion, QuestionService } from './service.ts';

const QuestionId = Type.Object({ id: Type.String({ format: 'uuid' }) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

// The bank is public: a visitor reads it before deciding to practise (and becoming a guest).
const questionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const questions = new QuestionService(app.db);
  const userOf = (request: { session: { user: { id: string } } | null }) => request.session?.user.id ?? null;

  app.get('/api/questions', { schema: { querystring: QuestionQuery, response: { 200: Type.Object({ questions: Type.Array(Question) }), 400: ErrorBody } } }, async (request) => ({
    questions: await questions.list(userOf(request), request.query),
  }));

  app.get('/api/questions/:id', { schema: { params: QuestionId, response: { 200: Type.Object({ question: Question }), ...errors } } }, async (request) => {
    return { question: presentQuestion(await questions.visible(userOf(request), request.params.id), userOf(request)) };
  });

  app.post('/api/questions', { schema: { body: NewQuestion, response: { 201: Type.Object({ question: Question }), ...errors } }, preHandler: app.requireUser }, async (request, reply) => {
    return reply.status(201).send({ question: await questions.create(request.session!.user.id, request.body) });
  });

  app.delete('/api/questions/:id', { schema: { params: QuestionId, response: { 204: Type.Null(), ...errors } }, preHandler: app.requireUser }, async (request, reply) => {
    await questions.remove(request.session!.user.id, request.params.id);
    return reply.status(204).send(null);
  });
};

export default questionRoutes;
