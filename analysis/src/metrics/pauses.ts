// Silences between final words. The silence still going on is measured up to `now`, ending at
// the later of the last final word and the voice detector's "silent since" (finals arrive late,
// a browser-side detector knows at once).
import type { TimedWord, VoiceActivity } from '../transcript/types.ts';
import { checkNow, withDefaults } from './options.ts';
import { inTimeOrder } from './tokens.ts';

export interface PauseOptions {
  /** A silence at least this long (seconds) is a pause. */
  minPause: number;
}

export const PAUSE_DEFAULTS: Readonly<PauseOptions> = { minPause: 1.5 };

export interface Pause {
  start: number;
  end: number;
  duration: number;
  /** Index (in time order) of the word before the pause. */
  after: number;
}

export interface CurrentSilence {
  start: number;
  duration: number;
  /** duration ≥ minPause. */
  isPause: boolean;
  /** Nothing heard yet: thinking before answering, which is not a pause. */
  beforeFirstWord: boolean;
}

export interface PauseSnapshot {
  minPause: number;
  /** Finished pauses between words; the current silence is not among them until speech resumes. */
  count: number;
  longest: Pause | null;
  /** Seconds of finished pauses. */
  total: number;
  pauses: Pause[];
  /** The silence going on at `now`, or null while the voice detector says the candidate is speaking. */
  current: CurrentSilence | null;
}

export interface Moment {
  /** Answer-relative seconds. */
  now: number;
  voice?: VoiceActivity;
}

export function measurePauses(words: readonly TimedWord[], moment: Moment, given?: Partial<PauseOptions>): PauseSnapshot {
  const { minPause } = withDefaults(PAUSE_DEFAULTS, given, 'pauses');
  const now = checkNow(moment.now);
  const sorted = inTimeOrder(words);
  const pauses: Pause[] = [];
  let lastEnd = 0;
  let longest: Pause | null = null;
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    const word = sorted[i]!;
    if (i > 0 && word.start - lastEnd >= minPause) {
      const pause = { start: lastEnd, end: word.start, duration: word.start - lastEnd, after: i - 1 };
      pauses.push(pause);
      total += pause.duration;
      if (longest === null || pause.duration > longest.duration) longest = pause;
    }
    lastEnd = Math.max(lastEnd, word.end);
  }
  return { minPause, count: pauses.length, longest, total, pauses, current: currentSilence(lastEnd, sorted.length === 0, now, moment.voice, minPause) };
}

function currentSilence(
  lastEnd: number,
  noWords: boolean,
  now: number,
  voice: VoiceActivity | undefined,
  minPause: number,
): CurrentSilence | null {
  if (voice?.speaking && voice.since <= now) return null;
  const start = Math.min(now, voice ? Math.max(lastEnd, voice.since) : lastEnd);
  const duration = now - start;
  return { start, duration, isPause: duration >= minPause, beforeFirstWord: noWords && start === 0 };
}
