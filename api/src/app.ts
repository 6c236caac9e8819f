import Fastify from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '@rehearse/core/config';
import type { Logger } from '@rehearse/core/logger';
import { RequestLog } from '@rehearse/core/request-log';
import accountRoutes from './accounts/routes.ts';
import adminRoutes from './admin/routes.ts';
import { AnswerService } from './answers/service.ts';
import discoveryRoutes from './discovery/routes.ts';
import { DiscoveryService } from './discovery/service.ts';
import interviewRoutes from './interviews/routes.ts';
import { InterviewService } from './interviews/service.ts';
import moderationRoutes from './moderation/routes.ts';
import { ModerationService } from './moderation/service.ts';
import { RetentionService } from './retention/service.ts';
import shareRoutes from './shares/routes.ts';
import { ShareService } from './shares/service.ts';
import answerReviewRoutes from './answerReviews/routes.ts';
import { AnswerReviewService } from './answerReviews/service.ts';
import answerRoutes from './answers/routes.ts';
import authRoutes from './auth/routes.ts';
import billingRoutes from './billing/routes.ts';
import { createBookingPayments } from './bookings/payments.ts';
import bookingRoutes from './bookings/routes.ts';
import { BookingService } from './bookings/service.ts';
import callRoutes from './calls/routes.ts';
import { CallService } from './calls/service.ts';
import coachRoutes from './coach/routes.ts';
import { createBilling } from './billing/stripe.ts';
import healthRoutes from './health/routes.ts';
import meRoutes from './me/routes.ts';
import mentorRoutes from './mentors/routes.ts';
import { MentorService } from './mentors/service.ts';
import mockRoutes from './mocks/routes.ts';
import progressRoutes from './progress/routes.ts';
import prepRoutes from './prep/routes.ts';
import { createAi } from './coach/openai.ts';
import { QuestionSetService } from './coach/questionSets.ts';
import { ReminderService } from './prep/reminders.ts';
import { PrepService } from './prep/service.ts';
import { createMailer } from './mail/mailer.ts';
import mailRoutes from './mail/routes.ts';
import background from './plugins/background.ts';
import jobs, { type JobsOptions } from './plugins/jobs.ts';
import metrics from './plugins/metrics.ts';
import auth from './plugins/auth.ts';
import { loadQuestionBank } from './questions/bank.ts';
import questionRoutes from './questions/routes.ts';
import db from './plugins/db.ts';
import { postgresRateLimitStore } from './plugins/rateLimitStore.ts';
import errors, { HttpError } from './plugins/errors.ts';
import securityHeaders from './plugins/securityHeaders.ts';
import storage from './plugins/storage.ts';

export interface AppOptions {
  config: Config;
  /** Resolved by the launcher: the embedded server's URL or the configured one. */
  databaseUrl: string;
  storageEndpoint: string;
  logger: Logger;
  /** The job queue's clock and poll interval (tests drive time with pg-boss's TestClock). */
  jobs?: Pick<JobsOptions, 'clock' | 'pollSeconds'>;
}

