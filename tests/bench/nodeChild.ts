// One media node of the `nodes` benchmark, in a process of its own: its own mediasoup WorkerPool,
// its own simulated browsers (an RtpReplay), the real MediaNode registration and heartbeat, and a
// real AnswerSessions whose recoverInterrupted is the node's takeover of dead nodes — as
// media/src/server.ts wires them. The parent (nodeProcess.ts) tells it which answers to record.
import path from 'node:path';
import { createLogger } from '@rehearse/core/logger';
import { createS3Client } from '@rehearse/core/storage';
import { createPrismaClient } from '@rehearse/db';
import { AnswerSessions, MediaNode, recordingKeyPrefix, resolveFfmpegPath, WorkerPool } from '@rehearse/media';
import { startAnswer, stopRecorders, type ReplayedAnswer } from './answers.ts';
import type { FromNode, NodeChildConfig, ToNode } from './nodeProcess.ts';
import { RtpReplay } from './rtpReplay.ts';

const config = JSON.parse(process.argv[2]!) as NodeChildConfig;
const send = (message: FromNode) => process.send!(message);
const ffmpegPath = resolveFfmpegPath(null);
const log = createLogger(`media-${config.id}`, { env: 'production', logLevel: 'error' });
const db = createPrismaClient(config.databaseUrl, { maxConnections: 4 });
const s3 = createS3Client({ endpoint: config.s3Endpoint, region: 'us-east-1', bucket: config.bucket, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true });
const pool = await WorkerPool.create({ workerBin: process.env.MEDIASOUP_WORKER_BIN, numWorkers: config.numWorkers });
const replay = await RtpReplay.start({ ffmpegPath, clip: config.clip });
const sessions = new AnswerSessions({ db, s3, bucket: config.bucket, spoolRoot: config.spoolRoot, ffmpegPath, log });
let running: ReplayedAnswer[] = [];
const node = new MediaNode({
  db,
  log,
  id: config.id,
  publicUrl: config.publicUrl,
  internalUrl: config.publicUrl.replace(/^ws/, 'http'),
  capacity: config.capacity,
  load: () => ({ answers: running.length, rooms: running.length }),
  takeOver: async (publicUrl) => {
    const startedAt = Date.now();
    const count = await sessions.recoverInterrupted(publicUrl, log, config.id);
    send({ type: 'tookOver', publicUrl, count, startedAt, endedAt: Date.now() });
    return count;
  },
});
await node.start();

let closing: Promise<void> | null = null;
function shutdown(): Promise<void> {
  closing ??= (async () => {
    await Promise.allSettled(running.map((a) => a.recorder.stop()));
    for (const a of running) {
      a.fork.close();
      a.sender.close();
      a.recorder.close();
    }
    await node.stop().catch(() => {});
    pool.close();
    replay.close();
    s3.destroy();
    await db.$disconnect();
    process.exit(0);
  })();
  return closing;
}

process.on('message', (message: ToNode) => {
  void (async () => {
    if (message.type === 'start') {
      const started: { answerId: string; at: number }[] = [];
      let failed = 0;
      for (const { answerId, userId } of message.answers) {
        if (failed >= 3) {
          failed++;
          continue;
        }
        try {
          const spoolDir = path.join(config.spoolRoot, answerId);
          running.push(await startAnswer({ pool, replay, s3, bucket: config.bucket, keyPrefix: recordingKeyPrefix(userId, answerId), spoolDir, ffmpegPath }));
          started.push({ answerId, at: Date.now() });
        } catch (error) {
          failed++;
          process.stdout.write(`node ${config.id}: answer ${answerId} could not start: ${(error as Error).message.split('\n')[0]}\n`);
        }
      }
      send({ type: 'started', started, failed });
    } else if (message.type === 'stop') {
      const answers = running;
      running = [];
      const { results, stopTimes } = await stopRecorders(answers, (a) => {
        a.fork.close();
        a.sender.close();
      });
      send({ type: 'stopped', results, stopTimes });
    } else if (message.type === 'exit') {
      await shutdown();
    }
  })().catch((error) => {
    process.stderr.write(`node ${config.id}: ${(error as Error).stack}\n`);
    process.exit(1);
  });
});
// The benchmark is gone: so is this node.
process.on('disconnect', () => void shutdown());
send({ type: 'ready', replayPid: replay.pid! });
