// Speaking pace in words per minute. Only final words count, and hesitations are left out so the
// figure is the same whether or not the engine hears "um". A word belongs to the window its
// midpoint falls in. Pauses inside a window slow it down: that is speaking rate, not articulation.
import type { TimedWord } from '../transcript/types.ts';
import { countAtMost, prepare, type Prepared, spokenMidpoints } from './tokens.ts';
import { requirePositive, withDefaults } from './options.ts';

export interface PaceOptions {
  /** Seconds of speech the rolling pace looks back over. */
  window: number;
  /** The target band, inclusive, in words per minute. */
  minWpm: number;
  maxWpm: number;
  /** No pace is given for less speech than this (seconds): two words in a second are not 120 wpm. */
  minSpan: number;
  /** Seconds between points of the pace timeline. */
  step: number;
}

export const PACE_DEFAULTS: Readonly<PaceOptions> = { window: 20, minWpm: 130, maxWpm: 175, minSpan: 5, step: 5 };

export type PaceState = 'unknown' | 'tooSlow' | 'ok' | 'tooFast';

export interface PaceReading {
  /** Words per minute, or null while there is less than `minSpan` of speech to measure. */
  wpm: number | null;
  state: PaceState;
  /** Spoken words counted (midpoint in (start, end]). */
  words: number;
  /** The measured stretch, answer seconds. */
  start: number;
  end: number;
}

export interface PaceSnapshot {
  /**
   * The last `window` seconds of recognised speech, ending at the last final word's end rather than
   * at "now": finals arrive a second or more late, and a silence is the pause metric's to show.
   */
  rolling: PaceReading;
  /** From the first word's start to the last word's end. */
  overall: PaceReading;
  target: { min: number; max: number };
}

export interface PacePoint {
  /** Answer seconds: step, 2·step, … up to the last word's end. */
  t: number;
  /** Pace over the `window` seconds ending at t (not before the first word). */
  wpm: number | null;
  state: PaceState;
}

export function resolvePaceOptions(given?: Partial<PaceOptions>): PaceOptions {
  const options = withDefaults(PACE_DEFAULTS, given, 'pace');
  requirePositive(options.window, 'pace.window');
  requirePositive(options.step, 'pace.step');
  if (options.minWpm > options.maxWpm) {
    throw new TypeError(`pace.minWpm (${options.minWpm}) must not exceed pace.maxWpm (${options.maxWpm})`);
  }
  return options;
}

export function measurePace(words: readonly TimedWord[], given?: Partial<PaceOptions>): PaceSnapshot {
  return paceOf(prepare(words), resolvePaceOptions(given));
}

export function paceTimeline(words: readonly TimedWord[], given?: Partial<PaceOptions>): PacePoint[] {
  return timelineOf(prepare(words), resolvePaceOptions(given));
}

export function paceOf(prepared: Prepared, options: PaceOptions): PaceSnapshot {
  const mids = spokenMidpoints(prepared);
  const first = prepared.words[0]?.start ?? 0;
  const last = lastEnd(prepared.words);
  return {
    rolling: read(mids, first, Math.max(first, last - options.window), last, options),
    overall: read(mids, first, first, last, options),
    target: { min: options.minWpm, max: options.maxWpm },
  };
}

export function timelineOf(prepared: Prepared, options: PaceOptions): PacePoint[] {
  if (prepared.words.length === 0) return [];
  const mids = spokenMidpoints(prepared);
  const first = prepared.words[0]!.start;
  const last = lastEnd(prepared.words);
  const points: PacePoint[] = [];
  for (let k = 1; k * options.step <= last; k++) {
    const t = k * options.step;
    const { wpm, state } = read(mids, first, Math.max(first, t - options.window), t, options);
    points.push({ t, wpm, state });
  }
  return points;
}

export function paceState(wpm: number | null, options: Pick<PaceOptions, 'minWpm' | 'maxWpm'>): PaceState {
  if (wpm === null) return 'unknown';
  if (wpm < options.minWpm) return 'tooSlow';
  if (wpm > options.maxWpm) return 'tooFast';
  return 'ok';
}

function read(mids: readonly number[], first: number, start: number, end: number, options: PaceOptions): PaceReading {
  // A window reaching back to the first word takes every word before its end, even a first word of
  // zero length whose midpoint is its start.
  const words = countAtMost(mids, end) - (start > first ? countAtMost(mids, start) : 0);
  const span = end - start;
  const wpm = span >= options.minSpan && span > 0 ? (words / span) * 60 : null;
  return { wpm, state: paceState(wpm, options), words, start, end };
}

function lastEnd(words: readonly TimedWord[]): number {
  let end = 0;
  for (const word of words) end = Math.max(end, word.end);
  return end;
}
