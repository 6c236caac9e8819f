// Benchmark: the coach's latencies, against a bare Fastify route measured the same way in the same
// run (real PostgreSQL and S3, the whole API in this process, OpenAI's wire protocol served locally
// so its own time is known and subtracted):
//  - the report with its automatic feedback (and originality), read right after it is saved;
//  - asking for AI feedback → the request reaching OpenAI;
//  - OpenAI's first streamed token → the first delta at an event-stream client of the API;
//  - My answers (first page) and progress (every answer) for a user with 2,000 answers.
import Fastify from 'fastify';
import { reportFigures, summarizeAnswer } from '@rehearse/analysis';
import { startOpenAiTestServer } from '@rehearse/testkit/openaiServer';
import { spoken } from '../support/answers.ts';
import { signUp, startApi } from '../support/api.ts';
import { percentile, table } from './measure.ts';

const RUNS = Number(process.env.BENCH_COACH_RUNS ?? 100);
const AI_RUNS = Number(process.env.BENCH_COACH_AI_RUNS ?? 30);
const HISTORY = Number(process.env.BENCH_HISTORY ?? 2000);
/** How long the local OpenAI server waits before its first token (subtracted from the figure). */
const FIRST_TOKEN_DELAY_MS = 300;

// A two-minute answer, about 300 words.
const STORY =
  'Last spring our checkout service kept timing out during sales and customers abandoned their carts. I was asked to fix it before the summer sale in three weeks. I profiled the service, found that each request made twelve database calls, and I rewrote the pricing query into one. I also added a cache and load tested it with my teammate. As a result checkout time dropped from four seconds to under one second and abandoned carts fell by eighteen percent. ';
const SCRIPT = STORY.repeat(4);

const openai = await startOpenAiTestServer({ apiKey: 'sk-bench' });
const api = await startApi({ OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: openai.url, LOG_LEVEL: 'silent' });
const { app, origin } = api;
const base = await app.listen({ host: '127.0.0.1', port: 0 });
const bare = Fastify();
bare.get('/bare', async () => ({ ok: true }));
const bareBase = await bare.listen({ host: '127.0.0.1', port: 0 });

const me = await signUp(app, origin, 'bench.coach@example.com');
const question = await app.db.question.findFirstOrThrow({ where: { slug: 'disagreement' } });
const words = spoken(SCRIPT);
const duration = words.at(-1)!.end + 1;
const summary = summarizeAnswer(words, { duration });
const reportData = { engine: 'pocketsphinx', durationMs: Math.round(duration * 1000), words: words as object[], summary: summary as object, spans: [], ...reportFigures(summary) };

async function timed(url: string, init: RequestInit = {}): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, init);
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return performance.now() - started;
}
const headers = { cookie: me.cookie };
const ms = (values: number[], p: number) => `${percentile(values, p).toFixed(1)} ms`;
const rows: string[][] = [];
const phase = (what: string) => process.stderr.write(`[coach bench] ${what}\n`);
const row = (what: string, values: number[], baseline: number[] | null) => rows.push([what, String(values.length), ms(values, 50), ms(values, 95), baseline ? `${(percentile(values, 95) / percentile(baseline, 95)).toFixed(1)}×` : '–']);

