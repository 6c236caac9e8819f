import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { InvalidStateError } from '@rehearse/core/errors';
import { TypedEmitter } from './TypedEmitter.ts';

export type WorkerPoolEvents = {
  /** A worker died and was replaced; everything that lived on it is gone. */
  workerreplaced: [oldPid: number, newWorker: types.Worker];
  close: [];
};

export interface WorkerPoolOptions {
  /** Path of the mediasoup-worker binary (scripts/setup provides it). Default: mediasoup's own. */
  workerBin?: string;
  /** How many workers; default one per CPU core. */
  numWorkers: number;
  /** UDP/TCP port range for WebRTC transports, split across workers by the worker itself. */
  rtcMinPort?: number;
  rtcMaxPort?: number;
  /**
   * Keep the workers running when this process gets SIGINT/SIGTERM (mediasoup closes them by
   * default): a draining node closes them itself once its answers have finished.
   */
  outliveSignals?: boolean;
}

/** One mediasoup worker per core; a worker that dies is replaced at once. */
export class WorkerPool extends TypedEmitter<WorkerPoolEvents> {
  readonly #workers: types.Worker[] = [];
  readonly #settings: types.WorkerSettings;
  /** Routers alive on each worker: the load measure for placing rooms. */
  readonly #routerCount = new Map<types.Worker, number>();
  #closed = false;
  #outliveSignals = false;

  static async create({ workerBin, numWorkers, rtcMinPort = 40000, rtcMaxPort = 49999, outliveSignals = false }: WorkerPoolOptions): Promise<WorkerPool> {
    if (!Number.isInteger(numWorkers) || numWorkers < 1) throw new TypeError('numWorkers must be a positive integer');
    const pool = new WorkerPool({ workerBin, rtcMinPort, rtcMaxPort, logLevel: 'warn' });
    pool.#outliveSignals = outliveSignals;
    try {
      for (let i = 0; i < numWorkers; i++) pool.#workers.push(await pool.#spawn());
    } catch (error) {
      pool.close();
      throw error;
    }
    return pool;
  }

  private constructor(settings: types.WorkerSettings) {
    super();
    this.#settings = settings;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get workers(): readonly types.Worker[] {
    return this.#workers;
  }

  stats(): { alive: number; total: number } {
    return { alive: this.#workers.filter((w) => !w.died && !w.closed).length, total: this.#workers.length };
  }

  async #spawn(): Promise<types.Worker> {
    // mediasoup closes each worker on SIGINT/SIGTERM to this process; a draining pool closes them
    // itself (after the node's answers have finished), so the listeners mediasoup adds come off.
    const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
    const worker = await mediasoup.createWorker(this.#settings);
    if (this.#outliveSignals) {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        for (const listener of process.listeners(signal)) if (!before[signal].includes(listener)) process.removeListener(signal, listener);
      }
    }
    this.#routerCount.set(worker, 0);
    worker.observer.on('newrouter', (router) => {
      this.#routerCount.set(worker, (this.#routerCount.get(worker) ?? 0) + 1);
      router.observer.once('close', () => this.#routerCount.set(worker, (this.#routerCount.get(worker) ?? 1) - 1));
    });
    worker.on('died', () => void this.#replace(worker));
    return worker;
  }

  async #replace(dead: types.Worker): Promise<void> {
    if (this.#closed) return;
    const index = this.#workers.indexOf(dead);
    if (index < 0) return;
    const replacement = await this.#spawn();
    if (this.#closed) {
      replacement.close();
      return;
    }
    this.#workers[index] = replacement;
    this.#routerCount.delete(dead);
    this.safeEmit('workerreplaced', dead.pid, replacement);
  }

  /** The worker with the fewest routers; rooms are placed there. */
  leastLoaded(): types.Worker {
    if (this.#closed) throw new InvalidStateError('WorkerPool closed');
    const alive = this.#workers.filter((w) => !w.died && !w.closed);
    if (alive.length === 0) throw new InvalidStateError('no mediasoup worker is alive');
    const load = (w: types.Worker) => this.#routerCount.get(w) ?? 0;
    return alive.reduce((best, w) => (load(w) < load(best) ? w : best));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const worker of this.#workers) worker.close();
    this.safeEmit('close');
  }
}
