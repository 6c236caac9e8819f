// The media process: `node media/src/server.ts`. Owns the mediasoup workers, the signaling
// WebSocket, recording to S3 and the audio fork. Separate from the API so media nodes can scale
// on their own; it shares the database and the token secret with the API.
import { mkdir } from 'node:fs/promises';
import Fastify from 'fastify';
import websocket from '@fastify/websocket';
import { checkPocketSphinx, DeepgramProvider, PocketSphinxProvider, warmUp, type EngineCheck } from '@rehearse/analysis';
import { loadConfigOrExit } from '@rehearse/core/config';
import { describeListenError } from '@rehearse/core/errors';
import { createLogger } from '@rehearse/core/logger';
import { startMetricsListener } from '@rehearse/core/metrics';
import { onShutdown } from '@rehearse/core/process';
import { RequestLog } from '@rehearse/core/request-log';
import { createS3Client } from '@rehearse/core/storage';
import { createPrismaClient } from '@rehearse/db';
import { AnswerSessions } from './answers/AnswerSessions.ts';
import { resolveFfmpegPath } from './ffmpeg.ts';
import { internalRoutes } from './internal-routes.ts';
import { listenInfos } from './listenInfos.ts';
import { bindMediaState, registry as metrics } from './metrics.ts';
import { Recorder } from './Recorder.ts';
import { closeRemuxPool } from './recording/remuxPool.ts';
import { MediaNode } from './node/MediaNode.ts';
import { RoomRegistry } from './RoomRegistry.ts';
import { signalingRoutes } from './signaling/routes.ts';
import { UsedTokens } from './signaling/UsedTokens.ts';
import { MAX_MESSAGE_BYTES } from '@rehearse/protocol/signaling';
import { WorkerPool } from './WorkerPool.ts';

const config = loadConfigOrExit('media');
const logger = createLogger('media', config);
const fatal = (message: string): never => {
  process.stderr.write(`[media] ${message}\n`);
  process.exit(78);
};
const tokenSecret = config.media.tokenSecret ?? fatal('configuration error: MEDIA_TOKEN_SECRET must be set (npm start sets one)');
const databaseUrl = config.database.url ?? fatal('configuration error: DATABASE_URL must be set (npm start sets it)');
const storageEndpoint = config.storage.endpoint ?? fatal('configuration error: S3_ENDPOINT must be set (npm start sets it)');

let pool: WorkerPool;
try {
  pool = await WorkerPool.create({
    workerBin: config.media.workerBin ?? undefined,
    numWorkers: config.media.numWorkers,
    rtcMinPort: config.media.rtcMinPort,
    rtcMaxPort: config.media.rtcMaxPort,
    // Draining needs the workers to outlive the signal; without it they stop with it, as before.
    outliveSignals: config.media.drainSeconds > 0,
  });
} catch (error) {
  process.stderr.write(`[media] mediasoup worker could not start (MEDIASOUP_WORKER_BIN=${config.media.workerBin ?? 'default'}): ${(error as Error).message}\n`);
  process.exit(1);
}
logger.info(`${pool.workers.length} mediasoup workers running`);

const db = createPrismaClient(databaseUrl);
const s3 = createS3Client({ ...config.storage, endpoint: storageEndpoint });
await mkdir(config.media.spoolDir, { recursive: true });
const rooms = new RoomRegistry({
  pool,
  log: logger,
  // An empty room waits as long as a vanished candidate may take to come back.
  emptyRoomTimeoutMs: config.media.reconnectGraceMs,
  transportSettings: { listenInfos: listenInfos(config.media) },
});
const answers = new AnswerSessions({
  db,
  s3,
  bucket: config.storage.bucket,
  spoolRoot: config.media.spoolDir,
  ffmpegPath: resolveFfmpegPath(config.ffmpegPath),
  reconnectGraceMs: config.media.reconnectGraceMs,
  log: logger,
  // Live analysis: Deepgram when a key is set, PocketSphinx as its fallback or on its own.
  speechProviders: [
    ...(config.speech.deepgramApiKey ? [new DeepgramProvider({ apiKey: config.speech.deepgramApiKey, logger })] : []),
    new PocketSphinxProvider(),
  ],
});
pool.on('workerreplaced', (oldPid, worker) => logger.error(`mediasoup worker ${oldPid} died; replaced by ${worker.pid}; its rooms were told to rejoin`));
const recover = (mediaUrl: string) => answers.recoverInterrupted(mediaUrl, logger, config.media.nodeId);
void recover(config.media.publicUrl).catch((error) => logger.error({ err: error }, 'recovery of interrupted answers failed'));
const node = new MediaNode({
  db,
  log: logger,
  id: config.media.nodeId,
  publicUrl: config.media.publicUrl,
  internalUrl: config.mediaInternalUrl,
  capacity: config.media.capacity,
  load: () => ({ answers: answers.size, rooms: rooms.size }),
  takeOver: recover,
});

