// Time spent on the answer against its target length.
import { checkNow, requirePositive, withDefaults } from './options.ts';

export interface ElapsedOptions {
  /** Target answer length, seconds. */
  target: number;
  /** Seconds before the target when the page should suggest wrapping up. */
  wrapUpBefore: number;
}

export const ELAPSED_DEFAULTS: Readonly<ElapsedOptions> = { target: 120, wrapUpBefore: 20 };

export type ElapsedState = 'ok' | 'wrapUp' | 'over';

export interface ElapsedSnapshot {
  elapsed: number;
  target: number;
  /** target − elapsed; negative once over. */
  remaining: number;
  /** elapsed / target: 1 at the target. */
  progress: number;
  /** 'wrapUp' within `wrapUpBefore` of the target, 'over' from the target on. */
  state: ElapsedState;
}

export function measureElapsed(moment: { now: number }, given?: Partial<ElapsedOptions>): ElapsedSnapshot {
  const { target, wrapUpBefore } = withDefaults(ELAPSED_DEFAULTS, given, 'elapsed');
  requirePositive(target, 'elapsed.target');
  const elapsed = checkNow(moment.now);
  const remaining = target - elapsed;
  const state: ElapsedState = remaining <= 0 ? 'over' : remaining <= wrapUpBefore ? 'wrapUp' : 'ok';
  return { elapsed, target, remaining, progress: elapsed / target, state };
}
