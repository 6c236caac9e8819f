// The monitoring kit in deploy/monitoring, checked the way operators load it: Debian's promtool
// accepts the alerting rules and the scrape config, the rules' unit tests (alerts.test.yml) pass,
// and the Grafana dashboard and the alerts only ask for series the processes really export — the
// names in core/src/metrics.ts, api/src/plugins/metrics.ts, media/src/metrics.ts and prom-client's
// default metrics under the `rehearse_` prefix. A renamed metric then fails here, not silently on
// a dashboard showing "No data".
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createRegistry } from '@rehearse/core/metrics';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const monitoring = path.join(repoRoot, 'deploy/monitoring');
const PROMTOOL = '/usr/bin/promtool';

async function promtool(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run(PROMTOOL, args, { cwd: repoRoot });
  } catch (error) {
    const failed = error as Error & { stdout?: string; stderr?: string; code?: number };
    throw new Error(`promtool ${args.join(' ')} exited ${failed.code}:\n${failed.stdout ?? ''}${failed.stderr ?? ''}`);
  }
}

/** Every metric name the processes export: their own (`${METRICS_PREFIX}xxx` in the source) and prom-client's defaults. */
async function exportedNames(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const file of ['core/src/metrics.ts', 'api/src/plugins/metrics.ts', 'media/src/metrics.ts']) {
    const source = await readFile(path.join(repoRoot, file), 'utf8');
    for (const match of source.matchAll(/\$\{METRICS_PREFIX\}([a-zA-Z0-9_]+)/g)) names.add(`rehearse_${match[1]}`);
  }
  // A process's registry as the product makes it: the runtime's default series under the prefix.
  const registry = createRegistry('test');
  for (const metric of await registry.getMetricsAsJSON()) names.add(metric.name);
  return names;
}

/** The `rehearse_*` metrics an expression reads, histogram/summary series suffixes stripped. */
function metricsIn(expr: string): string[] {
  return [...expr.matchAll(/\brehearse_[a-zA-Z0-9_]+/g)].map(([name]) => name.replace(/_(bucket|count|sum)$/, ''));
}

interface Target { expr?: string }
interface Panel { type: string; title?: string; targets?: Target[]; panels?: Panel[] }
interface Dashboard {
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string; query?: string | { query?: string }; definition?: string }[] };
}
interface RuleFile { groups: { name: string; rules: { alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }[] }[] }

function allPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])]);
}

async function dashboard(): Promise<Dashboard> {
  return JSON.parse(await readFile(path.join(monitoring, 'grafana/rehearse-dashboard.json'), 'utf8')) as Dashboard;
}

async function alertRules(): Promise<RuleFile> {
  return parse(await readFile(path.join(monitoring, 'alerts.yml'), 'utf8')) as RuleFile;
}