// The embedded engine is checked once at boot (it loads a 40 MB model) and again only if it failed.
let speech: Promise<EngineCheck> = checkPocketSphinx();
// The coaching code (its tagger's model, the metrics, the filled-pause detector) run once at boot,
// not on the first candidate's answer.
logger.info(`coaching code warmed up in ${warmUp().toFixed(0)} ms`);

const app = Fastify({ loggerInstance: logger, logController: new RequestLog() });
await app.register(websocket, { options: { maxPayload: MAX_MESSAGE_BYTES } });

app.get('/health', async (_request, reply) => {
  let embedded = await speech;
  if (!embedded.ok) {
    speech = checkPocketSphinx();
    embedded = await speech;
  }
  const workers = pool.stats();
  const body = {
    workers,
    rooms: rooms.size,
    answers: answers.size,
    speech: config.speech.deepgramApiKey
      ? { ok: embedded.ok, engine: 'deepgram', detail: `API key set; ${embedded.ok ? 'PocketSphinx ready as fallback' : embedded.detail}` }
      : { ok: embedded.ok, engine: 'pocketsphinx', detail: embedded.detail },
  };
  return reply.status(workers.alive > 0 && body.speech.ok ? 200 : 503).send(body);
});

await app.register(signalingRoutes, {
  allowedOrigin: new URL(config.publicUrl).origin,
  services: {
    rooms,
    answers,
    tokenSecret,
    usedTokens: new UsedTokens(),
    mediaUrl: config.media.publicUrl,
    iceServers: config.media.iceServers,
    log: logger,
    async presence(bookingId, role, event) {
      const [joined, left] = role === 'mentor' ? (['mentorJoinedAt', 'mentorLeftAt'] as const) : (['seekerJoinedAt', 'seekerLeftAt'] as const);
      const now = new Date();
      if (event === 'left') {
        await db.booking.updateMany({ where: { id: bookingId }, data: { [left]: now } });
        return;
      }
      // The first arrival stays; any arrival means the party is in the room now.
      await db.booking.updateMany({ where: { id: bookingId, [joined]: null }, data: { [joined]: now } });
      await db.booking.updateMany({ where: { id: bookingId }, data: { [left]: null } });
    },
  },
});
await app.register(internalRoutes, { answers, db, tokenSecret });

try {
  await app.listen({ host: config.host, port: config.ports.media });
} catch (error) {
  pool.close();
  process.stderr.write(`[media] ${describeListenError(error, 'media server', config.ports.media).message}\n`);
  process.exit(1);
}
metrics.setDefaultLabels({ component: 'media', node: config.media.nodeId });
bindMediaState({
  rooms: () => rooms.size,
  peers: () => rooms.peers,
  answers: () => answers.size,
  capacity: config.media.capacity,
  draining: () => node.status === 'draining',
  workers: () => pool.workers.filter((w) => !w.closed).map((w) => ({ pid: w.pid, usage: () => w.getResourceUsage() })),
});
// Prometheus scrapes its own port: the signaling port is public, the metrics are not.
const metricsListener = await startMetricsListener('media', metrics, config.metrics);
// In the cluster once it can take joins.
await node.start();
logger.info(`media node ${config.media.nodeId} registered (${config.media.capacity} answers at once)`);

onShutdown(async () => {
  // Draining: the API places nothing new here; answers in progress run on for MEDIA_DRAIN_SECONDS
  // (or until they end), then what is left is finished.
  // (When the whole machine stops, the database may be going too: the other nodes then notice.)
  await node.drain().catch((error) => logger.info(`could not mark the node draining (${(error as { code?: string }).code ?? 'database unreachable'})`));
  const drainUntil = Date.now() + config.media.drainSeconds * 1000;
  if (answers.size > 0 && config.media.drainSeconds > 0) logger.info(`draining: ${answers.size} answers in progress, up to ${config.media.drainSeconds} s`);
  while (answers.size > 0 && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 500));
  // Finish recordings in flight so they are complete in S3 (bounded: a stuck upload must not
  // block shutdown; what is left is recovered at the next start).
  await Promise.race([answers.finishAll('The media server was stopped during this answer; what was received is kept.'), new Promise((r) => setTimeout(r, 8000))]);
  // Stopped answers' pieces are deleted after their answer is saved: let those deletions finish (bounded).
  await Promise.race([Recorder.cleanupsDone(), new Promise((r) => setTimeout(r, 5000))]);
  await node.stop().catch((error) => logger.info(`left without deregistering (${(error as { code?: string }).code ?? 'database unreachable'}); the other nodes take the row out`));
  await app.close();
  await metricsListener?.close();
  answers.closeAll();
  rooms.closeAll();
  pool.close();
  await closeRemuxPool();
  s3.destroy();
  await db.$disconnect();
}, { graceMs: config.media.drainSeconds * 1000 + 10_000 });
