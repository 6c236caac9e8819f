// Plans and their limits, enforced by the API over a real PostgreSQL.
import { beforeAll, describe, expect, it } from 'vitest';
import type { App } from '@rehearse/api';
import { ANSWER_START_LIMIT, GUEST_RATE_LIMIT, UNSTARTED_ANSWER_TTL_MS } from '@rehearse/api/limits';
import { sessionCookie, startGuest, useApi } from './support/api.ts';

describe('plans and limits', () => {
  const api = useApi();
  let app: App;
  let origin: string;
  let questionId: string;

  beforeAll(async () => {
    ({ app, origin } = api);
    questionId = (await app.db.question.findFirstOrThrow()).id;
  });

  const guest = () => startGuest(app, origin);

  const start = (cookie: string) => app.inject({ method: 'POST', url: '/api/answers', headers: { cookie, origin }, payload: { questionId } });
  /** Answers as the media server leaves them: recorded, with a duration. */
  const recorded = (userId: string, count: number, durationMs: number, createdAt = new Date()) =>
    app.db.answer.createMany({ data: Array.from({ length: count }, (_, i) => ({ userId, questionId, mediaUrl: 'ws://x', status: 'ready' as const, durationMs, recordingKey: `users/${userId}/answers/${i}/answer.webm`, createdAt })) });

  it('lists the plans and their limits for anyone', async () => {
    const { plans } = (await app.inject({ method: 'GET', url: '/api/billing/plans' })).json() as { plans: { id: string; limits: Record<string, number> }[] };
    expect(plans.map((p) => p.id)).toEqual(['free', 'pro', 'recruiter']);
    expect(plans[0]!.limits.practiceMinutesPerMonth!).toBeLessThan(plans[1]!.limits.practiceMinutesPerMonth!);
  });

  it('meters practice minutes this month and refuses a new answer past the plan, saying which plan lifts it', async () => {
    const { cookie, id } = await guest();
    // Last month's practice does not count against this month.
    const lastMonth = new Date();
    lastMonth.setUTCMonth(lastMonth.getUTCMonth() - 1, 1);
    await recorded(id, 1, 40 * 60_000, lastMonth);
    await recorded(id, 2, 14 * 60_000);
    expect((await app.inject({ method: 'GET', url: '/api/billing/usage', headers: { cookie } })).json()).toMatchObject({ plan: { id: 'free' }, usage: { practiceMinutes: 28, recordingsKept: 3 } });
    expect((await start(cookie)).statusCode).toBe(201);

    await recorded(id, 1, 3 * 60_000);
    const refused = await start(cookie);
    expect(refused.statusCode).toBe(402);
    expect(refused.json().error).toMatchObject({
      code: 'PLAN_LIMIT_REACHED',
      message: expect.stringContaining('Pro includes 600'),
      details: { limit: 'practiceMinutesPerMonth', allowed: 30, used: 31, plan: 'free', upgrade: { plan: 'pro', allowed: 600 } },
    });
    const answers = await app.db.answer.count({ where: { userId: id } });

    // On Pro the same user can go on.
    await app.db.subscription.create({ data: { userId: id, plan: 'pro', status: 'active', currentPeriodEnd: new Date(Date.now() + 86_400_000) } });
    expect((await start(cookie)).statusCode).toBe(201);
    expect(await app.db.answer.count({ where: { userId: id } })).toBe(answers + 1);
    // A subscription that lapsed is the free plan again.
    await app.db.subscription.update({ where: { userId: id }, data: { status: 'canceled' } });
    expect((await start(cookie)).statusCode).toBe(402);
  });

  it('allows one answer in progress at a time on Free (two on Pro), and gives up answers that never started', async () => {
    const { cookie, id } = await guest();
    const first = await start(cookie);
    expect(first.statusCode).toBe(201);
    const second = await start(cookie);
    expect(second.statusCode).toBe(409);
    expect(second.json().error).toMatchObject({ code: 'ANSWER_IN_PROGRESS', details: { answerIds: [first.json().answer.id], allowed: 1 } });
    // Recording counts as in progress too; stopped does not.
    await app.db.answer.update({ where: { id: first.json().answer.id }, data: { status: 'recording' } });
    expect((await start(cookie)).statusCode).toBe(409);
    await app.db.answer.update({ where: { id: first.json().answer.id }, data: { status: 'ready' } });
    const third = await start(cookie);
    expect(third.statusCode).toBe(201);
    // An answer whose page never connected is given up after a while instead of blocking the next.
    await app.db.answer.update({ where: { id: third.json().answer.id }, data: { createdAt: new Date(Date.now() - UNSTARTED_ANSWER_TTL_MS - 1000) } });
    expect((await start(cookie)).statusCode).toBe(201);
    expect((await app.db.answer.findUniqueOrThrow({ where: { id: third.json().answer.id } })).status).toBe('failed');
    // Pro: two at once.
    await app.db.subscription.create({ data: { userId: id, plan: 'pro', status: 'active', currentPeriodEnd: new Date(Date.now() + 86_400_000) } });
    expect((await start(cookie)).statusCode).toBe(201);
    expect((await start(cookie)).statusCode).toBe(409);
  });

  it('limits how many answers one user starts in a window, and how many guests one address makes', async () => {
    const { cookie } = await guest();
    const codes: number[] = [];
    for (let i = 0; i <= ANSWER_START_LIMIT.max; i++) {
      const response = await start(cookie);
      codes.push(response.statusCode);
      if (response.statusCode === 201) await app.db.answer.update({ where: { id: response.json().answer.id }, data: { status: 'ready' } });
    }
    expect(codes.slice(0, ANSWER_START_LIMIT.max).every((c) => c === 201)).toBe(true);
    expect(codes.at(-1)).toBe(429);

    // One after another, as a script would. (Sent all at once, @fastify/rate-limit 11.2 counts every
    // one of them as the last: its memory store hands each request the same mutable counter.)
    const flood = [];
    for (let i = 0; i < GUEST_RATE_LIMIT.max + 10; i++) flood.push(await app.inject({ method: 'POST', url: '/api/auth/guest', headers: { origin }, remoteAddress: '10.7.7.7' }));
    expect(flood.filter((r) => r.statusCode === 201)).toHaveLength(GUEST_RATE_LIMIT.max);
    expect(flood.filter((r) => r.statusCode === 429).every((r) => r.json().error.code === 'RATE_LIMITED')).toBe(true);
    expect(await app.db.user.count({ where: { sessions: { some: { ipAddress: '10.7.7.7' } } } })).toBe(GUEST_RATE_LIMIT.max);
    // Someone else is not affected.
    expect((await app.inject({ method: 'POST', url: '/api/auth/guest', headers: { origin }, remoteAddress: '10.7.7.8' })).statusCode).toBe(201);

    // Cycling through guest accounts from one address does not lift the limit much: per address
    // it is three times the per-user one.
    const address = '10.7.7.9';
    const fromAddress = async () => {
      const made = await app.inject({ method: 'POST', url: '/api/auth/guest', headers: { origin }, remoteAddress: address });
      return sessionCookie(made)!;
    };
    let guestCookie = await fromAddress();
    const perAddress: number[] = [];
    for (let i = 0; i <= ANSWER_START_LIMIT.max * 3; i++) {
      if (i > 0 && i % ANSWER_START_LIMIT.max === 0) guestCookie = await fromAddress();
      const response = await app.inject({ method: 'POST', url: '/api/answers', headers: { cookie: guestCookie, origin }, remoteAddress: address, payload: { questionId } });
      perAddress.push(response.statusCode);
      if (response.statusCode === 201) await app.db.answer.update({ where: { id: response.json().answer.id }, data: { status: 'ready' } });
    }
    expect(perAddress.slice(0, ANSWER_START_LIMIT.max * 3).every((c) => c === 201)).toBe(true);
    expect(perAddress.at(-1)).toBe(429);
  });

  it('limits the recordings kept at once', async () => {
    const { cookie, id } = await guest();
    await recorded(id, 10, 1000);
    const refused = await start(cookie);
    expect(refused.statusCode).toBe(402);
    expect(refused.json().error.details).toMatchObject({ limit: 'recordingsKept', allowed: 10, used: 10 });
  });
});
