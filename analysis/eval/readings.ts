// Who reads each script, and how fast: every flite voice this machine has, at three rates.
import type { Script } from './corpus.ts';

export const VOICES = ['slt', 'rms', 'kal16', 'awb', 'kal'];
export const STRETCHES = [0.85, 1, 1.2];

/** Two readings of each script, voices and rates rotating so every voice meets every rate. */
export function readingsOf(scripts: readonly Script[], voices: readonly string[]): Array<{ script: Script; voice: string; stretch: number }> {
  return scripts.flatMap((script, k) =>
    [0, 1].map((v) => ({ script, voice: voices[(2 * k + v) % voices.length]!, stretch: STRETCHES[(k + v) % STRETCHES.length]! })),
  );
}

