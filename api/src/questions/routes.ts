import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Question } from '@rehearse/protocol';

// The question bank is public: a visitor reads it before deciding to practise (and becoming a guest).
const questionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/questions', { schema: { response: { 200: Type.Object({ questions: Type.Array(Question) }) } } }, async () => {
    const questions = await app.db.question.findMany({ orderBy: { slug: 'asc' } });
    return { questions: questions.map(({ id, slug, text, framework, competency }) => ({ id, slug, text, framework, competency })) };
  });
};

export default questionRoutes;
