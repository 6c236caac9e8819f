// A store for @fastify/rate-limit in PostgreSQL, so that every API process counts against the
// same limits (a flood spread over several processes behind a load balancer is still one flood).
// One atomic upsert per counted request: the row's window ends at `reset_at_ms`; a request after
// it starts a new window at 1. Each limit is its own namespace — a route's method and URL, or for
// limits made with `createRateLimit` their size — so two limits never share a counter.
import type { PrismaClient } from '@rehearse/db';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;
interface StoreParams {
  routeInfo?: { method?: string | string[]; url?: string };
  max?: unknown;
  timeWindow?: unknown;
  continueExceeding?: boolean;
  exponentialBackoff?: boolean;
}

/** Expired rows are swept now and then (every this many counted requests, by whichever process). */
const SWEEP_EVERY = 500;

export function postgresRateLimitStore(db: PrismaClient) {
  let counted = 0;
  const sweep = () => void db.$executeRaw`DELETE FROM rate_limits WHERE reset_at_ms < ${BigInt(Date.now())}`.catch(() => {});

  return class PostgresRateLimitStore {
    readonly #namespace: string;

    constructor(options: unknown = {}, namespace = 'global') {
      const params = options as StoreParams;
      if (params.continueExceeding || params.exponentialBackoff) throw new Error('the PostgreSQL rate-limit store counts fixed windows only');
      this.#namespace = namespace;
    }

    incr(key: string, callback: Callback, timeWindow: number): void {
      const now = Date.now();
      const fresh = BigInt(now + timeWindow);
      const nowMs = BigInt(now);
      if (++counted % SWEEP_EVERY === 0) sweep();
      db.$queryRaw<{ count: number; reset_at_ms: bigint }[]>`
        INSERT INTO rate_limits (key, count, reset_at_ms) VALUES (${`${this.#namespace}|${key}`}, 1, ${fresh})
        ON CONFLICT (key) DO UPDATE SET
          count = CASE WHEN rate_limits.reset_at_ms <= ${nowMs} THEN 1 ELSE rate_limits.count + 1 END,
          reset_at_ms = CASE WHEN rate_limits.reset_at_ms <= ${nowMs} THEN ${fresh} ELSE rate_limits.reset_at_ms END
        RETURNING count, reset_at_ms`.then(
        ([row]) => callback(null, { current: row!.count, ttl: Math.max(0, Number(row!.reset_at_ms) - now) }),
        (error: Error) => callback(error),
      );
    }

    read(key: string, callback: Callback): void {
      const now = Date.now();
      db.rateLimit.findUnique({ where: { key: `${this.#namespace}|${key}` } }).then(
        (row) => callback(null, !row || Number(row.resetAtMs) <= now ? { current: 0, ttl: 0 } : { current: row.count, ttl: Number(row.resetAtMs) - now }),
        (error: Error) => callback(error),
      );
    }

    // Typed as a route's options by the plugin; at run time the limit's merged settings with `routeInfo`.
    child(options: unknown): PostgresRateLimitStore {
      const params = options as StoreParams;
      const { method, url } = params.routeInfo ?? {};
      const namespace = url ? `${[method].flat().join(',')} ${url}` : `limit ${String(params.max)}/${String(params.timeWindow)}`;
      return new PostgresRateLimitStore(params, namespace);
    }
  };
}