describe('deploy/monitoring', () => {
  it('has alerting rules promtool accepts', async () => {
    const { stdout } = await promtool('check', 'rules', 'deploy/monitoring/alerts.yml');
    expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('has a scrape config promtool accepts, loading the alerting rules', async () => {
    const { stdout } = await promtool('check', 'config', 'deploy/monitoring/prometheus.yml');
    expect(stdout).toContain('SUCCESS: 1 rule files found');
    const config = parse(await readFile(path.join(monitoring, 'prometheus.yml'), 'utf8')) as { rule_files: string[]; scrape_configs: { static_configs?: { targets: string[] }[] }[] };
    expect(config.rule_files).toEqual(['alerts.yml']);
    const targets = config.scrape_configs.flatMap((job) => (job.static_configs ?? []).flatMap((group) => group.targets));
    expect(targets).toEqual(expect.arrayContaining(['api:9464', 'web:9464', 'media-1:9464', 'media-2:9464']));
  });

  it('passes the rules unit tests (word-to-screen, capacity, media node down, API errors)', async () => {
    const { stdout } = await promtool('test', 'rules', 'deploy/monitoring/alerts.test.yml');
    expect(stdout).toContain('SUCCESS');
    // The tests named in the brief are really there (an empty test file would pass too).
    const tests = parse(await readFile(path.join(monitoring, 'alerts.test.yml'), 'utf8')) as { tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[] };
    const fired = tests.tests.flatMap((test) => test.alert_rule_test ?? []).filter((t) => t.exp_alerts.length > 0).map((t) => t.alertname);
    const silent = tests.tests.flatMap((test) => test.alert_rule_test ?? []).filter((t) => t.exp_alerts.length === 0).map((t) => t.alertname);
    for (const alert of ['RehearseWordToScreenSlow', 'RehearseMediaNodeNearCapacity', 'RehearseMediaNodeDown']) {
      expect(fired).toContain(alert);
      expect(silent).toContain(alert);
    }
  });

  it('gives every alert a severity, a summary and a description', async () => {
    const alerts = (await alertRules()).groups.flatMap((group) => group.rules).filter((rule) => rule.alert);
    expect(alerts.length).toBeGreaterThanOrEqual(13);
    for (const rule of alerts) {
      expect(['critical', 'warning', 'info'], rule.alert).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
      expect(rule.annotations?.description, rule.alert).toBeTruthy();
    }
  });

  it('has a dashboard whose every panel queries series the processes export', async () => {
    const names = await exportedNames();
    // The source scan found the processes' own metrics, and prom-client its defaults.
    for (const name of ['rehearse_http_request_duration_seconds', 'rehearse_job_queue_depth', 'rehearse_word_to_screen_delay_seconds', 'rehearse_mediasoup_worker_memory_bytes', 'rehearse_process_cpu_seconds_total', 'rehearse_nodejs_eventloop_lag_p99_seconds']) {
      expect(names).toContain(name);
    }

    const board = await dashboard();
    expect(board.schemaVersion).toBeGreaterThanOrEqual(36);
    const variables = Object.fromEntries(board.templating.list.map((v) => [v.name, v]));
    expect(variables.datasource?.type).toBe('datasource');
    expect(variables.datasource?.query).toBe('prometheus');
    const nodeQuery = variables.node?.query;
    const nodeVariable = typeof nodeQuery === 'string' ? nodeQuery : (nodeQuery?.query ?? '');
    expect(nodeVariable).toBe('label_values(rehearse_media_rooms, node)');

    const panels = allPanels(board.panels).filter((panel) => panel.type !== 'row');
    expect(panels.length).toBeGreaterThanOrEqual(20);
    const exprs: string[] = [];
    for (const panel of panels) {
      const panelExprs = (panel.targets ?? []).map((target) => target.expr ?? '').filter((expr) => expr.trim() !== '');
      expect(panelExprs.length, `panel "${panel.title}" has no query`).toBeGreaterThan(0);
      exprs.push(...panelExprs);
    }
    exprs.push(nodeVariable);
    for (const expr of exprs) {
      const used = metricsIn(expr);
      expect(used.length, expr).toBeGreaterThan(0);
      for (const name of used) expect(names, `${name} in ${expr}`).toContain(name);
    }
  });

  it('has dashboard queries that are valid PromQL', async () => {
    // promtool has no offline expression check, but it parses recording rules: one per query.
    const board = await dashboard();
    const exprs = allPanels(board.panels).flatMap((panel) => (panel.targets ?? []).map((target) => target.expr ?? '')).filter(Boolean);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-dashboard-'));
    try {
      const file = path.join(dir, 'dashboard-rules.yml');
      const rules = exprs.map((expr, i) => `      - record: dashboard:query_${i}\n        expr: ${JSON.stringify(expr)}`).join('\n');
      await writeFile(file, `groups:\n  - name: dashboard\n    rules:\n${rules}\n`);
      const { stdout } = await promtool('check', 'rules', file);
      expect(stdout).toContain(`SUCCESS: ${exprs.length} rules found`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('has alerts that only read series the processes export', async () => {
    const names = await exportedNames();
    const rules = (await alertRules()).groups.flatMap((group) => group.rules);
    for (const rule of rules) {
      const used = metricsIn(rule.expr);
      // Only the target-health alerts read Prometheus's own `up` instead.
      if (used.length === 0) expect(rule.expr, rule.alert).toMatch(/\bup\b/);
      for (const name of used) expect(names, `${name} in ${rule.alert}`).toContain(name);
    }
  });
});
