// The PostgreSQL-backed job queue (pg-boss): work that must happen at a time, whatever restarts in
// between — a held slot running out, a call's room opening and closing, the no-show check,
// reminders, charging a saved card, paying the mentor after the dispute window. Jobs live in the
// `pgboss` schema of the product's database, so they survive API restarts; several API processes
// share them (each job runs once). Domains register their queues with `app.jobs.define` and
// schedule with `app.jobs.at`; handlers re-read the rows they act on, so a job for a booking that
// changed since is a no-op.
import fp from 'fastify-plugin';
import { PgBoss, type Clock } from 'pg-boss';

export interface JobQueue {
  /** Registers a queue and its handler (before the app is ready). */
  define<T extends object>(name: string, handler: (data: T) => Promise<void>): void;
  /** Also runs `name` (with no data) on a cron schedule, in UTC (the daily retention sweep). */
  every(name: string, cron: string): void;
  /** Runs `name` with `data` at `when` (at once if that is past). */
  at(name: string, data: object, when: Date): Promise<void>;
  /** The pg-boss instance, for tests and the operator. */
  readonly boss: PgBoss;
}

declare module 'fastify' {
  interface FastifyInstance {
    jobs: JobQueue;
  }
}

export interface JobsOptions {
  databaseUrl: string;
  /** How often an idle worker looks for due jobs. */
  pollSeconds?: number;
  /** A test's clock (pg-boss's TestClock) instead of the system's. */
  clock?: Clock;
  /**
   * Whether this process works the queues (JOB_WORKER). False: it only sends jobs, and leaves the
   * work, the cron schedules and pg-boss's maintenance to the worker processes.
   */
  work?: boolean;
}

export default fp(
  async (app, { databaseUrl, pollSeconds = 2, clock, work = true }: JobsOptions) => {
    const boss = new PgBoss({
      connectionString: databaseUrl,
      schema: 'pgboss',
      max: 4,
      application_name: 'rehearse-jobs',
      ...(work ? {} : { schedule: false, supervise: false }),
      ...(clock ? { clock } : {}),
    });
    let lastLostWarning = 0;
    boss.on('error', (error) => {
      // The database going away (shut down, restarted) is not the queue's fault: pg-boss reconnects,
      // and the health check reports the database.
      const code = (error as { code?: string }).code;
      const lost = code === '57P01' || code === '57P02' || code === '57P03' || code === 'ECONNREFUSED' || code === 'ECONNRESET' || /Connection terminated/i.test((error as Error).message ?? '');
      if (lost) {
        // Each of pg-boss's pollers reports the same outage every few seconds: said once per 30 s.
        if (Date.now() - lastLostWarning < 30_000) return;
        lastLostWarning = Date.now();
        return app.log.warn(`job queue lost its database connection (${code ?? 'closed'}); it reconnects`);
      }
      app.log.error({ err: error }, 'job queue error');
    });
    const handlers = new Map<string, (data: object) => Promise<void>>();
    const schedules = new Map<string, string>();
    let started = false;

    app.decorate('jobs', {
      boss,
      define(name, handler) {
        if (started) throw new Error(`job ${name} defined after the queue started`);
        handlers.set(name, handler as (data: object) => Promise<void>);
      },
      every(name, cron) {
        if (started) throw new Error(`job ${name} scheduled after the queue started`);
        schedules.set(name, cron);
      },
      async at(name, data, when) {
        if (!handlers.has(name)) throw new Error(`no job named ${name}`);
        await boss.send(name, data, { startAfter: when, retryLimit: 5, retryDelay: 10, retryBackoff: true });
      },
    } satisfies JobQueue);

    app.addHook('onReady', async () => {
      await boss.start();
      started = true;
      for (const [name, handler] of handlers) {
        await boss.createQueue(name);
        if (!work) continue;
        await boss.work<object>(name, { pollingIntervalSeconds: pollSeconds }, async (jobs) => {
          for (const job of jobs) await handler(job.data);
        });
      }
      if (work) for (const [name, cron] of schedules) await boss.schedule(name, cron, {}, { tz: 'UTC' });
    });
    app.addHook('onClose', async () => {
      await boss.stop({ graceful: true, timeout: 10_000 });
    });
  },
  { name: 'jobs', dependencies: ['db'] },
);
