// Benchmark: media nodes as a cluster. Every node is a process of its own (nodeChild.ts: its own
// mediasoup WorkerPool, Recorder + AudioFork per answer, simulated browsers replaying RTP as in
// recording.ts, the real MediaNode registration and heartbeat), against an embedded PostgreSQL
// and an s3rver of its own.
//
// A: the same answers recorded on one node, then spread over two nodes on this machine by the
//    API's real placement (placeRoom, which counts the answers rows in progress per node).
// B: a node recording answers is killed -9 (its whole process group); the survivor's MediaNode
//    notices the stale heartbeat, marks it dead and runs AnswerSessions.recoverInterrupted, which
//    finalizes each answer from what S3 holds. Kill → answer finalized, split into detection and
//    finalizing.
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { placeRoom } from '@rehearse/api/placement';
import type { Config } from '@rehearse/core/config';
import { createPrismaClient } from '@rehearse/db';
import { migrate } from '@rehearse/db/migrate';
import { startEmbeddedPostgres } from '@rehearse/deploy/embedded-postgres';
import { MEDIA_NODE_HEARTBEAT_MS, MEDIA_NODE_STALE_MS } from '@rehearse/core/limits';
import { resolveFfmpegPath } from '@rehearse/media';
import { encodeClip } from '@rehearse/testkit/syntheticSender';
import { startTestS3 } from '@rehearse/testkit/s3';
import { freePort } from '../support/ports.ts';
import { checkRecordings } from './answers.ts';
import { cpuSampler, percentile, processCpuSampler, processGroupCpuSampler, table } from './measure.ts';
import { NodeProcess, type NodeChildConfig } from './nodeProcess.ts';

const run = promisify(execFile);

const ANSWERS = Number(process.env.BENCH_NODE_ANSWERS ?? 60);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const RECOVERY_ANSWERS = Number(process.env.BENCH_RECOVERY_ANSWERS ?? 10);
/** How long the victim records before it is killed. */
const RECORD_SECONDS = 8;
const cores = os.availableParallelism();
const ffmpegPath = resolveFfmpegPath(null);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const workDir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-bench-nodes-'));
// PostgreSQL runs as the `postgres` user when this is root: it must reach its data directory.
await chmod(workDir, 0o755);
const clip = path.join(workDir, 'clip.webm');
const children: NodeProcess[] = [];
let store: Awaited<ReturnType<typeof startTestS3>> | undefined;
let database: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
let db: ReturnType<typeof createPrismaClient> | undefined;

async function startNode(name: string): Promise<NodeProcess> {
  const spoolRoot = path.join(workDir, `spool-${name}`);
  await mkdir(spoolRoot, { recursive: true });
  const config: NodeChildConfig = {
    id: name,
    publicUrl: `ws://${name}.bench.invalid:7000`,
    databaseUrl: database!.url,
    s3Endpoint,
    bucket: store!.bucket,
    spoolRoot,
    clip,
    numWorkers: cores,
    capacity: 150,
  };
  const node = await NodeProcess.start(config);
  children.push(node);
  return node;
}

async function stopNode(node: NodeProcess): Promise<void> {
  await node.close();
  children.splice(children.indexOf(node), 1);
}

let s3Endpoint = '';
let userId = '';
let questionId = '';

