import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium, type ChromiumOptions } from './browser.ts';
import { freePort } from './ports.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface RunningProduct {
  url: string;
  process: ChildProcess;
  output: () => string;
  /** web, api, media, embedded PostgreSQL. */
  ports: number[];
  dataDir: string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Fresh ports and data directory for one run of the launcher behind `npm start`. */
export async function productEnv(extra: NodeJS.ProcessEnv = {}): Promise<{ env: NodeJS.ProcessEnv; dataDir: string; ports: number[] }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-test-'));
  // Embedded PostgreSQL runs as the `postgres` user when the tests run as root.
  await chmod(dataDir, 0o755);
  const ports = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const [web, api, media, pg] = ports as [number, number, number, number];
  return {
    dataDir,
    ports,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      WEB_PORT: String(web),
      API_PORT: String(api),
      MEDIA_PORT: String(media),
      EMBEDDED_POSTGRES_PORT: String(pg),
      PUBLIC_URL: `http://localhost:${web}`,
      MEDIASOUP_NUM_WORKERS: '1',
      ...extra,
    },
  };
}

/** Runs `deploy/local/start.ts` exactly as `npm start` does after set-up. */
export function runLauncher(env: NodeJS.ProcessEnv): { process: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['deploy/local/start.ts'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { process: child, output: () => output, exited };
}

export async function startProduct(extra: NodeJS.ProcessEnv = {}): Promise<RunningProduct> {
  const { env, dataDir, ports } = await productEnv(extra);
  const launcher = runLauncher(env);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      launcher.process.kill('SIGINT');
      reject(new Error(`product did not start in 90 s:\n${launcher.output()}`));
    }, 90_000);
    const check = () => {
      const match = /Rehearse is running: open (\S+)/.exec(launcher.output());
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    launcher.process.stdout!.on('data', check);
    void launcher.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`product exited with ${code} while starting:\n${launcher.output()}`));
    });
  });
  return {
    url,
    process: launcher.process,
    output: launcher.output,
    ports,
    dataDir,
    stop: async (signal = 'SIGINT') => {
      if (launcher.process.exitCode === null) launcher.process.kill(signal);
      const code = await launcher.exited;
      await rm(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

/**
 * In a describe block: the whole product (with `env` on top of the tests' own) and a Chromium,
 * started before its tests and stopped after (unless a test stopped the product itself).
 */
export function useProductAndBrowser(options: ChromiumOptions = {}, env: NodeJS.ProcessEnv = {}): { readonly product: RunningProduct; readonly browser: Browser } {
  let product: RunningProduct | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [product, browser] = await Promise.all([startProduct(env), launchChromium(options)]);
  });
  afterAll(async () => {
    await browser?.close();
    if (product && product.process.exitCode === null) await product.stop();
  });
  return {
    get product() {
      return product!;
    },
    get browser() {
      return browser!;
    },
  };
}
