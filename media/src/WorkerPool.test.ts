import { describe, expect, it } from 'vitest';
import { mediaCodecs } from './codecs.ts';
import { WorkerPool } from './WorkerPool.ts';

const workerBin = process.env.MEDIASOUP_WORKER_BIN;

describe('WorkerPool', () => {
  it('rejects a non-positive worker count', async () => {
    await expect(WorkerPool.create({ workerBin, numWorkers: 0 })).rejects.toThrow(TypeError);
  });

  it('leaves SIGINT and SIGTERM to the process when asked (a draining node closes its workers when it is done)', async () => {
    const before = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const pool = await WorkerPool.create({ workerBin, numWorkers: 2, outliveSignals: true });
    try {
      expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(before);
    } finally {
      pool.close();
    }
  });

  it('places routers on the least-loaded worker and replaces a worker that dies', async () => {
    const pool = await WorkerPool.create({ workerBin, numWorkers: 2 });
    try {
      expect(pool.stats()).toEqual({ alive: 2, total: 2 });
      const w1 = pool.leastLoaded();
      const first = await w1.createRouter({ mediaCodecs });
      const w2 = pool.leastLoaded();
      const second = await w2.createRouter({ mediaCodecs });
      expect(w2).not.toBe(w1);
      second.close();
      expect(pool.leastLoaded()).toBe(w2);

      const replaced = new Promise<[number, number]>((resolve) => pool.once('workerreplaced', (oldPid, worker) => resolve([oldPid, worker.pid])));
      const victim = w1;
      process.kill(victim.pid, 'SIGKILL');
      const [oldPid, newPid] = await replaced;
      expect(oldPid).toBe(victim.pid);
      expect(newPid).not.toBe(victim.pid);
      expect(first.closed).toBe(true);
      expect(pool.stats()).toEqual({ alive: 2, total: 2 });
    } finally {
      pool.close();
    }
    expect(pool.closed).toBe(true);
    expect(pool.workers.every((w) => w.closed)).toBe(true);
    expect(() => pool.leastLoaded()).toThrow('WorkerPool closed');
    pool.close();
  });
});
