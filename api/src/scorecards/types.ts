// What the printable scorecards are drawn from: plain data the services already hold (a question,
// an answer's report summary, its feedback), so the renderers stay pure and testable with fixtures.
// Dates are ISO strings; a figure that may be missing is nullable and prints as "–".
import type { AutomaticFeedback, StarCue, StarPart } from '@rehearse/analysis';

export type Framework = 'star' | 'carl' | 'soar';

export interface ScorecardQuestion {
  text: string;
  /** E.g. "leadership"; empty when the question has none. */
  competency: string;
  framework: Framework;
  /** 1 easy, 2 medium, 3 hard. */
  difficulty: number;
}

/** When the document is made and how its dates read. */
export interface ScorecardMeta {
  /** The PDF's CreationDate, and the "generated" date in its footer (ISO). */
  generatedAt: string;
  /** IANA time zone the dates are shown in; default "UTC". */
  timeZone?: string;
}

export interface FillerCount {
  phrase: string;
  count: number;
}

/** An answer's key figures, as in its report's summary (`AnswerSummary`). */
export interface AnswerMetrics {
  /** Spoken words (hesitation sounds not counted). */
  words: number | null;
  /** Overall pace, words per minute. */
  wpm: number | null;
  /** The pace band the feedback aims at (`summary.pace.target`). */
  targetWpm: { min: number; max: number } | null;
  fillers: number | null;
  fillersPerMinute: number | null;
  /** Most frequent first (`summary.fillers.byPhrase`); the first few are printed. */
  topFillers: FillerCount[];
  pauses: number | null;
  longestPauseSeconds: number | null;
}

/** A point of the AI coach, quoting the transcript. */
export interface QuotedPoint {
  point: string;
  quote: string | null;
  /** Answer seconds the quote starts at. */
  at: number | null;
}

export interface RubricScore {
  /** 1–5. */
  score: number;
  comment: string | null;
}

/**
 * AI feedback: its model and report. The fields after `model` have the shape of the coach's
 * `AiFeedbackReport` (@rehearse/protocol), so `{ source: 'ai', model, ...report }` is an input.
 */
export interface AiFeedback {
  source: 'ai';
  /** The model that wrote it, e.g. "gpt-4o-mini". */
  model: string;
  summary: string | null;
  rubric: { structure: RubricScore; specificity: RubricScore; impact: RubricScore; delivery: RubricScore };
  strengths: QuotedPoint[];
  improvements: QuotedPoint[];
  /** Parts of the framework the answer lacked or left thin. */
  missing: Array<{ part: string; advice: string }>;
  /** The weakest part said better. */
  strongerVersion: { part: string; text: string } | null;
}

export type ScorecardFeedback = AutomaticFeedback | AiFeedback;

export interface AnswerScorecardInput extends ScorecardMeta {
  question: ScorecardQuestion;
  /** When the answer was recorded (ISO). */
  answeredAt: string;
  durationMs: number | null;
  /** Null while the answer has no report. */
  metrics: AnswerMetrics | null;
  /** The summary's STAR cues; null without a report. */
  star: Record<StarPart, StarCue> | null;
  feedback: ScorecardFeedback | null;
  /** E.g. how close the answer is to a published example; null when there is nothing to say. */
  originalityNote: string | null;
  /** The transcript as spoken; empty when nothing was heard. */
  transcript: string;
}

export interface MockQuestionResult {
  question: string;
  competency: string;
  /** Null for a question left unanswered. */
  durationMs: number | null;
  wpm: number | null;
  fillersPerMinute: number | null;
  /** STAR parts heard, in S-T-A-R order; null without a report. */
  starHeard: StarPart[] | null;
  /** AI feedback's average rubric score (1–5); null without AI feedback. */
  score: number | null;
}

export interface MockScorecardInput extends ScorecardMeta {
  /** The role interviewed for, e.g. "Product manager". */
  role: string;
  /** When the mock interview took place (ISO). */
  date: string;
  questions: MockQuestionResult[];
}

/** One answer of the period, with its report's figures (the coach's `ProgressPoint` fits). */
export interface ProgressAnswer {
  /** When it was answered (ISO). */
  at: string;
  competency: string;
  wpm: number | null;
  fillersPerMinute: number | null;
  pauses: number | null;
  /** STAR parts heard out of four, 0–1. */
  starCompleteness: number | null;
  /** AI feedback's average rubric score (1–5); null without AI feedback. */
  score: number | null;
}

export interface ProgressScorecardInput extends ScorecardMeta {
  /** The period (ISO); null: from the first answer, up to the last. */
  from: string | null;
  to: string | null;
  /** In any order; the scorecard sorts them by time. */
  answers: ProgressAnswer[];
}

export interface RenderOptions {
  /**
   * A directory with DejaVuSans.ttf, DejaVuSans-Bold.ttf and DejaVuSans-Oblique.ttf (Debian's
   * fonts-dejavu-core). Missing, or null: PDF's built-in Helvetica, which prints only WinAnsi
   * (Western European) characters; others become "?".
   */
  fontDir?: string | null;
}
