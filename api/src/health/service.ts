import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { PrismaClient } from '@rehearse/db';
import type { Config } from '@rehearse/core/config';
import type { Check, Health } from '@rehearse/protocol';
import { MEDIA_NODE_STALE_MS } from '@rehearse/core/limits';

/** What the media server reports at its own /health (media/src/server.ts). */
interface MediaHealth {
  workers: { alive: number; total: number };
  speech: { ok: boolean; engine: string; detail: string };
}

async function timed(name: Check['name'], probe: () => Promise<string>): Promise<Check> {
  const started = performance.now();
  try {
    const detail = await probe();
    return { name, ok: true, detail, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { name, ok: false, detail: (error as Error).message || String(error), latencyMs: Math.round(performance.now() - started) };
  }
}

export interface HealthDeps {
  db: PrismaClient;
  s3: S3Client;
  bucket: string;
  config: Pick<Config, 'mediaInternalUrl' | 'speech' | 'ai' | 'billing'>;
}

export async function checkHealth({ db, s3, bucket, config }: HealthDeps): Promise<Health> {
  const media = mediaNodesHealth(db, config.mediaInternalUrl);
  const checks = await Promise.all([
    timed('database', async () => {
      const rows = await db.$queryRaw<{ version: string }[]>`SELECT version()`;
      return rows[0]!.version.split(' on ')[0]!;
    }),
    timed('objectStore', async () => {
      await s3.send(new HeadBucketCommand({ Bucket: bucket }));
      return `bucket ${bucket}`;
    }),
    timed('mediaWorkers', async () => {
      const nodes = await media;
      const ready = nodes.filter((n) => n.health && n.health.workers.alive > 0);
      if (ready.length === 0) throw new Error(nodes.map((n) => n.problem ?? `${n.name}: no mediasoup worker is running`).join('; '));
      if (nodes.length === 1) return `${ready[0]!.health!.workers.alive} of ${ready[0]!.health!.workers.total} mediasoup workers running`;
      const down = nodes.filter((n) => !ready.includes(n)).map((n) => n.name);
      return `${ready.length} of ${nodes.length} media nodes ready${down.length > 0 ? ` (not: ${down.join(', ')})` : ''}`;
    }),
    timed('speechEngine', async () => {
      const nodes = (await media).filter((n) => n.health);
      const ok = nodes.find((n) => n.health!.speech.ok);
      if (!ok) throw new Error(nodes.map((n) => `${n.health!.speech.engine}: ${n.health!.speech.detail}`).join('; ') || 'no media node answered');
      return ok.health!.speech.detail;
    }),
  ]);
  return {
    status: checks.every((c) => c.ok) ? 'ok' : 'degraded',
    checks,
    modes: {
      speech: config.speech.deepgramApiKey ? 'deepgram' : 'embedded',
      ai: config.ai.openaiApiKey ? 'openai' : 'heuristic',
      billing: config.billing.stripeSecretKey ? 'stripe' : 'local-test-mode',
    },
  };
}

/**
 * Every media node the API may place answers on (registered, not dead, heartbeat fresh), each
 * asked for its own /health; with none registered, the configured MEDIA_INTERNAL_URL.
 */
async function mediaNodesHealth(db: PrismaClient, fallbackUrl: string): Promise<{ name: string; health: MediaHealth | null; problem: string | null }[]> {
  const fresh = new Date(Date.now() - MEDIA_NODE_STALE_MS);
  const nodes = await db.mediaNode
    .findMany({ where: { status: { not: 'dead' }, heartbeatAt: { gte: fresh } }, select: { id: true, internalUrl: true }, orderBy: { id: 'asc' } })
    .catch(() => []);
  const targets = nodes.length > 0 ? nodes.map((n) => ({ name: n.id, url: n.internalUrl })) : [{ name: 'media server', url: fallbackUrl }];
  return Promise.all(
    targets.map(({ name, url }) =>
      fetchMediaHealth(url).then(
        (health) => ({ name, health, problem: null }),
        (error: Error) => ({ name, health: null, problem: `${name}: ${error.message}` }),
      ),
    ),
  );
}

async function fetchMediaHealth(mediaUrl: string): Promise<MediaHealth> {
  let response: Response;
  try {
    response = await fetch(new URL('/health', mediaUrl), { signal: AbortSignal.timeout(3000) });
  } catch (error) {
    throw new Error(`media server unreachable at ${mediaUrl}: ${(error as Error).message}`);
  }
  if (!response.ok && response.status !== 503) throw new Error(`media server answered ${response.status}`);
  return (await response.json()) as MediaHealth;
}
