import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '@rehearse/core/config';
import type { Logger } from '@rehearse/core/logger';
import { RequestLog } from '@rehearse/core/request-log';
import healthRoutes from './health/routes.ts';
import db from './plugins/db.ts';
import errors from './plugins/errors.ts';
import storage from './plugins/storage.ts';

export interface AppOptions {
  config: Config;
  /** Resolved by the launcher: the embedded server's URL or the configured one. */
  databaseUrl: string;
  storageEndpoint: string;
  logger: Logger;
}

export async function buildApp({ config, databaseUrl, storageEndpoint, logger }: AppOptions) {
  const app = Fastify({ loggerInstance: logger, logController: new RequestLog(), requestIdHeader: 'x-request-id' }).withTypeProvider<TypeBoxTypeProvider>();
  await app.register(errors);
  await app.register(db, { databaseUrl });
  await app.register(storage, { storage: { ...config.storage, endpoint: storageEndpoint } });
  await app.register(healthRoutes, { config });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