/** Part A: all answers placed over `count` nodes, recorded for SECONDS, stopped at once. */
async function configuration(count: number) {
  const nodes = await Promise.all(Array.from({ length: count }, (_, i) => startNode(`a${count}-${i}`)));
  try {
    // The product's placement, one answer at a time, each answer's row counting at once.
    const byNode = new Map<string, { answerId: string; userId: string }[]>(nodes.map((n) => [n.config.publicUrl, []]));
    const ids: string[] = [];
    for (let i = 0; i < ANSWERS; i++) {
      const mediaUrl = await placeRoom(db!, { media: { publicUrl: 'ws://unregistered.invalid' } } as Pick<Config, 'media'>);
      const row = await db!.answer.create({ data: { userId, questionId, status: 'recording', mediaUrl, startedAt: new Date() }, select: { id: true } });
      ids.push(row.id);
      byNode.get(mediaUrl)?.push({ answerId: row.id, userId });
    }
    const spread = nodes.map((n) => byNode.get(n.config.publicUrl)!.length);
    const starts = await Promise.all(nodes.map((n) => n.request({ type: 'start', answers: byNode.get(n.config.publicUrl)! }, 'started')));
    const failedToStart = starts.reduce((s, r) => s + r.failed, 0);
    const started = ANSWERS - failedToStart;
    const cpu = cpuSampler();
    const senders = nodes.map((n) => processCpuSampler(n.replayPid));
    const own = processGroupCpuSampler(nodes.map((n) => n.pid), new Set(nodes.map((n) => n.replayPid)));
    await sleep(SECONDS * 1000);
    const busyCores = cpu.busyCores();
    const senderCores = senders.reduce((s, c) => s + c.busyCores(), 0);
    const nodeCores = own.busyCores();
    const stopped = await Promise.all(nodes.map((n) => n.request({ type: 'stop' }, 'stopped')));
    await db!.answer.updateMany({ where: { id: { in: ids } }, data: { status: 'ready', stoppedAt: new Date() } });
    const results = stopped.flatMap((s) => s.results);
    const stopTimes = stopped.flatMap((s) => s.stopTimes);
    const { withGaps } = await checkRecordings(results, { store: store!, file: path.join(workDir, `check-${count}.webm`), seconds: SECONDS });
    return { count, spread, started, busyCores, senderCores, perAnswer: (busyCores - senderCores) / Math.max(1, started), nodeCores, nodePerAnswer: nodeCores / Math.max(1, started), withGaps: withGaps + failedToStart, stopP50: percentile(stopTimes, 50), stopP95: percentile(stopTimes, 95) };
  } finally {
    for (const n of nodes) await stopNode(n);
  }
}

/** Part B: RECOVERY_ANSWERS answers recording on a victim node, killed -9; the survivor takes over. */
async function recovery() {
  const survivor = await startNode('survivor');
  const victim = await startNode('victim');
  const ids: string[] = [];
  for (let i = 0; i < RECOVERY_ANSWERS; i++) {
    const row = await db!.answer.create({ data: { userId, questionId, status: 'recording', mediaUrl: victim.config.publicUrl, startedAt: new Date() }, select: { id: true } });
    ids.push(row.id);
  }
  const { started, failed } = await victim.request({ type: 'start', answers: ids.map((answerId) => ({ answerId, userId })) }, 'started');
  await sleep(RECORD_SECONDS * 1000);
  const killedAt = Date.now();
  victim.kill();
  children.splice(children.indexOf(victim), 1);
  await sleep(1000);
  // kill -9 of the group leaves nothing behind: not a worker, not an ffmpeg, not a sender.
  const leftInGroup = (await run('ps', ['-e', '-o', 'pgid=,stat=']).then(({ stdout }) => stdout.split('\n'))).filter((l) => l.trim().split(/\s+/)[0] === String(victim.pid) && !l.trim().split(/\s+/)[1]?.startsWith('Z')).length;
  const recordedMs = new Map(started.map((s) => [s.answerId, killedAt - s.at]));

  let deadAt: number | null = null;
  const finalizedAt = new Map<string, number>();
  const failedIds = new Set<string>();
  const deadline = killedAt + MEDIA_NODE_STALE_MS + 60_000;
  while (Date.now() < deadline && finalizedAt.size + failedIds.size < ids.length) {
    await sleep(100);
    const now = Date.now();
    if (deadAt === null) {
      const row = await db!.mediaNode.findUnique({ where: { id: victim.config.id }, select: { status: true } });
      if (!row || row.status === 'dead') deadAt = now;
    }
    const rows = await db!.answer.findMany({ where: { id: { in: ids } }, select: { id: true, status: true, recordingKey: true } });
    for (const row of rows) {
      if (row.status === 'interrupted' && row.recordingKey && !finalizedAt.has(row.id)) finalizedAt.set(row.id, now);
      if (row.status === 'failed') failedIds.add(row.id);
    }
  }
  const rows = await db!.answer.findMany({ where: { id: { in: ids } }, select: { id: true, durationMs: true } });
  const short = rows.filter((r) => finalizedAt.has(r.id) && (r.durationMs ?? 0) < (recordedMs.get(r.id) ?? RECORD_SECONDS * 1000) - 3000);
  const worstShortfall = Math.max(...rows.filter((r) => finalizedAt.has(r.id)).map((r) => (recordedMs.get(r.id) ?? 0) - (r.durationMs ?? 0)));
  const toFinal = [...finalizedAt.values()].map((t) => t - killedAt);
  const finalizing = deadAt === null ? [] : [...finalizedAt.values()].map((t) => t - deadAt!);
  await stopNode(survivor);
  return {
    answers: ids.length,
    startedOnVictim: started.length,
    failedToStart: failed,
    recovered: finalizedAt.size,
    failed: failedIds.size,
    notFinalized: ids.length - finalizedAt.size - failedIds.size,
    recordedS: recordedMs.size === 0 ? NaN : Math.min(...recordedMs.values()) / 1000,
    detection: deadAt === null ? NaN : deadAt - killedAt,
    toFinal,
    finalizing,
    short: short.length,
    worstShortfall,
    takeovers: survivor.tookOver,
    leftInGroup,
  };
}