export async function buildApp({ config, databaseUrl, storageEndpoint, logger, jobs: jobOptions }: AppOptions) {
  const app = Fastify({
    loggerInstance: logger,
    logController: new RequestLog(),
    requestIdHeader: 'x-request-id',
    // The web server on this machine proxies /api and sets X-Forwarded-For to the one visitor
    // address it determined; nobody else's is believed (a client's own header would let it pick
    // the address its rate limits and session list see).
    trustProxy: ['loopback', ...config.trustedProxies],
    // Unknown fields are an error the client should hear about, not something to drop silently.
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  await app.register(errors);
  await app.register(securityHeaders);
  await app.register(background);
  await app.register(db, { databaseUrl });
  await app.register(metrics);
  // Limits are set per route (sign-up, log-in); the answer is the usual error body. The counters
  // live in PostgreSQL, shared by every API process.
  await app.register(rateLimit, {
    global: false,
    store: postgresRateLimitStore(app.db),
    errorResponseBuilder: (_request, context) => new HttpError(429, 'RATE_LIMITED', `Too many attempts; try again in ${Math.ceil(context.ttl / 1000)} s`),
  });
  // OpenAPI from every route's schema, browsable at /docs (JSON at /docs/json).
  await app.register(swagger, { openapi: { info: { title: 'Rehearse API', version: '0.1.0' } } });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  await app.register(jobs, { databaseUrl, work: config.jobWorker, ...jobOptions });
  // The question bank is data, not a migration: upserted on every start (a no-op when unchanged).
  await loadQuestionBank(app.db);
  await app.register(storage, { storage: { ...config.storage, endpoint: storageEndpoint } });
  await app.register(auth, { config });
  await app.register(healthRoutes, { config });
  await app.register(authRoutes);
  const mailer = createMailer({ ...config.mail, db: app.db });
  await app.register(accountRoutes, { mailer, publicUrl: config.publicUrl });
  await app.register(mailRoutes, { mailer });
  await app.register(meRoutes, { publicUrl: config.publicUrl });
  const billing = createBilling({ config, db: app.db });
  // Mentoring reads the time from the job queue's clock when a test drives it.
  const clock = jobOptions?.clock;
  const now = clock ? () => new Date(clock.now()) : () => new Date();
  const mentors = new MentorService({ db: app.db, autoApprove: config.mentoring.autoApprove, now });
  const payments = createBookingPayments({ billing, db: app.db, publicUrl: config.publicUrl, now });
  const bookings = new BookingService({ db: app.db, mentors, payments, jobs: app.jobs, mailer, publicUrl: config.publicUrl, feePercent: config.mentoring.feePercent, mailFrom: config.mail.from, now });
  const answerReviews = new AnswerReviewService({ db: app.db, payments, jobs: app.jobs, mailer, publicUrl: config.publicUrl, feePercent: config.mentoring.feePercent, now });
  bookings.onPayoutsEnabled = (mentorId) => answerReviews.payoutsEnabled(mentorId);
  await app.register(billingRoutes, { billing, bookings, answerReviews });
  await app.register(answerReviewRoutes, { reviews: answerReviews, billing });
  await app.register(mentorRoutes, { mentors, bookings, payments });
  await app.register(bookingRoutes, { bookings, billing, mailFrom: config.mail.from, publicUrl: config.publicUrl });
  const calls = new CallService({ db: app.db, config, bookings });
  bookings.onRoomClosed = (bookingId) => calls.stopRecordings(bookingId);
  await app.register(callRoutes, { calls });
  const moderation = new ModerationService({ db: app.db, mailer, now });
  const retention = new RetentionService({ db: app.db, jobs: app.jobs, mailer, deletePrefix: app.deletePrefix, publicUrl: config.publicUrl, now });
  await app.register(adminRoutes, { mentors, bookings, moderation, retention });
  const shares = new ShareService({ db: app.db, answers: new AnswerService({ db: app.db, s3: app.s3, bucket: app.bucket, config, deletePrefix: app.deletePrefix }), publicUrl: config.publicUrl, now });
  await app.register(shareRoutes, { shares });
  await app.register(moderationRoutes, { moderation, shares });
  await app.register(interviewRoutes, { interviews: new InterviewService({ db: app.db, shares, mailer, publicUrl: config.publicUrl, now }) });
  await app.register(discoveryRoutes, { discovery: new DiscoveryService({ db: app.db, shares, mailer, publicUrl: config.publicUrl, now }) });
  await app.register(questionRoutes);
  await app.register(answerRoutes, { config });
  await app.register(coachRoutes, { config });
  await app.register(mockRoutes);
  await app.register(progressRoutes);
  const ai = createAi(config.ai);
  const prep = new PrepService({ db: app.db, now, ai, questionSets: new QuestionSetService({ db: app.db, ai, log: app.log }) });
  await app.register(prepRoutes, { prep, reminders: new ReminderService({ db: app.db, jobs: app.jobs, mailer, publicUrl: config.publicUrl, now }) });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
