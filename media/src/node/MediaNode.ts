// This media process as a node of the cluster (after LiveKit's node registry): it registers in
// `media_nodes` at start (its signaling URL, internal URL and capacity), beats its heart every
// couple of seconds with what it hosts, and is placed on by the API (api/src/answers/placement.ts)
// while the heartbeat is fresh and it is not draining. Every node also watches the others: a node
// whose heartbeat stopped is marked dead by exactly one survivor (a conditional update), which
// finalizes that node's answers from what S3 holds; each answer is claimed before it is recovered,
// so a node coming back and a survivor never both finalize one.
import type { PrismaClient } from '@rehearse/db';
import { MEDIA_NODE_HEARTBEAT_MS, MEDIA_NODE_STALE_MS } from '@rehearse/core/limits';
import type { Logger } from '@rehearse/core/logger';

export interface MediaNodeOptions {
  db: PrismaClient;
  log: Logger;
  id: string;
  publicUrl: string;
  internalUrl: string;
  capacity: number;
  /** What the node hosts now, for the row (operators read it; placement counts answers rows). */
  load: () => { answers: number; rooms: number };
  /** Finalizes the answers a dead node left (whose media_url is `publicUrl`); returns how many. */
  takeOver: (publicUrl: string) => Promise<number>;
  heartbeatMs?: number;
  staleAfterMs?: number;
}

export class MediaNode {
  readonly #o: Required<MediaNodeOptions>;
  #timer: NodeJS.Timeout | null = null;
  #beating: Promise<void> = Promise.resolve();
  #status: 'active' | 'draining' = 'active';

  constructor(options: MediaNodeOptions) {
    this.#o = { heartbeatMs: MEDIA_NODE_HEARTBEAT_MS, staleAfterMs: MEDIA_NODE_STALE_MS, ...options };
  }

  get status(): 'active' | 'draining' {
    return this.#status;
  }

  /** Registers (or comes back as) this node, and starts the heartbeat and the watch on the others. */
  async start(): Promise<void> {
    const { db, id, publicUrl, internalUrl, capacity } = this.#o;
    const now = new Date();
    // Another row may still claim this URL (a renamed node on the same address): this one is it now.
    await db.mediaNode.deleteMany({ where: { publicUrl, id: { not: id } } });
    const data = { publicUrl, internalUrl, capacity, status: 'active', startedAt: now, heartbeatAt: now, answers: 0, rooms: 0 };
    await db.mediaNode.upsert({ where: { id }, create: { id, ...data }, update: data });
    this.#timer = setInterval(() => {
      // A database that is briefly away (restarting, failing over) is retried at the next beat.
      this.#beating = this.#beat().catch((error) => this.#o.log.warn(`media node heartbeat missed (${(error as { code?: string }).code ?? (error as Error).message})`));
    }, this.#o.heartbeatMs);
    this.#timer.unref();
  }

  async #beat(): Promise<void> {
    const { db, id, log } = this.#o;
    const { answers, rooms } = this.#o.load();
    await db.mediaNode.updateMany({ where: { id }, data: { heartbeatAt: new Date(), answers, rooms, status: this.#status } });
    for (const dead of await this.#claimDead()) {
      log.warn(`media node ${dead.id} stopped answering; finalizing its answers here`);
      const recovered = await this.#o.takeOver(dead.publicUrl);
      log.info(`took over ${recovered} answers of media node ${dead.id}`);
      await db.mediaNode.deleteMany({ where: { id: dead.id, status: 'dead' } });
    }
  }

  /** Nodes whose heartbeat is stale, marked dead by this node alone (the update is the claim). */
  async #claimDead(): Promise<{ id: string; publicUrl: string }[]> {
    const { db, id } = this.#o;
    const before = new Date(Date.now() - this.#o.staleAfterMs);
    return db.$queryRaw<{ id: string; publicUrl: string }[]>`
      UPDATE media_nodes SET status = 'dead'
      WHERE id <> ${id} AND status <> 'dead' AND heartbeat_at < ${before}
      RETURNING id, public_url AS "publicUrl"`;
  }

  /** Takes nothing new from now on (the API stops placing here); what is running carries on. */
  async drain(): Promise<void> {
    this.#status = 'draining';
    await this.#o.db.mediaNode.updateMany({ where: { id: this.#o.id }, data: { status: 'draining', heartbeatAt: new Date() } });
  }

  /** Leaves the cluster: no more heartbeats, and the row goes (a clean stop is not a death). */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#beating;
    await this.#o.db.mediaNode.deleteMany({ where: { id: this.#o.id } });
  }
}