let cleaning: Promise<void> | null = null;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
}
// embedded-postgres exits the process on a signal once PostgreSQL is down, maybe before cleanUp is
// through: whatever of the nodes is left goes with it (kill -9 of their groups), and so does the
// work directory.
process.on('exit', () => {
  for (const child of children) child.kill();
  rmSync(workDir, { recursive: true, force: true });
});
const ms = (v: number) => (Number.isFinite(v) ? `${(v / 1000).toFixed(2)} s` : '–');
try {
  await encodeClip({ ffmpegPath, file: clip, seconds: 10 });
  store = await startTestS3('rehearse-bench', { ownProcess: true });
  s3Endpoint = store.endpoint;
  const dataDir = path.join(workDir, 'db');
  await mkdir(dataDir, { mode: 0o755 });
  await chmod(dataDir, 0o755);
  database = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  await migrate(database.url);
  db = createPrismaClient(database.url, { maxConnections: 4 });
  userId = (await db.user.create({ data: { email: 'bench-nodes@example.invalid', name: 'Bench' }, select: { id: true } })).id;
  questionId = (await db.question.create({ data: { slug: 'bench-nodes', text: 'Tell me about a time you scaled something.' }, select: { id: true } })).id;

  // Part A
  const one = await configuration(1);
  process.stdout.write(`one node: ${one.started} answers, ${one.busyCores.toFixed(2)} cores busy\n`);
  const two = await configuration(2);
  process.stdout.write(`two nodes: ${two.spread.join(' + ')} answers, ${two.busyCores.toFixed(2)} cores busy\n`);
  process.stdout.write(`\nA. ${ANSWERS} answers (${SECONDS} s each, Opus + VP8 320x240, recorder + audio fork) on one media node process vs two on this machine, ${cores} cores\n`);
  process.stdout.write('Placement: placeRoom (the API\'s) per answer, each answer\'s row counted at once. CPU is the whole machine, s3rver included; the senders\' (simulated browsers\') share in brackets, left out of CPU per answer.\n');
  process.stdout.write('"Node processes alone": the nodes\' process groups (node, mediasoup workers, ffmpeg), senders left out, so other work on the machine does not count there.\n');
  process.stdout.write(
    table(
      ['media nodes', 'answers per node', 'with gaps or not started', 'CPU cores busy', 'CPU per answer', 'per answer vs one node', 'node processes alone, per answer', 'vs one node', 'stop→in S3 p50', 'stop→in S3 p95'],
      [one, two].map((r) => [
        String(r.count),
        r.spread.join(' + '),
        String(r.withGaps),
        `${r.busyCores.toFixed(2)} of ${cores} (${r.senderCores.toFixed(2)})`,
        `${(r.perAnswer * 1000).toFixed(0)} millicores`,
        `${(r.perAnswer / one.perAnswer).toFixed(2)}×`,
        `${(r.nodePerAnswer * 1000).toFixed(0)} millicores (${r.nodeCores.toFixed(2)} cores)`,
        `${(r.nodePerAnswer / one.nodePerAnswer).toFixed(2)}×`,
        `${r.stopP50.toFixed(0)} ms`,
        `${r.stopP95.toFixed(0)} ms`,
      ]),
    ),
  );

  // Part B
  const b = await recovery();
  process.stdout.write(`\nB. Recovery after kill -9 of a media node recording ${b.answers} answers for ~${RECORD_SECONDS} s (heartbeat every ${MEDIA_NODE_HEARTBEAT_MS / 1000} s, stale after ${MEDIA_NODE_STALE_MS / 1000} s); the survivor's MediaNode takes over with AnswerSessions.recoverInterrupted (from S3 alone: the victim's spool is not its own)\n`);
  process.stdout.write(
    table(
      ['answers', 'finalized interrupted, with recording', 'failed / not finalized', 'kill→dead (detection)', 'dead→finalized p50 / p95', 'finalizing p95 vs clean stop→in S3 p95', 'kill→finalized p50', 'kill→finalized p95', 'kill→finalized max', `shorter than recorded −3 s`],
      [
        [
          `${b.startedOnVictim} of ${b.answers}`,
          String(b.recovered),
          `${b.failed} / ${b.notFinalized}`,
          ms(b.detection),
          `${ms(percentile(b.finalizing, 50))} / ${ms(percentile(b.finalizing, 95))}`,
          `${(percentile(b.finalizing, 95) / two.stopP95).toFixed(2)}× (${two.stopP95.toFixed(0)} ms, A two nodes)`,
          ms(percentile(b.toFinal, 50)),
          ms(percentile(b.toFinal, 95)),
          ms(Math.max(...b.toFinal)),
          `${b.short} (worst shortfall ${ms(b.worstShortfall)}, recorded ≥ ${ms(b.recordedS * 1000)})`,
        ],
      ],
    ),
  );
  process.stdout.write(`Takeovers reported by the survivor: ${b.takeovers.map((t) => `${t.count} answers of ${t.publicUrl} in ${ms(t.endedAt - t.startedAt)}`).join('; ') || 'none'}\n`);
  process.stdout.write(`Detection is bounded below by the stale limit less one heartbeat (${ms(MEDIA_NODE_STALE_MS - MEDIA_NODE_HEARTBEAT_MS)}) and above by the limit plus one heartbeat (${ms(MEDIA_NODE_STALE_MS + MEDIA_NODE_HEARTBEAT_MS)}).\n`);
  process.stdout.write(`Processes of the victim's group alive 1 s after the kill: ${b.leftInGroup}\n`);
} finally {
  await cleanUp();
}

/** Every child, PostgreSQL and s3rver stopped and the work directory gone, once (finally or a signal). */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const child of [...children]) await child.close().catch(() => child.kill());
    await db?.$disconnect().catch(() => {});
    await database?.stop().catch((error) => process.stderr.write(`embedded PostgreSQL did not stop: ${(error as Error).message}\n`));
    await store?.stop().catch(() => {});
    await rm(workDir, { recursive: true, force: true });
  })();
  return cleaning;
}

/**
 * The endpoint of the test S3, for the children's own clients: startTestS3 keeps it to itself, so
 * it is read from its process (the Unix socket s3rver listens on, from /proc).
 */