try {
  // Warm both servers' connections and code paths.
  for (let i = 0; i < 20; i++) await timed(`${bareBase}/bare`);
  const baseline: number[] = [];
  for (let i = 0; i < RUNS; i++) baseline.push(await timed(`${bareBase}/bare`));
  row('bare Fastify route (baseline)', baseline, null);

  phase('reports');
  // The report right after it is saved: each read is a fresh answer's first (fingerprint made, candidates looked up).
  const reports: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const answer = await app.db.answer.create({ data: { userId: me.id, questionId: question.id, mediaUrl: 'ws://bench', status: 'ready', durationMs: reportData.durationMs } });
    await app.db.answerReport.create({ data: { answerId: answer.id, ...reportData } });
    reports.push(await timed(`${base}/api/answers/${answer.id}/report`, { headers }));
  }
  row('report with automatic feedback, just saved (300 words)', reports, baseline);

  phase('AI feedback');
  // AI feedback: the ask → the request at OpenAI; the first token → the first delta at the client.
  const toRequest: number[] = [];
  const toClient: number[] = [];
  openai.setResponder(() => ({ kind: 'content', content: { summary: 'x'.repeat(200) }, firstChunkDelayMs: FIRST_TOKEN_DELAY_MS, chunkSize: 40 }));
  for (let i = 0; i < AI_RUNS; i++) {
    // A user per run: the plan's monthly allowance and the per-user rate limit are not what is measured.
    const asker = await signUp(app, origin, `bench.coach.ai.${i}@example.com`);
    const answer = await app.db.answer.create({ data: { userId: asker.id, questionId: question.id, mediaUrl: 'ws://bench', status: 'ready', durationMs: reportData.durationMs } });
    await app.db.answerReport.create({ data: { answerId: answer.id, ...reportData } });
    const before = openai.requests.length;
    const asked = performance.now();
    const response = await fetch(`${base}/api/answers/${answer.id}/feedback`, { method: 'POST', headers: { cookie: asker.cookie, origin } });
    if (response.status !== 201) throw new Error(`asking for AI feedback: ${response.status} ${await response.text()}`);
    const { feedback } = (await response.json()) as { feedback: { streamUrl: string } };
    await openai.waitForRequests(before + 1);
    const reached = openai.requests[before]!.at;
    toRequest.push(reached - asked);
    const stream = await fetch(`${base}${feedback.streamUrl}`, { headers: { cookie: asker.cookie } });
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (text.includes('event: delta')) {
        toClient.push(performance.now() - reached - FIRST_TOKEN_DELAY_MS);
        break;
      }
    }
    await reader.cancel();
  }
  row('ask for AI feedback → request at OpenAI', toRequest, baseline);
  row('first token from OpenAI → first delta at the client', toClient, baseline);

  phase(`seeding ${HISTORY} answers`);
  // 2,000 answers for one user.
  const rest = HISTORY - (await app.db.answer.count({ where: { userId: me.id } }));
  const start = Date.now() - HISTORY * 3_600_000;
  for (let done = 0; done < rest; done += 500) {
    const batch = Array.from({ length: Math.min(500, rest - done) }, (_, k) => ({ id: crypto.randomUUID(), userId: me.id, questionId: question.id, mediaUrl: 'ws://bench', status: 'ready' as const, durationMs: reportData.durationMs, createdAt: new Date(start + (done + k) * 3_600_000) }));
    await app.db.answer.createMany({ data: batch });
    await app.db.answerReport.createMany({ data: batch.map((a) => ({ answerId: a.id, ...reportData })) });
  }
  await app.db.$executeRawUnsafe('ANALYZE');
  phase('history and progress');
  const list: number[] = [];
  const progress: number[] = [];
  for (let i = 0; i < 10; i++) await timed(`${base}/api/progress`, { headers });
  for (let i = 0; i < RUNS; i++) list.push(await timed(`${base}/api/answers`, { headers }));
  for (let i = 0; i < RUNS; i++) progress.push(await timed(`${base}/api/progress`, { headers }));
  row(`My answers, first page of 50 (${HISTORY} answers)`, list, baseline);
  row(`progress, every answer (${HISTORY} points)`, progress, baseline);

  process.stdout.write(`\nThe coach's latencies (sequential requests over HTTP; real PostgreSQL; OpenAI served locally, its ${FIRST_TOKEN_DELAY_MS} ms to the first token subtracted)\n`);
  process.stdout.write(table(['measured', 'runs', 'p50', 'p95', 'p95 vs bare'], rows));
} finally {
  await bare.close();
  await api.stop();
  await openai.close();
}
