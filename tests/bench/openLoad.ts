// An open-model load generator: requests start on a fixed schedule whether or not earlier ones
// have answered, and each latency is measured from when the request was due, so a stall shows as
// the latency it causes (no coordinated omission). With a connection cap, a request that falls due
// while every connection is busy waits for one, and that wait counts too: fixed concurrency at a
// steady rate. The first `warmup` seconds run the same load unmeasured (connections opened, code
// compiled, statements prepared). Runs in its own process (see api.ts) and prints one JSON line.
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';

const [url, rateArg, secondsArg, warmupArg, cookie, connectionsArg] = process.argv.slice(2);
const rate = Number(rateArg);
const warmup = Math.round(rate * Number(warmupArg));
const total = warmup + Math.round(rate * Number(secondsArg));
/** Without a cap, enough connections that no request waits for one. */
const agent = new Agent({ connections: Number(connectionsArg || 256), pipelining: 1, keepAliveTimeout: 30_000 });
const latencies: number[] = [];
let failures = 0;
const pending: Promise<void>[] = [];

function send(due: number, measured: boolean) {
  return request(url!, { dispatcher: agent, headers: cookie ? { cookie } : {} }).then(
    async (response) => {
      await response.body.dump();
      if (response.statusCode !== 200) failures++;
      else if (measured) latencies.push(performance.now() - due);
    },
    () => {
      failures++;
    },
  );
}

const started = performance.now();
const measureFrom = started + (warmup * 1000) / rate;
for (let i = 0; i < total; ) {
  const now = performance.now();
  // Every request whose time has come; a late tick sends the overdue ones at once, timed from when each was due.
  for (let due = started + (i * 1000) / rate; i < total && due <= now; due = started + (i * 1000) / rate) {
    pending.push(send(due, i >= warmup));
    i++;
  }
  await sleep(1);
}
await Promise.all(pending);
await agent.close();
const elapsed = (performance.now() - measureFrom) / 1000;
latencies.sort((a, b) => a - b);
const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? NaN;
process.stdout.write(`${JSON.stringify({ rps: latencies.length / elapsed, p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max: latencies.at(-1) ?? NaN, failures })}\n`);
