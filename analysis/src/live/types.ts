// What live analysis sends and saves. Types only, with no Node imports: the web client reads them
// (through the signaling protocol) as much as the server writes them.
import type { AnswerSummary, LiveMetrics } from '../metrics/summary.ts';
import type { TimedWord } from '../transcript/types.ts';

/** Which engine transcribed which part of the answer (seconds). */
export interface EngineSpan {
  engine: string;
  from: number;
  to: number;
}

/** What the page gets: the words that became final since the last update, the current guess, every metric. */
export interface LiveUpdate {
  /** Counts updates; the page can tell it missed one. */
  seq: number;
  /** Index in the final transcript of the first word in `finalWords`. */
  finalFrom: number;
  finalWords: TimedWord[];
  interimWords: TimedWord[];
  /** Answer seconds at which the latest word heard (final or interim) ended, or null before any: the page's delay is its answer clock minus this. */
  latestWordEnd: number | null;
  /** Date.now() when the engine emitted the newest event in this update (pipeline delay = when the page shows it − this). */
  engineAt: number | null;
  metrics: LiveMetrics;
  engine: { name: string; label: string };
}

export interface AnswerReport {
  words: TimedWord[];
  summary: AnswerSummary;
  spans: EngineSpan[];
  /** Which engine produced the report's words ("deepgram", "pocketsphinx", or "deepgram+pocketsphinx" after a failover). */
  engine: string;
  durationSeconds: number;
  /** Set when speech-to-text failed for good: the report has what was heard before. */
  sttError: string | null;
}

