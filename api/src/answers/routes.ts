import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Config } from '@rehearse/core/config';
import { ANSWER_START_LIMIT } from '../limits.ts';
import { ErrorBody, HttpError } from '../plugins/errors.ts';
import { AnswerBody, AnswerId, AnswerList, AnswerListQuery, Binary, Playback, ReportBody, StartAnswerBody, StartedAnswer } from '@rehearse/protocol';
import { presentFeedback } from '../coach/feedback.ts';
import { answerScorecard } from '../scorecards/pdf.ts';
import { answerScorecardInput, sendPdf } from '../scorecards/inputs.ts';
import { AnswerService, presentAnswer } from './service.ts';

const answerRoutes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const answers = new AnswerService({ db: app.db, s3: app.s3, bucket: app.bucket, config, deletePrefix: app.deletePrefix });
  const errors = { 400: ErrorBody, 401: ErrorBody, 402: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 502: ErrorBody };
  app.addHook('preHandler', app.requireUser);

  // Starts per user (and per client address, for someone cycling through guest accounts).
  const startsPerClient = app.createRateLimit({ ...ANSWER_START_LIMIT, max: ANSWER_START_LIMIT.max * 3 });
  app.post('/api/answers', { schema: { body: StartAnswerBody, response: { 201: StartedAnswer, ...errors, 429: ErrorBody } }, config: { rateLimit: { ...ANSWER_START_LIMIT, keyGenerator: (request) => `user:${request.session?.user.id ?? request.ip}` } } }, async (request, reply) => {
    const perClient = await startsPerClient(request);
    if (!perClient.isAllowed && perClient.isExceeded) throw new HttpError(429, 'RATE_LIMITED', `Too many answers started from this address; try again in ${perClient.ttlInSeconds} s`);
    const { questionId, ...link } = request.body;
    return reply.status(201).send(await answers.start(request.session!.user.id, questionId, link));
  });

  app.get('/api/answers', { schema: { querystring: AnswerListQuery, response: { 200: AnswerList, ...errors } } }, async (request) => {
    return answers.list(request.session!.user.id, request.query);
  });

  app.delete('/api/answers/:id', { schema: { params: AnswerId, response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    await answers.remove(request.session!.user.id, request.params.id);
    return reply.status(204).send(null);
  });

  app.get('/api/answers/:id', { schema: { params: AnswerId, response: { 200: AnswerBody, ...errors } } }, async (request) => {
    return { answer: presentAnswer(await answers.owned(request.session!.user.id, request.params.id)) };
  });

  app.post('/api/answers/:id/join', { schema: { params: AnswerId, response: { 200: StartedAnswer, ...errors } } }, async (request) => {
    return answers.rejoin(request.session!.user.id, request.params.id);
  });

  app.post('/api/answers/:id/stop', { schema: { params: AnswerId, response: { 200: AnswerBody, ...errors } } }, async (request) => {
    return { answer: await answers.stop(request.session!.user.id, request.params.id) };
  });

  app.post('/api/answers/:id/keep', { schema: { params: AnswerId, response: { 200: AnswerBody, ...errors } } }, async (request) => {
    return { answer: await answers.keep(request.session!.user.id, request.params.id) };
  });

  app.get('/api/answers/:id/report', { schema: { params: AnswerId, response: { 200: ReportBody, ...errors } } }, async (request) => {
    return { report: await answers.report(request.session!.user.id, request.params.id) };
  });

  app.get('/api/answers/:id/playback', { schema: { params: AnswerId, response: { 200: Playback, ...errors } } }, async (request) => {
    return answers.playback(request.session!.user.id, request.params.id);
  });

  // A printable scorecard: question, figures, STAR, the latest feedback (AI when there is one), a transcript excerpt.
  app.get('/api/answers/:id/scorecard.pdf', { schema: { params: AnswerId, response: { 200: Binary, ...errors } } }, async (request, reply) => {
    const userId = request.session!.user.id;
    const answer = presentAnswer(await answers.owned(userId, request.params.id));
    const [report, ai, user] = await Promise.all([
      answers.report(userId, answer.id),
      app.db.answerFeedback.findFirst({ where: { answerId: answer.id, status: 'complete' }, orderBy: { createdAt: 'desc' } }),
      app.db.user.findUniqueOrThrow({ where: { id: userId }, select: { timezone: true } }),
    ]);
    const pdf = await answerScorecard(answerScorecardInput({ answer, report, ai: ai ? presentFeedback(ai, false) : null, timeZone: user.timezone }));
    return sendPdf(reply, pdf, `rehearse-answer-${answer.createdAt.slice(0, 10)}.pdf`);
  });

  // The recording itself, through the product's origin: range requests for seeking, owner only.
  app.get('/api/answers/:id/recording', { schema: { params: AnswerId, response: { 200: Binary, 206: Binary, 304: Type.Null(), 416: ErrorBody, ...errors } } }, async (request, reply) => {
    const object = await answers.recordingObject(request.session!.user.id, request.params.id);
    return app.sendObject(request, reply, object);
  });
};

export default answerRoutes;
