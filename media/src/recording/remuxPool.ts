// Final remuxes off the main thread: a pool of worker threads (piscina), one per core, so a burst
// of answers stopping together is remuxed in parallel while the media process's event loop keeps
// serving the answers still live (signaling, the audio fork, speech-to-text).
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { MediaInfo, remuxSinglePiece } from './mediaFiles.ts';

let pool: Piscina | null = null;

export function remuxInWorker(task: Parameters<typeof remuxSinglePiece>[0]): Promise<MediaInfo> {
  pool ??= new Piscina({
    filename: new URL('./remuxWorker.ts', import.meta.url).href,
    maxThreads: Math.max(1, availableParallelism()),
    minThreads: 0,
    // Idle threads go after a while: a quiet node holds none.
    idleTimeout: 30_000,
  });
  return pool.run(task) as Promise<MediaInfo>;
}

/** Ends the worker threads (at shutdown). */
export async function closeRemuxPool(): Promise<void> {
  const closing = pool;
  pool = null;
  await closing?.destroy();
}
