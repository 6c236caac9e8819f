// The API's Prometheus metrics: request latency per route pattern, the job queue's depth per queue
// and state, and the media nodes the API can place answers on — with the Node.js runtime's own
// series (core/src/metrics.ts). server.ts serves `app.metrics` on METRICS_PORT; tests read it.
import fp from 'fastify-plugin';
import { MEDIA_NODE_STALE_MS } from '@rehearse/core/limits';
import { createRegistry, Gauge, httpDurationHistogram, METRICS_PREFIX, type Registry } from '@rehearse/core/metrics';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Registry;
  }
}

export default fp(
  async (app) => {
    const registry = createRegistry('api');
    app.decorate('metrics', registry);

    const duration = httpDurationHistogram(registry);
    app.addHook('onResponse', async (request, reply) => {
      // The route's pattern (/api/answers/:id), or "unmatched" for 404s: never the raw URL.
      const route = request.routeOptions.url ?? 'unmatched';
      duration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });

    // Read at scrape time from the database, so every API process reports the same truth.
    new Gauge({
      name: `${METRICS_PREFIX}job_queue_depth`,
      help: 'Jobs waiting (queued: due or scheduled; retry) or running (active), per queue',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        this.reset();
        // Every queue shows, empty ones at 0 (an alert on depth needs the series to exist).
        const queues = await app.db.$queryRaw<{ name: string }[]>`SELECT name FROM pgboss.queue`;
        for (const { name } of queues) for (const state of ['queued', 'retry', 'active']) this.set({ queue: name, state }, 0);
        const rows = await app.db.$queryRaw<{ name: string; state: string; count: bigint }[]>`
          SELECT name, state::text AS state, count(*) AS count FROM pgboss.job
          WHERE state IN ('created', 'retry', 'active') GROUP BY name, state`;
        for (const row of rows) this.set({ queue: row.name, state: row.state === 'created' ? 'queued' : row.state }, Number(row.count));
      },
    });
    new Gauge({
      name: `${METRICS_PREFIX}media_nodes`,
      help: 'Media nodes by state: active (heartbeat fresh, taking answers), draining, stale (heartbeat late), dead',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        const fresh = new Date(Date.now() - MEDIA_NODE_STALE_MS);
        const nodes = await app.db.mediaNode.findMany({ select: { status: true, heartbeatAt: true } });
        const counts: Record<string, number> = { active: 0, draining: 0, stale: 0, dead: 0 };
        for (const node of nodes) {
          const state = node.status === 'dead' ? 'dead' : node.heartbeatAt < fresh ? 'stale' : node.status;
          counts[state] = (counts[state] ?? 0) + 1;
        }
        for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
      },
    });
  },
  { name: 'metrics', dependencies: ['db'] },
);
