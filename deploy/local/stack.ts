// The whole product on one machine: embedded PostgreSQL and S3 unless DATABASE_URL / S3_ENDPOINT
// point elsewhere, migrations, then the API, media and web processes. Used by `npm start` and by
// the end-to-end tests, so what the tests run is what people run.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '@rehearse/core/config';
import { StartupError } from '@rehearse/core/errors';
import type { Logger } from '@rehearse/core/logger';
import { createS3Client, ensureBucket } from '@rehearse/core/storage';
import { migrate } from '@rehearse/db/migrate';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { startEmbeddedS3 } from './embedded-s3.ts';
import { assertPortFree } from './ports.ts';

export interface Stack {
  url: string;
  databaseUrl: string;
  storageEndpoint: string;
  /** Each process's Prometheus metrics endpoint (none when METRICS_PORT=0). */
  metrics: { name: string; url: string }[];
  /**
   * Resolves when a component cannot be kept running: it crashed RESTART_LIMIT times within
   * RESTART_WINDOW_MS, or exited with a configuration error (78). A single crash only restarts it.
   */
  crashed: Promise<string>;
  stop(): Promise<void>;
}

/** A crashed component is started again after 0.5 s, then 1, 2, 4… up to 15 s while it keeps crashing. */
export const RESTART_BACKOFF_MS = { first: 500, max: 15_000 };
/** This many crashes within the window and the launcher gives up (something is wrong for good). */
export const RESTART_LIMIT = 5;
export const RESTART_WINDOW_MS = 60_000;
/** EX_CONFIG: the component's configuration is wrong; restarting would not help. */
const EXIT_CONFIG = 78;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Component {
  /** api, web, media — or media-1, media-2… with several media nodes. */
  name: string;
  entry: string;
  port: number;
  readyPath: string;
  /** Its own settings on top of the shared ones (each media node's port, id, URLs, ports for WebRTC, spool). */
  env?: NodeJS.ProcessEnv;
  /** Where it serves Prometheus metrics (0: none). */
  metricsPort?: number;
  /** How long it may take to stop before it is killed (a media node drains first). */
  stopTimeoutMs?: number;
}

/**
 * The media nodes to run (MEDIA_NODES, default 1): one keeps the configured settings; several get
 * consecutive ports from MEDIA_PORT, ids media-1, media-2…, a slice each of the WebRTC port range
 * and a spool folder each, like separate machines would have.
 */
export function mediaComponents(config: Config, count: number): Component[] {
  const stopTimeoutMs = config.media.drainSeconds * 1000 + 10_000;
  if (count <= 1) return [{ name: 'media', entry: 'media/src/server.ts', port: config.ports.media, readyPath: '/health', stopTimeoutMs }];
  const publicUrl = new URL(config.media.publicUrl);
  const slice = Math.floor((config.media.rtcMaxPort - config.media.rtcMinPort + 1) / count);
  return Array.from({ length: count }, (_, i) => {
    const port = config.ports.media + i;
    const url = new URL(publicUrl);
    url.port = String(port);
    return {
      name: `media-${i + 1}`,
      entry: 'media/src/server.ts',
      port,
      readyPath: '/health',
      stopTimeoutMs,
      env: {
        MEDIA_PORT: String(port),
        MEDIA_NODE_ID: `media-${i + 1}`,
        MEDIA_PUBLIC_URL: url.toString(),
        MEDIA_INTERNAL_URL: `http://127.0.0.1:${port}`,
        MEDIASOUP_RTC_MIN_PORT: String(config.media.rtcMinPort + i * slice),
        MEDIASOUP_RTC_MAX_PORT: String(config.media.rtcMinPort + (i + 1) * slice - 1),
        RECORDING_SPOOL_DIR: path.join(config.media.spoolDir, `media-${i + 1}`),
      },
    };
  });
}

