// Several API processes side by side over one database (what a load balancer in front of two or
// more replicas gives): a session made on one works on the other, and the rate limits count
// across them — a guess at a password spread over both is one guess, not two. API processes started
// with JOB_WORKER=false schedule jobs and leave the work to the worker processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '@rehearse/api';
import { createLogger } from '@rehearse/core/logger';
import { ACCOUNT_LOGIN_LIMIT, SHARE_OPEN_LIMIT } from '@rehearse/api/limits';
import { signUp, startApi, type TestApi } from './support/api.ts';

describe('several API processes', () => {
  let api: TestApi;
  let first: App;
  let second: App;
  let origin: string;

  beforeAll(async () => {
    api = await startApi();
    ({ app: first, origin } = api);
    const { services } = api;
    second = await buildApp({ config: services.config, databaseUrl: services.databaseUrl, storageEndpoint: services.storageEndpoint, logger: createLogger('api', services.config) });
  }, 120_000);

  afterAll(async () => {
    await second?.close();
    await api?.stop();
  });

  it('accepts a session made on one process on the other', async () => {
    const me = await signUp(first, origin, 'both@processes.test');
    const seen = await second.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: me.cookie } });
    expect(seen.json().user.id).toBe(me.id);
  });

  it('counts failed log-ins for one account across processes and addresses', async () => {
    await signUp(first, origin, 'target@processes.test');
    const statuses: number[] = [];
    for (let i = 0; i < ACCOUNT_LOGIN_LIMIT.max + 2; i++) {
      const app = i % 2 === 0 ? first : second;
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: `10.44.${i}.1`, headers: { origin }, payload: { email: 'target@processes.test', password: `wrong guess ${i}` } });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, ACCOUNT_LOGIN_LIMIT.max)).toEqual(Array.from({ length: ACCOUNT_LOGIN_LIMIT.max }, () => 401));
    expect(statuses.slice(ACCOUNT_LOGIN_LIMIT.max)).toEqual([429, 429]);
  });

  it('counts a route limit per address across processes', async () => {
    let limited = 0;
    for (let i = 0; i < SHARE_OPEN_LIMIT.max + 10; i++) {
      const res = await (i % 2 === 0 ? first : second).inject({ method: 'GET', url: `/api/s/${'C'.repeat(43)}`, remoteAddress: '10.45.0.1' });
      if (res.statusCode === 429) limited++;
    }
    expect(limited).toBe(10);
  });
});

describe('an API process with JOB_WORKER=false', () => {
  let api: TestApi;
  let worker: App | undefined;

  beforeAll(async () => {
    api = await startApi({ JOB_WORKER: 'false' });
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await api?.stop();
  });

  it('schedules jobs and leaves them to a worker process', { timeout: 60_000 }, async () => {
    const { app, services } = api;
    expect(services.config.jobWorker).toBe(false);
    await app.ready();
    await app.jobs.at('retention-sweep', {}, new Date());
    const states = async () => (await app.db.$queryRaw<{ state: string }[]>`SELECT state::text AS state FROM pgboss.job WHERE name = 'retention-sweep'`).map((r) => r.state);
    // Three of its poll intervals (2 s) go by: nobody takes the job.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(await states()).toEqual(['created']);
    // A worker process over the same database works it.
    const config = { ...services.config, jobWorker: true };
    worker = await buildApp({ config, databaseUrl: services.databaseUrl, storageEndpoint: services.storageEndpoint, logger: createLogger('api', config) });
    await worker.ready();
    await expect.poll(states, { timeout: 30_000, interval: 500 }).toEqual(['completed']);
  });
});
