// Plans and their limits, enforced by the API over a real PostgreSQL.
import { beforeAll, describe, expect, it } from 'vitest';
import type { App } from '@rehearse/api';
import { startGuest, useApi } from './support/api.ts';

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

  it('limits the recordings kept at once', async () => {
    const { cookie, id } = await guest();
    await recorded(id, 10, 1000);
    const refused = await start(cookie);
    expect(refused.statusCode).toBe(402);
    expect(refused.json().error.details).toMatchObject({ limit: 'recordingsKept', allowed: 10, used: 10 });
  });
});
