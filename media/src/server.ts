// The media process: `node media/src/server.ts`. Owns the mediasoup workers; signaling and
// recording join it in later steps. Separate from the API so media nodes can scale on their own.
import Fastify from 'fastify';
import { checkPocketSphinx, type EngineCheck } from '@rehearse/analysis';
import { loadConfigOrExit } from '@rehearse/core/config';
import { describeListenError } from '@rehearse/core/errors';
import { createLogger } from '@rehearse/core/logger';
import { onShutdown } from '@rehearse/core/process';
import { RequestLog } from '@rehearse/core/request-log';
import { WorkerPool } from './WorkerPool.ts';

const config = loadConfigOrExit('media');
const logger = createLogger('media', config);

let pool: WorkerPool;
try {
  pool = await WorkerPool.create({
    workerBin: config.media.workerBin ?? undefined,
    numWorkers: config.media.numWorkers,
    rtcMinPort: config.media.rtcMinPort,
    rtcMaxPort: config.media.rtcMaxPort,
  });
} catch (error) {
  process.stderr.write(`[media] mediasoup worker could not start (MEDIASOUP_WORKER_BIN=${config.media.workerBin ?? 'default'}): ${(error as Error).message}\n`);
  process.exit(1);
}
pool.on('workerreplaced', (oldPid, worker) => logger.error(`mediasoup worker ${oldPid} died; replaced by ${worker.pid}`));
logger.info(`${pool.workers.length} mediasoup workers running`);

// The embedded engine is checked once at boot (it loads a 40 MB model) and again only if it failed.
let speech: Promise<EngineCheck> = checkPocketSphinx();

const app = Fastify({ loggerInstance: logger, logController: new RequestLog() });
app.get('/health', async (_request, reply) => {
  let embedded = await speech;
  if (!embedded.ok) {
    speech = checkPocketSphinx();
    embedded = await speech;
  }
  const workers = pool.stats();
  const body = {
    workers,
    speech: config.speech.deepgramApiKey
      ? { ok: embedded.ok, engine: 'deepgram', detail: `API key set; ${embedded.ok ? 'PocketSphinx ready as fallback' : embedded.detail}` }
      : { ok: embedded.ok, engine: 'pocketsphinx', detail: embedded.detail },
  };
  return reply.status(workers.alive > 0 && body.speech.ok ? 200 : 503).send(body);
});

try {
  await app.listen({ host: config.host, port: config.ports.media });
} catch (error) {
  pool.close();
  process.stderr.write(`[media] ${describeListenError(error, 'media server', config.ports.media).message}\n`);
  process.exit(1);
}
onShutdown(async () => {
  await app.close();
  pool.close();
});
