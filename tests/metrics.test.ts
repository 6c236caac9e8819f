// Prometheus metrics, read the way operators read them: Debian's Prometheus scrapes every process
// of `npm start` (api, two media nodes, web) while a candidate answers in Chromium, and the key
// series have values — request latency, event-loop lag, rooms, peers, answers in progress,
// recording bytes and S3 upload lag, the speech engine's and the page's delay behind speech, the
// job queue's depth, the media nodes, the mediasoup workers' CPU. The metrics are on listeners of
// their own: the public ports (web, API, signaling) do not serve them.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, speechFile } from './support/browser.ts';
import { productDb, signedUpContext, startAnswerInPage, type Db } from './support/calls.ts';
import { freePort, freePortRange } from './support/ports.ts';
import { startProduct, type RunningProduct } from './support/product.ts';

describe('metrics', () => {
  let product: RunningProduct;
  let browser: Browser;
  let db: Db;
  let dir: string;
  let metricsBase: number;
  let prometheus: ChildProcess | undefined;
  let prometheusUrl: string;
  let prometheusLog = '';

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-metrics-'));
    metricsBase = await freePortRange(4);
    const speech = await speechFile(dir, 'I measured the queue first, then I rebuilt the worker, and the delays fell by half within a week.');
    [product, browser] = await Promise.all([startProduct({ MEDIA_NODES: '2', METRICS_PORT: String(metricsBase) }), launchChromium({ fakeAudioFile: speech })]);
    db = productDb(product);
  }, 180_000);

  afterAll(async () => {
    prometheus?.kill('SIGKILL');
    await db?.$disconnect();
    await browser?.close();
    if (product && product.process.exitCode === null) await product.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  // api, media-1, media-2, web: consecutive ports from METRICS_PORT.
  const targets = () => [0, 1, 2, 3].map((i) => `127.0.0.1:${metricsBase + i}`);

  it('serves metrics on their own ports, and not on the web, API or signaling ports', async () => {
    const [web, api, media] = product.ports as [number, number, number];
    // (Readiness for load balancers is /health on the web server and the API.)
    const ready = await fetch(`http://127.0.0.1:${web}/health`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ok' }]);
    // The API's /health asks every registered media node.
    const health = (await (await fetch(`http://127.0.0.1:${api}/health`)).json()) as { checks: { name: string; detail: string }[] };
    expect(health.checks.find((c) => c.name === 'mediaWorkers')?.detail).toBe('2 of 2 media nodes ready');
    for (const port of [web, api, media, media + 1]) {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(response.status, `port ${port}`).toBe(404);
      expect(await response.text()).not.toContain('rehearse_');
    }
    for (const [i, component] of ['api', 'media', 'media', 'web'].entries()) {
      const response = await fetch(`http://${targets()[i]}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      const body = await response.text();
      expect(body).toContain(`component="${component}"`);
      expect(body).toMatch(/rehearse_nodejs_eventloop_lag_seconds\{/);
    }
    // Only GET /metrics.
    expect((await fetch(`http://${targets()[0]}/`)).status).toBe(404);
    expect((await fetch(`http://${targets()[0]}/metrics`, { method: 'POST' })).status).toBe(404);
  });

  it('is scraped by a real Prometheus while a candidate answers, and the key series have values', { timeout: 240_000 }, async () => {
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    const config = path.join(dir, 'prometheus.yml');
    await writeFile(
      config,
      ['global:', '  scrape_interval: 1s', '  scrape_timeout: 900ms', 'scrape_configs:', '  - job_name: rehearse', '    static_configs:', `      - targets: [${targets().map((t) => `'${t}'`).join(', ')}]`, ''].join('\n'),
    );
    prometheus = spawn('/usr/bin/prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    prometheus.stderr!.on('data', (d: Buffer) => (prometheusLog += d.toString()));

    const query = async (expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> => {
      const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`).catch(() => null);
      if (!response?.ok) return [];
      return ((await response.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }).data.result;
    };
    const value = async (expr: string): Promise<number | null> => {
      const [first] = await query(expr);
      return first ? Number(first.value[1]) : null;
    };

    // Every process is up for Prometheus.
    await expect.poll(async () => (await query('up == 1')).length, { timeout: 30_000, interval: 1000, message: prometheusLog.slice(-2000) }).toBe(4);

    // A candidate answers on camera for a few seconds, with the live coach listening.
    const origin = new URL(product.url).origin;
    const context = await signedUpContext(browser, origin, 'metrics@example.com', 'Mia Metrics');
    const { page } = await startAnswerInPage(context, origin, db);
    // While it records, the node holding it shows one answer, one room, one participant.
    await expect.poll(() => value('sum(rehearse_answers_in_progress)'), { timeout: 20_000, interval: 1000 }).toBe(1);
    await expect.poll(() => value('sum(rehearse_media_rooms)'), { timeout: 10_000, interval: 1000 }).toBe(1);
    await expect.poll(() => value('sum(rehearse_media_peers)'), { timeout: 10_000, interval: 1000 }).toBe(1);
    // Words reach the page: the engine's and the page's delay behind speech are measured.
    await page.waitForFunction(() => (document.querySelector('[data-testid=live-transcript]')?.textContent ?? '').trim().split(/\s+/).length >= 3, null, { timeout: 60_000 });
    await page.waitForTimeout(4_000);
    await page.getByTestId('stop-answer').click();
    await page.waitForURL(/\/answers\/[^/]+$/, { timeout: 60_000 });
    await context.close();

    const positive = async (expr: string) => expect.poll(async () => (await value(expr)) ?? 0, { timeout: 20_000, interval: 1000, message: expr }).toBeGreaterThan(0);
    await positive('sum(rehearse_recording_bytes_total{stage="final"})');
    await positive('sum(rehearse_s3_upload_lag_seconds_count)');
    await positive('sum(rehearse_speech_engine_delay_seconds_count)');
    await positive('sum(rehearse_word_to_screen_delay_seconds_count)');
    await positive('sum(rehearse_answers_finished_total{outcome="stopped"})');
    await positive('sum(rehearse_http_request_duration_seconds_count{component="api", route="/api/answers", method="POST"})');
    await positive('sum(rehearse_http_request_duration_seconds_count{component="web", route="page"})');
    await positive('sum(rehearse_mediasoup_worker_cpu_seconds_total)');
    await positive('min(rehearse_mediasoup_worker_memory_bytes)');
    // The delays are plausible: seconds, not hours (a wrong clock or unit would show here).
    const p95 = await value('histogram_quantile(0.95, sum by (le) (rehearse_word_to_screen_delay_seconds_bucket))');
    expect(p95).toBeGreaterThan(0);
    expect(p95).toBeLessThan(10);
    // Back to nothing in progress; both nodes active and reported by the API.
    await expect.poll(() => value('sum(rehearse_answers_in_progress)'), { timeout: 20_000, interval: 1000 }).toBe(0);
    expect(await value('rehearse_media_nodes{state="active"}')).toBe(2);
    expect(await value('sum(rehearse_media_capacity)')).toBeGreaterThan(0);
    // The job queue's depth has a series per queue (the retention sweep's among them).
    expect((await query('rehearse_job_queue_depth{state="queued"}')).map((r) => r.metric.queue)).toContain('retention-sweep');
    // Every process reports its event loop and CPU.
    expect((await query('rehearse_nodejs_eventloop_lag_p99_seconds')).map((r) => r.metric.component).sort()).toEqual(['api', 'media', 'media', 'web']);
    expect((await query('rehearse_process_cpu_seconds_total > 0')).length).toBe(4);
  });
});
