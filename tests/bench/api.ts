// Benchmark: an authenticated read (GET /api/questions: the session lookup, then one query)
// against real PostgreSQL, next to a bare Fastify route measured the same way in the same run:
// first at a fixed 1,000 requests/s from an open-model generator (openLoad.ts: latency from when
// each request was due), then with autocannon holding a fixed number of connections. autocannon drives both from this process; the
// servers run in their own.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { table } from './measure.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** Connections held open by the load generator: the requests that can be in flight at once. */
const CONCURRENCY = (process.env.BENCH_CONNECTIONS ?? '32').split(',').map(Number);

const server = spawn(process.execPath, [new URL('./apiServer.ts', import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
const first = await new Promise<string>((resolve) => createInterface({ input: server.stdout }).once('line', resolve));
const { api, bare, cookie } = JSON.parse(first) as { api: string; bare: string; cookie: string };

async function load(url: string, headers: Record<string, string>, connections: number, rate?: number) {
  const result = await autocannon({ url, headers, connections, duration: SECONDS, ...(rate ? { overallRate: rate } : {}) });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

/** The same rate from the open-model generator in its own process: latency from when each request was due. */
async function openLoad(url: string, headers: { cookie?: string }, rate: number) {
  const child = spawn(process.execPath, [new URL('./openLoad.ts', import.meta.url).pathname, url, String(rate), String(SECONDS), headers.cookie ?? ''], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
  const result = JSON.parse(line) as { rps: number; p50: number; p99: number; failures: number };
  if (result.failures > 0) throw new Error(`${url}: ${result.failures} failed requests`);
  return result;
}

try {
  const rows: string[][] = [];
  const openBare = await openLoad(`${bare}/bare`, {}, 1000);
  const openAuth = await openLoad(`${api}/api/questions`, { cookie }, 1000);
  rows.push(['bare Fastify route (baseline)', 'open model, 1,000 requests/s', openBare.rps.toFixed(0), `${openBare.p50.toFixed(1)} ms`, `${openBare.p99.toFixed(1)} ms`, '–']);
  rows.push(['authenticated read', 'open model, 1,000 requests/s', openAuth.rps.toFixed(0), `${openAuth.p50.toFixed(1)} ms`, `${openAuth.p99.toFixed(1)} ms`, '–']);
  for (const connections of CONCURRENCY) {
    const bareMax = await load(`${bare}/bare`, {}, connections);
    const authMax = await load(`${api}/api/questions`, { cookie }, connections);
    const bareAt = await load(`${bare}/bare`, {}, connections, 1000);
    const authAt = await load(`${api}/api/questions`, { cookie }, connections, 1000);
    rows.push(['bare Fastify route (baseline)', `${connections}, as fast as it goes`, bareMax.rps.toFixed(0), `${bareMax.p50} ms`, `${bareMax.p99} ms`, '1.00×']);
    rows.push(['authenticated read', `${connections}, as fast as it goes`, authMax.rps.toFixed(0), `${authMax.p50} ms`, `${authMax.p99} ms`, `${(authMax.rps / bareMax.rps).toFixed(2)}×`]);
    rows.push(['bare Fastify route (baseline)', `${connections}, 1,000 requests/s`, bareAt.rps.toFixed(0), `${bareAt.p50} ms`, `${bareAt.p99} ms`, '–']);
    rows.push(['authenticated read', `${connections}, 1,000 requests/s`, authAt.rps.toFixed(0), `${authAt.p50} ms`, `${authAt.p99} ms`, '–']);
  }
  process.stdout.write(`\nAuthenticated read vs a bare route (${SECONDS} s each, real PostgreSQL)\n`);
  process.stdout.write(table(['route', 'connections, load', 'requests/s', 'p50', 'p99', 'throughput vs bare'], rows));
} finally {
  server.kill('SIGTERM');
}
