// Recorded-answer reviews: a seeker asks a mentor (and pays), the mentor comments and delivers;
// both read it. Only the review's seeker and mentor see anything of it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AnswerReviewBody, AnswerReview, Binary, ErrorBody, PaymentLink, ReviewRating } from '@rehearse/protocol';
import { deliverTestEvent } from '../billing/testEvents.ts';
import type { Billing } from '../billing/stripe.ts';
import { BOOKING_LIMIT } from '../limits.ts';
import { HttpError } from '../plugins/errors.ts';
import type { AnswerReviewService } from './service.ts';

const Params = Type.Object({ id: Type.String({ format: 'uuid' }) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody, 502: ErrorBody };

const answerReviewRoutes: FastifyPluginAsyncTypebox<{ reviews: AnswerReviewService; billing: Billing }> = async (app, { reviews, billing }) => {
  app.addHook('preHandler', app.requireUser);
  const userId = (request: { session: { user: { id: string } } | null }) => request.session!.user.id;

  app.post(
    '/api/answer-reviews',
    {
      config: { rateLimit: { ...BOOKING_LIMIT, keyGenerator: (request) => `answer-reviews:${request.session?.user.id ?? request.ip}` } },
      schema: {
        body: Type.Object({ answerId: Type.String({ format: 'uuid' }), mentorId: Type.String({ format: 'uuid' }), priceCents: Type.Integer({ minimum: 0 }), request: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
        response: { 201: AnswerReviewBody, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send({ review: await reviews.request(userId(request), request.body) }),
  );
  app.get('/api/answer-reviews', { schema: { response: { 200: Type.Object({ reviews: Type.Array(AnswerReview) }), ...errors } } }, async (request) => ({ reviews: await reviews.list(userId(request)) }));
  app.get('/api/answer-reviews/:id', { schema: { params: Params, response: { 200: AnswerReviewBody, ...errors } } }, async (request) => ({ review: await reviews.view(userId(request), request.params.id) }));
  app.post('/api/answer-reviews/:id/checkout', { schema: { params: Params, response: { 200: PaymentLink, ...errors } } }, async (request) => ({
    url: await reviews.checkout(userId(request), request.params.id),
    testMode: billing.mode === 'test',
  }));
  app.post('/api/answer-reviews/:id/cancel', { schema: { params: Params, response: { 200: AnswerReviewBody, ...errors } } }, async (request) => ({ review: await reviews.cancel(userId(request), request.params.id) }));
  app.post(
    '/api/answer-reviews/:id/comments',
    { schema: { params: Params, body: Type.Object({ atMs: Type.Integer({ minimum: 0, maximum: 24 * 3600_000 }), text: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }) } },
    async (request, reply) => reply.status(201).send({ comment: await reviews.comment(userId(request), request.params.id, request.body) }),
  );
  app.post(
    '/api/answer-reviews/:id/deliver',
    {
      schema: {
        params: Params,
        body: Type.Object(
          {
            ratings: Type.Array(ReviewRating, { minItems: 1, maxItems: 12 }),
            summary: Type.String({ maxLength: 5000 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: AnswerReviewBody, ...errors },
      },
    },
    async (request) => ({ review: await reviews.deliver(userId(request), request.params.id, request.body) }),
  );
  app.get('/api/answer-reviews/:id/recording', { schema: { params: Params, response: { 200: Binary, ...errors } } }, async (request, reply) => {
    const { key, contentType } = await reviews.recording(userId(request), request.params.id);
    return app.sendObject(request, reply, { key, contentType });
  });

  // The local test mode: payment completes through a locally signed event, as for calls.
  app.post('/api/answer-reviews/:id/test-checkout/complete', { schema: { params: Params, response: { 200: AnswerReviewBody, ...errors } } }, async (request) => {
    if (billing.mode !== 'test') throw new HttpError(404, 'NOT_FOUND', 'Payments run on Stripe here');
    const id = request.params.id;
    await reviews.checkout(userId(request), id);
    await deliverTestEvent(app, billing, 'checkout.session.completed', {
      id: `cs_test_${crypto.randomUUID().replaceAll('-', '')}`,
      object: 'checkout.session',
      mode: 'payment',
      payment_status: 'paid',
      subscription: null,
      payment_intent: `pi_test_${crypto.randomUUID().replaceAll('-', '')}`,
      metadata: { answerReviewId: id, userId: userId(request), testMode: 'true' },
    });
    return { review: await reviews.view(userId(request), id) };
  });
};

export default answerReviewRoutes;
