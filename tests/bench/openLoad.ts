// An open-model load generator: requests start on a fixed schedule whether or not earlier ones
// have answered, and each latency is measured from when the request was due, so a stall shows as
// the latency it causes (no coordinated omission). Runs in its own process (see api.ts).
import { Agent, request } from 'undici';

const [url, rateArg, secondsArg, cookie] = process.argv.slice(2);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const agent = new Agent({ connections: 256, pipelining: 1, keepAliveTimeout: 30_000 });
const latencies: number[] = [];
let failures = 0;
const total = rate * seconds;
const started = performance.now();
const pending: Promise<void>[] = [];

for (let i = 0; i < total; i++) {
  const due = started + (i * 1000) / rate;
  const wait = due - performance.now();
  if (wait > 1) await new Promise((r) => setTimeout(r, wait));
  pending.push(
    request(url!, { dispatcher: agent, headers: cookie ? { cookie } : {} }).then(
      async (response) => {
        await response.body.dump();
        if (response.statusCode !== 200) failures++;
        latencies.push(performance.now() - due);
      },
      () => {
        failures++;
      },
    ),
  );
}
await Promise.all(pending);
await agent.close();
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? NaN;
process.stdout.write(`${JSON.stringify({ rps: latencies.length / elapsed, p50: at(50), p99: at(99), failures })}\n`);
