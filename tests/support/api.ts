// The API built over real test services (PostgreSQL, S3), for app.inject tests.
import { afterAll, beforeAll } from 'vitest';
import { buildApp, type App, type AppOptions } from '@rehearse/api';
import { createLogger } from '@rehearse/core/logger';
import { startServices, type TestServices } from './services.ts';

export interface TestApi {
  app: App;
  services: TestServices;
  /** The site's origin, which state-changing requests must carry. */
  origin: string;
  stop(): Promise<void>;
}

export async function startApi(env: Record<string, string> = {}, options: Pick<AppOptions, 'jobs'> = {}): Promise<TestApi> {
  const services = await startServices(env);
  const { config } = services;
  const app = await buildApp({ config, databaseUrl: services.databaseUrl, storageEndpoint: services.storageEndpoint, logger: createLogger('api', config), ...options });
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

/** A 1×1 PNG: an avatar that really is an image. */
export const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6300010000050001a5f645400000000049454e44ae426082', 'hex');

type InjectResponse = Awaited<ReturnType<App['inject']>>;

/** The session cookie an API response set, as a Cookie header; undefined if it set none. */
export function sessionCookie(response: InjectResponse): string | undefined {
  const cookie = response.cookies.find((c) => c.name === 'rehearse_session');
  return cookie ? `rehearse_session=${cookie.value}` : undefined;
}

let nextClient = 0;

/** Signs up through the API, each account from its own client address (sign-up is rate-limited per address). */
export async function signUp(app: App, origin: string, email: string, password = 'a long enough password'): Promise<{ cookie: string; id: string }> {
  const n = ++nextClient;
  const response = await app.inject({ method: 'POST', url: '/api/auth/signup', headers: { origin }, remoteAddress: `10.9.${n >> 8}.${n & 255}`, payload: { email, password } });
  if (response.statusCode !== 201) throw new Error(`sign-up of ${email} failed: ${response.body}`);
  return { cookie: sessionCookie(response)!, id: response.json().user.id as string };
}

/** A guest session, each from its own client address (guest creation is rate-limited per address). */
export async function startGuest(app: App, origin: string): Promise<{ cookie: string; id: string }> {
  const n = ++nextClient;
  const response = await app.inject({ method: 'POST', url: '/api/auth/guest', headers: { origin }, remoteAddress: `10.8.${n >> 8}.${n & 255}` });
  if (response.statusCode !== 201) throw new Error(`guest sign-in failed: ${response.body}`);
  return { cookie: sessionCookie(response)!, id: response.json().user.id as string };
}
