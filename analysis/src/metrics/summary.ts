// One snapshot of every live metric, and the same plus the pace timeline for the answer report.
import type { TimedWord, VoiceActivity } from '../transcript/types.ts';
import { type ElapsedOptions, type ElapsedSnapshot, ELAPSED_DEFAULTS, measureElapsed } from './elapsed.ts';
import { type FillerOptions, type FillerSnapshot, FILLER_DEFAULTS, fillersOf, resolveFillerOptions } from './fillers.ts';
import { checkNow } from './options.ts';
import { type PaceOptions, type PacePoint, type PaceSnapshot, PACE_DEFAULTS, paceOf, resolvePaceOptions, timelineOf } from './pace.ts';
import { type PauseOptions, type PauseSnapshot, measurePauses, PAUSE_DEFAULTS } from './pauses.ts';
import { type StarOptions, type StarSnapshot, resolveStarOptions, STAR_DEFAULTS, starOf } from './star.ts';
import { prepare, spokenMidpoints } from './tokens.ts';

export interface MetricsOptions {
  pace: PaceOptions;
  pauses: PauseOptions;
  fillers: FillerOptions;
  elapsed: ElapsedOptions;
  star: StarOptions;
}

/** Any subset of the options; the rest keep their defaults. */
export type MetricsOptionsInput = { [K in keyof MetricsOptions]?: Partial<MetricsOptions[K]> };

export const METRICS_DEFAULTS: Readonly<MetricsOptions> = {
  pace: PACE_DEFAULTS,
  pauses: PAUSE_DEFAULTS,
  fillers: FILLER_DEFAULTS,
  elapsed: ELAPSED_DEFAULTS,
  star: STAR_DEFAULTS,
};

export interface LiveMetrics {
  /** The answer-relative time the snapshot is for. */
  now: number;
  /** Spoken words so far (hesitation sounds not included). */
  words: number;
  pace: PaceSnapshot;
  pauses: PauseSnapshot;
  fillers: FillerSnapshot;
  elapsed: ElapsedSnapshot;
  star: StarSnapshot;
}

export interface AnswerSummary extends LiveMetrics {
  /** Pace every `pace.step` seconds, for the report's chart. */
  paceTimeline: PacePoint[];
}

const SECTIONS = new Set(Object.keys(METRICS_DEFAULTS));

/**
 * Every metric at `now` (answer seconds) over the final words. `voice`, from a voice detector or
 * the rolling transcript, lets the current silence start and end without waiting for finals.
 */
export function computeMetrics(
  words: readonly TimedWord[],
  { now, voice, options = {}, ended = false }: { now: number; voice?: VoiceActivity; options?: MetricsOptionsInput; ended?: boolean },
): LiveMetrics {
  checkNow(now);
  for (const section of Object.keys(options)) {
    if (!SECTIONS.has(section)) throw new TypeError(`unknown metrics option section "${section}"`);
  }
  const prepared = prepare(words);
  const moment = voice ? { now, voice } : { now };
  return {
    now,
    words: spokenMidpoints(prepared).length,
    pace: paceOf(prepared, resolvePaceOptions(options.pace)),
    pauses: measurePauses(prepared.words, moment, options.pauses),
    fillers: fillersOf(prepared, now, resolveFillerOptions(options.fillers), ended),
    elapsed: measureElapsed(moment, options.elapsed),
    star: starOf(prepared, now, resolveStarOptions(options.star)),
  };
}

/** The metrics of a finished answer of `duration` seconds, plus the pace timeline. */
export function summarizeAnswer(
  words: readonly TimedWord[],
  { duration, options = {} }: { duration: number; options?: MetricsOptionsInput },
): AnswerSummary {
  const metrics = computeMetrics(words, { now: duration, options, ended: true });
  return { ...metrics, paceTimeline: timelineOf(prepare(words), resolvePaceOptions(options.pace)) };
}

/** The key figures of a summary, as history and progress list them (columns of answer_reports). */
export interface ReportFigures {
  wordCount: number;
  wpm: number | null;
  fillerCount: number;
  fillersPerMinute: number | null;
  pauseCount: number;
  longestPause: number | null;
  starHeard: string[];
}

/** Tolerant of summaries saved by older releases (a missing section gives empty figures). */
export function reportFigures(summary: Partial<AnswerSummary>): ReportFigures {
  return {
    wordCount: summary.words ?? 0,
    wpm: summary.pace?.overall.wpm ?? null,
    fillerCount: summary.fillers?.count ?? 0,
    fillersPerMinute: summary.fillers?.perMinute ?? null,
    pauseCount: summary.pauses?.count ?? 0,
    longestPause: summary.pauses?.longest?.duration ?? null,
    starHeard: [...(summary.star?.heard ?? [])],
  };
}
