// Prometheus metrics (prom-client), the same way in every process: a registry with the Node.js
// runtime's own series (CPU, memory, event-loop lag, GC) under the `rehearse_` prefix and a
// `component` label, plus what each process adds (api/src/plugins/metrics.ts,
// media/src/metrics.ts, web/serve.ts). Served at GET /metrics on a listener of its own
// (METRICS_HOST:METRICS_PORT), never on a public port: a scrape shows load and internals that
// are nobody's business outside the cluster.
import http from 'node:http';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { describeListenError } from './errors.ts';

export { Counter, Gauge, Histogram, Registry } from 'prom-client';

export const METRICS_PREFIX = 'rehearse_';

/** Seconds; HTTP handlers are mostly milliseconds, a report or an upload can take seconds. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createRegistry(component: string, labels: Record<string, string> = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ component, ...labels });
  collectDefaultMetrics({ register: registry, prefix: METRICS_PREFIX, eventLoopMonitoringPrecision: 20 });
  return registry;
}

/** Request latency by method, route pattern (never the raw path: ids would explode the series) and status. */
export function httpDurationHistogram(registry: Registry): Histogram<'method' | 'route' | 'status_code'> {
  return new Histogram({
    name: `${METRICS_PREFIX}http_request_duration_seconds`,
    help: 'HTTP request latency, from the request arriving to the response finishing',
    labelNames: ['method', 'route', 'status_code'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
}

export interface MetricsServer {
  /** The port it listens on (useful when asked for port 0 in tests). */
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `registry` at GET /metrics on host:port; anything else is 404. Resolves once listening.
 * Port 0 in `config.metrics.port` means "no listener" — callers skip this then.
 */
export function serveMetrics(registry: Registry, { host, port }: { host: string; port: number }): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    registry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
      (error: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${error.message}\n`),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/**
 * A process's metrics listener from its config (METRICS_HOST, METRICS_PORT): null when the port is
 * 0; a port that cannot be had ends the process with the usual startup message, as for its own port.
 */
export async function startMetricsListener(component: string, registry: Registry, settings: { host: string; port: number }): Promise<MetricsServer | null> {
  if (settings.port === 0) return null;
  try {
    return await serveMetrics(registry, settings);
  } catch (error) {
    process.stderr.write(`[${component}] ${describeListenError(error, `${component} metrics (METRICS_PORT)`, settings.port).message}\n`);
    process.exit(1);
  }
}