export async function startStack({ config, log, env = process.env }: { config: Config; log: Logger; env?: NodeJS.ProcessEnv }): Promise<Stack> {
  const mediaNodes = mediaComponents(config, Number(env.MEDIA_NODES ?? 1) || 1);
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error) => log.warn({ err: error }, 'shutdown step failed'));
  };
  try {
    const components: Component[] = [
      { name: 'api', entry: 'api/src/server.ts', port: config.ports.api, readyPath: '/health' },
      ...mediaNodes,
      { name: 'web', entry: 'web/serve.ts', port: config.ports.web, readyPath: '/' },
    ];
    for (const c of components) await assertPortFree(c.port, `${c.name} (${c.name.toUpperCase()}_PORT)`, config.host);
    // Metrics: consecutive ports from METRICS_PORT, in the order above (api, media nodes, web).
    if (config.metrics.port > 0) {
      for (const [i, c] of components.entries()) {
        c.metricsPort = config.metrics.port + i;
        await assertPortFree(c.metricsPort, `${c.name} metrics (METRICS_PORT + ${i})`, config.metrics.host);
      }
    }

    let databaseUrl = config.database.url;
    if (!databaseUrl) {
      log.info(`starting embedded PostgreSQL on 127.0.0.1:${config.database.embeddedPort}`);
      const db = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.database.embeddedPort, onLog: (line) => log.debug(line) });
      const reaper = startReaper(db.databaseDir);
      cleanups.push(async () => {
        await db.stop();
        reaper.disconnect();
      });
      databaseUrl = db.url;
    }
    let storageEndpoint = config.storage.endpoint;
    if (!storageEndpoint) {
      const s3 = await startEmbeddedS3({ dataDir: config.dataDir });
      log.info(`embedded S3 (s3rver) listening on ${s3.endpoint}`);
      cleanups.push(s3.stop);
      storageEndpoint = s3.endpoint;
    }

    const { applied } = await migrate(databaseUrl).catch((error: Error) => {
      throw new StartupError('DATABASE_UNAVAILABLE', `database: ${error.message}`, { cause: error });
    });
    if (applied.length > 0) log.info(`applied migrations: ${applied.join(', ')}`);

    const s3 = createS3Client({ ...config.storage, endpoint: storageEndpoint });
    try {
      if ((await ensureBucket(s3, config.storage.bucket)) === 'created') log.info(`created bucket ${config.storage.bucket}`);
    } catch (error) {
      throw new StartupError('OBJECT_STORE_UNAVAILABLE', `object store at ${storageEndpoint}: ${(error as Error).message || (error as Error).name}`, { cause: error });
    } finally {
      s3.destroy();
    }

    const childEnv: NodeJS.ProcessEnv = {
      ...env,
      DATA_DIR: config.dataDir,
      // The API signs join tokens and the media server checks them; one secret per run is enough
      // locally because tokens live for minutes.
      MEDIA_TOKEN_SECRET: config.media.tokenSecret ?? randomBytes(32).toString('base64url'),
      DATABASE_URL: databaseUrl,
      S3_ENDPOINT: storageEndpoint,
      // Pages may open signaling sockets to every node.
      ...(mediaNodes.length > 1 ? { MEDIA_ORIGINS: mediaNodes.map((m) => new URL(m.env!.MEDIA_PUBLIC_URL!).origin).join(',') } : {}),
    };
    let onCrash: (name: string) => void = () => {};
    const crashed = new Promise<string>((resolve) => {
      onCrash = resolve;
    });
    for (const component of components) {
      const supervised = supervise(component, { ...childEnv, ...component.env, METRICS_PORT: String(component.metricsPort ?? 0) }, log, onCrash);
      cleanups.push(() => supervised.stop());
      await waitUntilReady(component, config, supervised.child);
    }
    const metrics = components.filter((c) => c.metricsPort).map((c) => ({ name: c.name, url: `http://${config.metrics.host}:${c.metricsPort}/metrics` }));
    return { url: config.publicUrl, databaseUrl, storageEndpoint, metrics, crashed, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Keeps one component running: when it exits on its own, it is started again after a backoff,
 * while the others keep serving (pages reconnect to a restarted media server by themselves).
 */
function supervise(component: Component, env: NodeJS.ProcessEnv, log: Logger, giveUp: (name: string) => void): { readonly child: ChildProcess; stop(): Promise<void> } {
  let child = spawnComponent(component, env);
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  const crashes: number[] = [];
  const watch = (current: ChildProcess) =>
    current.once('exit', (code, signal) => {
      if (stopping) return;
      const how = signal ?? `code ${code}`;
      const now = Date.now();
      crashes.push(now);
      while (crashes[0]! < now - RESTART_WINDOW_MS) crashes.shift();
      if (code === EXIT_CONFIG || crashes.length >= RESTART_LIMIT) {
        log.error(`${component.name} exited (${how})${code === EXIT_CONFIG ? ' with a configuration error' : `, ${crashes.length} times within ${RESTART_WINDOW_MS / 1000} s`}; stopping`);
        return giveUp(component.name);
      }
      const delay = Math.min(RESTART_BACKOFF_MS.max, RESTART_BACKOFF_MS.first * 2 ** (crashes.length - 1));
      log.error(`${component.name} exited unexpectedly (${how}); starting it again in ${delay / 1000} s`);
      timer = setTimeout(() => {
        timer = null;
        if (stopping) return;
        child = spawnComponent(component, env);
        watch(child);
        log.info(`${component.name} started again (pid ${child.pid})`);
      }, delay);
    });
  watch(child);
  return {
    get child() {
      return child;
    },
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      await stopChild(child, component.stopTimeoutMs);
    },
  };
}

function spawnComponent(component: Component, env: NodeJS.ProcessEnv): ChildProcess {
  // An IPC channel ties each child's life to the launcher: if the launcher dies, the channel
  // closes and the child exits instead of lingering on its port. Each child has a process group of
  // its own, so a Ctrl-C or a signal to the launcher's group reaches the launcher only, which
  // stops the children in order (a child that stopped by itself would look like a crash).
  return fork(path.join(repoRoot, component.entry), [], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [],
    detached: true,
  });
}

/** Stops the embedded PostgreSQL should the launcher die without doing it (deploy/local/reaper.ts). */
function startReaper(databaseDir: string): ChildProcess {
  const reaper = fork(path.join(repoRoot, 'deploy/local/reaper.ts'), [databaseDir], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  // Its channel must not keep the launcher alive, nor the launcher's own exit wait for it.
  reaper.channel?.unref();
  reaper.unref();
  return reaper;
}

async function waitUntilReady(component: Component, config: Config, child: ChildProcess): Promise<void> {
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${component.port}${component.readyPath}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new StartupError('COMPONENT_FAILED', `${component.name} stopped while starting (see its message above)`);
    }
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new StartupError('COMPONENT_TIMEOUT', `${component.name} did not answer at ${url} within 60 s`);
}

function stopChild(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
