// Two takes of one figure: the change, and whether it went the right way.

export type Better = 'lower' | 'higher' | { band: { min: number; max: number } };

/** Whether `later` is better than `earlier` (null: no change, or a figure missing); for a band, closer to its middle is better. */
export function improvement(earlier: number | null, later: number | null, better: Better): boolean | null {
  if (earlier === null || later === null || earlier === later) return null;
  if (better === 'lower') return later < earlier;
  if (better === 'higher') return later > earlier;
  const middle = (better.band.min + better.band.max) / 2;
  const [before, after] = [Math.abs(earlier - middle), Math.abs(later - middle)];
  return before === after ? null : after < before;
}

/** The answer length the automatic feedback recommends: one and a half to two minutes (seconds). */
export const GOOD_LENGTH = { min: 90, max: 120 };
