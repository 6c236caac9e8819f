// An answer's key figures, read from the report's columns (not its transcript), as combined mock
// reports, progress and scorecards show them: one definition for all three.
import { automaticFeedback, type AnswerSummary, type TimedWord } from '@rehearse/analysis';
import type { Prisma } from '@rehearse/db';
import type { AnswerFigures } from '@rehearse/protocol';
import type { Static } from 'typebox';

/** What to select from an answer for its figures (with the transcript when improvements are wanted). */
export const figuresSelect = (withFeedback: boolean) =>
  ({
    id: true,
    status: true,
    durationMs: true,
    report: { select: { wordCount: true, wpm: true, fillersPerMinute: true, pauseCount: true, starHeard: true, ...(withFeedback ? { words: true, summary: true, durationMs: true } : {}) } },
    feedbacks: { where: { status: 'complete' }, orderBy: { createdAt: 'desc' }, take: 1, select: { score: true } },
  }) satisfies Prisma.AnswerSelect;

type FiguresRow = {
  id: string;
  status: string;
  durationMs: number | null;
  report: { wordCount: number; wpm: number | null; fillersPerMinute: number | null; pauseCount: number; starHeard: string[]; words?: unknown; summary?: unknown; durationMs?: number } | null;
  feedbacks: { score: number | null }[];
};

export function figuresOf(row: FiguresRow): Static<typeof AnswerFigures> {
  const report = row.report;
  let improvements: string[] = [];
  if (report?.words && report.summary) {
    try {
      const feedback = automaticFeedback({ words: report.words as TimedWord[], summary: report.summary as AnswerSummary, durationSeconds: (report.durationMs ?? 0) / 1000 });
      improvements = feedback.points.filter((p) => p.kind === 'improvement').slice(0, 2).map((p) => p.message);
    } catch {
      improvements = [];
    }
  }
  return {
    answerId: row.id,
    status: row.status,
    durationMs: row.durationMs,
    words: report?.wordCount ?? 0,
    wpm: report?.wpm ?? null,
    fillersPerMinute: report?.fillersPerMinute ?? null,
    pauses: report?.pauseCount ?? 0,
    starHeard: report?.starHeard ?? [],
    score: row.feedbacks[0]?.score ?? null,
    improvements,
  };
}

/** Mean of the numbers present, one decimal; null when there are none. */
export function mean(values: readonly (number | null | undefined)[], digits = 1): number | null {
  const present = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (present.length === 0) return null;
  const f = 10 ** digits;
  return Math.round((present.reduce((a, b) => a + b, 0) / present.length) * f) / f;
}
