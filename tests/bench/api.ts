// Benchmark: an authenticated read (GET /api/questions/:id: the session lookup, then one query)
// against real PostgreSQL, next to a bare Fastify route measured the same way in the same run.
// At 1,000 requests/s the load comes from a generator that keeps to a schedule (openLoad.ts, its own
// process: latency from when each request was due), first with as many connections as it needs,
// then held to 10 and 32 connections (fixed concurrency at a steady rate). Flat-out throughput at
// those concurrencies comes from autocannon (from this process). The servers run in their own
// process.
//
// Not autocannon for the 1,000/s rows: its rate option is a per-connection budget per second
// (each connection sends back to back until it has sent its share, then waits for the next
// second), so "1,000/s" arrives as a flat-out burst at the start of every second, and its
// coordinated-omission correction pads each slow answer with synthetic samples at 1 ms steps.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { table } from './measure.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** The scheduled runs are longer: their p99 rests on a few stalls, which 10 s may or may not contain. */
const OPEN_SECONDS = Number(process.env.BENCH_OPEN_SECONDS ?? 30);
/** Seconds of the same scheduled load sent first and not measured. */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
/** Connections held by the load generators: the requests that can be in flight at once. */
const CONCURRENCY = (process.env.BENCH_CONNECTIONS ?? '10,32').split(',').map(Number);

const server = spawn(process.execPath, [new URL('./apiServer.ts', import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
const first = await new Promise<string>((resolve) => createInterface({ input: server.stdout }).once('line', resolve));
const { api, bare, cookie } = JSON.parse(first) as { api: string; bare: string; cookie: string };

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  p999: number;
}

/** Flat out on a fixed number of connections. */
async function load(url: string, headers: Record<string, string>, connections: number): Promise<Measured> {
  const result = await autocannon({ url, headers, connections, duration: SECONDS });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, p999: result.latency.p99_9 };
}

/** A steady rate from the scheduled generator in its own process (latency from when each request was due), optionally on a fixed number of connections. */
async function openLoad(url: string, headers: { cookie?: string }, rate: number, connections?: number): Promise<Measured> {
  const args = [url, String(rate), String(OPEN_SECONDS), String(WARMUP), headers.cookie ?? '', connections ? String(connections) : ''];
  const child = spawn(process.execPath, [new URL('./openLoad.ts', import.meta.url).pathname, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
  const result = JSON.parse(line) as Measured & { failures: number };
  if (result.failures > 0) throw new Error(`${url}: ${result.failures} failed requests`);
  return result;
}

const ms = (value: number) => `${Number.isInteger(value) ? value : value.toFixed(1)} ms`;
const row = (route: string, load: string, m: Measured, ratio: string) => [route, load, m.rps.toFixed(0), ms(m.p50), ms(m.p99), ms(m.p999), ratio];

// One bank question, read by id: a small answer, so the figure is the session lookup and one query.
const { questions } = (await (await fetch(`${api}/api/questions?kind=motivation&difficulty=1`)).json()) as { questions: { id: string }[] };
const read = `${api}/api/questions/${questions[0]!.id}`;

try {
  const rows: string[][] = [];
  const openBare = await openLoad(`${bare}/bare`, {}, 1000);
  const openAuth = await openLoad(read, { cookie }, 1000);
  rows.push(row('bare Fastify route (baseline)', '1,000 requests/s on schedule, connections as needed', openBare, '–'));
  rows.push(row('authenticated read', '1,000 requests/s on schedule, connections as needed', openAuth, '–'));
  for (const connections of CONCURRENCY) {
    const bareAt = await openLoad(`${bare}/bare`, {}, 1000, connections);
    const authAt = await openLoad(read, { cookie }, 1000, connections);
    rows.push(row('bare Fastify route (baseline)', `1,000 requests/s on schedule, ${connections} connections`, bareAt, '–'));
    rows.push(row('authenticated read', `1,000 requests/s on schedule, ${connections} connections`, authAt, '–'));
  }
  for (const connections of CONCURRENCY) {
    const bareMax = await load(`${bare}/bare`, {}, connections);
    const authMax = await load(read, { cookie }, connections);
    rows.push(row('bare Fastify route (baseline)', `${connections} connections, as fast as it goes`, bareMax, '1.00×'));
    rows.push(row('authenticated read', `${connections} connections, as fast as it goes`, authMax, `${(authMax.rps / bareMax.rps).toFixed(2)}×`));
  }
  process.stdout.write(`\nAuthenticated read vs a bare route (real PostgreSQL; on schedule ${OPEN_SECONDS} s after ${WARMUP} s unmeasured, flat out ${SECONDS} s)\n`);
  process.stdout.write(table(['route', 'load', 'requests/s', 'p50', 'p99', 'p99.9', 'throughput vs bare'], rows));
} finally {
  server.kill('SIGTERM');
}
