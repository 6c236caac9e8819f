import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { PrismaClient } from '@rehearse/db';
import type { Config } from '@rehearse/core/config';
import type { Check, Health } from '@rehearse/protocol';

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
  const media = fetchMediaHealth(config.mediaInternalUrl);
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
      const { workers } = await media;
      if (workers.alive === 0) throw new Error('no mediasoup worker is running');
      return `${workers.alive} of ${workers.total} mediasoup workers running`;
    }),
    timed('speechEngine', async () => {
      const { speech } = await media;
      if (!speech.ok) throw new Error(`${speech.engine}: ${speech.detail}`);
      return speech.detail;
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
