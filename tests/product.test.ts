// `npm start`'s launcher with everything real: embedded PostgreSQL and S3, migrations, the API,
// media and web processes, and the landing page in Chromium.
import net from 'node:net';
import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { RESTART_LIMIT, RESTART_WINDOW_MS } from '@rehearse/deploy/stack';
import { freePort, pidListeningOn } from './support/ports.ts';
import { productEnv, runLauncher, useProductAndBrowser, type RunningProduct } from './support/product.ts';

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('the running product', () => {
  const running = useProductAndBrowser();
  let product: RunningProduct;
  let browser: Browser;

  beforeAll(() => {
    ({ product, browser } = running);
  });

  it('serves the start page, which says what the product does and nothing about its insides', async () => {
    const page = await browser.newPage();
    await page.goto(product.url);
    expect(await page.getByTestId('start-practising').getAttribute('href')).toBe('/practice');
    expect(await page.getByTestId('health-status').count()).toBe(0);
    await page.close();
  });

  it('reports each dependency from GET /health on the API', async () => {
    const apiPort = product.ports[1]!;
    const response = await fetch(`http://127.0.0.1:${apiPort}/health`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; checks: { name: string; ok: boolean }[] };
    expect(body.status).toBe('ok');
    expect(body.checks.map((c) => c.name).sort()).toEqual(['database', 'mediaWorkers', 'objectStore', 'speechEngine']);
  });

  it('stops everything on Ctrl-C, embedded PostgreSQL and S3 included', async () => {
    const code = await product.stop('SIGINT');
    expect(code).toBe(0);
    for (const port of product.ports) expect(await portIsFree(port), `port ${port} released`).toBe(true);
  });
});

describe('a process that dies', () => {
  const running = useProductAndBrowser();

  /** Waits until `url` answers with a 200 again. */
  const healthy = (url: string) =>
    expect.poll(async () => (await fetch(url, { signal: AbortSignal.timeout(2000) }).catch(() => null))?.status ?? 0, { timeout: 30_000, interval: 200 }).toBe(200);

  it('is started again while the rest keeps serving, and the launcher keeps running', async () => {
    const { product, browser } = running;
    const [webPort, apiPort, mediaPort] = product.ports as [number, number, number];
    for (const [name, port] of [['api', apiPort], ['media', mediaPort]] as const) {
      const pid = await pidListeningOn(port);
      expect(pid, `${name} listens on ${port}`).toBeGreaterThan(0);
      process.kill(pid!, 'SIGKILL');
      // Meanwhile the web server still serves pages.
      expect((await fetch(product.url)).status).toBe(200);
      await healthy(`http://127.0.0.1:${port}/health`);
      expect(await pidListeningOn(port)).not.toBe(pid);
      expect(product.process.exitCode, product.output()).toBeNull();
    }
    expect(product.output()).toMatch(/api exited unexpectedly \(SIGKILL\); starting it again/);
    expect(product.output()).toMatch(/media exited unexpectedly \(SIGKILL\); starting it again/);
    // Everything works again end to end: the API's checks (database, S3, the new media server's workers).
    await expect.poll(async () => ((await (await fetch(`http://127.0.0.1:${apiPort}/health`)).json()) as { status: string }).status, { timeout: 20_000 }).toBe('ok');
    // And the pages through the web server and the new API.
    const page = await browser.newPage();
    await page.goto(`${product.url}/practice`);
    expect(await page.getByTestId('question-item').count()).toBeGreaterThan(0);
    await page.close();
    expect(await pidListeningOn(webPort)).toBeGreaterThan(0);
  });

  it('gives up, stopping everything, when a process keeps crashing', async () => {
    const { product } = running;
    const apiPort = product.ports[1]!;
    // The first test's crash counts too; kill the API each time it is back until the limit.
    for (let crashes = 1; crashes < RESTART_LIMIT; crashes++) {
      await healthy(`http://127.0.0.1:${apiPort}/health`);
      process.kill((await pidListeningOn(apiPort))!, 'SIGKILL');
    }
    const code = await new Promise<number | null>((resolve) => product.process.once('exit', resolve));
    expect(code).toBe(1);
    expect(product.output()).toMatch(new RegExp(`api exited \\(SIGKILL\\), ${RESTART_LIMIT} times within ${RESTART_WINDOW_MS / 1000} s; stopping`));
    for (const port of product.ports) expect(await portIsFree(port), `port ${port} released`).toBe(true);
  });
});

describe('bad configuration', () => {
  it('names an invalid DATABASE_URL in one line, without a stack trace', async () => {
    const { env } = await productEnv({ DATABASE_URL: 'mysql://nope' });
    const launcher = runLauncher(env);
    expect(await launcher.exited).toBe(78);
    const lines = launcher.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/DATABASE_URL must use postgres: or postgresql:/);
  });

  it('refuses to run in production on the dev outbox or over plain http', async () => {
    for (const [extra, message] of [
      [{ NODE_ENV: 'production', PUBLIC_URL: 'https://rehearse.example.com' }, 'SMTP_URL must be set when NODE_ENV=production'],
      [{ NODE_ENV: 'production', SMTP_URL: 'smtp://mail.example.com', PUBLIC_URL: 'http://rehearse.example.com' }, 'PUBLIC_URL must be https when NODE_ENV=production'],
    ] as const) {
      const { env } = await productEnv(extra);
      const launcher = runLauncher(env);
      expect(await launcher.exited).toBe(78);
      expect(launcher.output().trim()).toContain(message);
    }
  });

  it('names a port that is already in use in one line', async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const { env } = await productEnv({ API_PORT: String(port) });
      const launcher = runLauncher(env);
      expect(await launcher.exited).toBe(1);
      const lines = launcher.output().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`api (API_PORT) port ${port} is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('says when the database cannot be reached', async () => {
    const deadPort = await freePort();
    const { env } = await productEnv({ DATABASE_URL: `postgresql://u:secret-password@127.0.0.1:${deadPort}/x` });
    const launcher = runLauncher(env);
    expect(await launcher.exited).toBe(1);
    const output = launcher.output().trim();
    expect(output.split('\n').filter((l) => l.startsWith('[start]'))).toHaveLength(1);
    expect(output).toMatch(/database: .*ECONNREFUSED/);
    expect(output).not.toContain('secret-password');
  });
});
