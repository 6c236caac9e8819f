// The API process: `node api/src/server.ts`, started by deploy/local/start.ts or a container.
import { loadConfigOrExit } from '@rehearse/core/config';
import { describeListenError } from '@rehearse/core/errors';
import { createLogger } from '@rehearse/core/logger';
import { startMetricsListener } from '@rehearse/core/metrics';
import { onShutdown } from '@rehearse/core/process';
import { buildApp } from './app.ts';

const config = loadConfigOrExit('api');
const logger = createLogger('api', config);
if (!config.database.url || !config.storage.endpoint || !config.media.tokenSecret) {
  process.stderr.write('[api] configuration error: DATABASE_URL, S3_ENDPOINT and MEDIA_TOKEN_SECRET must be set (npm start sets them for the embedded servers)\n');
  process.exit(78);
}
const app = await buildApp({ config, databaseUrl: config.database.url, storageEndpoint: config.storage.endpoint, logger });
try {
  await app.listen({ host: config.host, port: config.ports.api });
} catch (error) {
  process.stderr.write(`[api] ${describeListenError(error, 'API', config.ports.api).message}\n`);
  process.exit(1);
}
// Prometheus scrapes its own port; the API's port never shows the metrics.
const metrics = await startMetricsListener('api', app.metrics, config.metrics);
onShutdown(async () => {
  await app.close();
  await metrics?.close();
});
