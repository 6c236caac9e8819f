// The API built over real test services (PostgreSQL, S3), for app.inject tests.
import { afterAll, beforeAll } from 'vitest';
import { buildApp, type App } from '@rehearse/api';
import { createLogger } from '@rehearse/core/logger';
import { startServices, type TestServices } from './services.ts';

export interface TestApi {
  app: App;
  services: TestServices;
  /** The site's origin, which state-changing requests must carry. */
  origin: string;
  stop(): Promise<void>;
}

export async function startApi(env: Record<string, string> = {}): Promise<TestApi> {
  const services = await startServices(env);
  const { config } = services;
  const app = await buildApp({ config, databaseUrl: services.databaseUrl, storageEndpoint: services.storageEndpoint, logger: createLogger('api', config) });
  return {
    app,
    services,
    origin: new URL(config.publicUrl).origin,
    async stop() {
      await app.close();
      await services.stop();
    },
  };
}

/** In a describe block: the API started before its tests and stopped after them. */
export function useApi(env: Record<string, string> = {}): { readonly app: App; readonly origin: string } {
  let api: TestApi | undefined;
  beforeAll(async () => {
    api = await startApi(env);
  });
  afterAll(async () => {
    await api?.stop();
  });
  return {
    get app() {
      return api!.app;
    },
    get origin() {
      return api!.origin;
    },
  };
}
