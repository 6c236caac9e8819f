import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '@rehearse/core/config';
import type { Logger } from '@rehearse/core/logger';
import { RequestLog } from '@rehearse/core/request-log';
import answerRoutes from './answers/routes.ts';
import authRoutes from './auth/routes.ts';
import healthRoutes from './health/routes.ts';
import auth from './plugins/auth.ts';
import questionRoutes from './questions/routes.ts';
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
  const app = Fastify({
    loggerInstance: logger,
    logController: new RequestLog(),
    requestIdHeader: 'x-request-id',
    // The web server on this machine proxies /api; its X-Forwarded-For names the visitor.
    trustProxy: 'loopback',
    // Unknown fields are an error the client should hear about, not something to drop silently.
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  await app.register(errors);
  await app.register(db, { databaseUrl });
  await app.register(storage, { storage: { ...config.storage, endpoint: storageEndpoint } });
  await app.register(auth, { config });
  await app.register(healthRoutes, { config });
  await app.register(authRoutes);
  await app.register(questionRoutes);
  await app.register(answerRoutes, { config });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
