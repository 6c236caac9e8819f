import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody } from '../plugins/errors.ts';
import { Question } from '../answers/schemas.ts';

const questionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/questions', { schema: { response: { 200: Type.Object({ questions: Type.Array(Question) }), 401: ErrorBody } }, preHandler: app.requireUser }, async () => {
    const questions = await app.db.question.findMany({ orderBy: { slug: 'asc' } });
    return { questions: questions.map(({ id, slug, text, framework, competency }) => ({ id, slug, text, framework, competency })) };
  });
};

export default questionRoutes;
