// What the progress charts draw: one series per measure from GET /api/progress's points, the time
// span they share, and the first→last sentence each chart is named by.
import type { Progress } from '../api.ts';

export type ProgressPoint = Progress['points'][number];

/**
 * The pace band the pace chart shades, in words a minute: the reports' own target
 * (PACE_DEFAULTS in analysis/src/metrics/pace.ts; tests/progress-page.test.ts keeps them equal).
 */
export const COMFORTABLE_WPM: readonly [number, number] = [130, 175];

export type MeasureKey = 'wpm' | 'fillers' | 'pauses' | 'star' | 'score';

export interface Measure {
  key: MeasureKey;
  title: string;
  /** The y axis' label. */
  axisLabel: string;
  /** Appended to a value in sentences ("128 wpm"). */
  unit: string;
  /** Decimals shown. */
  digits: number;
  /** What is drawn for one answer; null: the answer has no such figure. */
  value: (point: ProgressPoint) => number | null;
  /** The y axis' extent for these values (always including the band, for pace). */
  domain: (values: number[]) => [number, number];
  /** Only whole values make sense (counts): the axis shows whole ticks. */
  whole?: boolean;
  band?: readonly [number, number];
  /** Said instead of a chart when no answer has this figure. */
  empty: string;
}

const highest = (values: number[]) => values.reduce((a, b) => Math.max(a, b), 0);

export const MEASURES: readonly Measure[] = [
  {
    key: 'wpm',
    title: 'Pace',
    axisLabel: 'Words a minute',
    unit: ' wpm',
    digits: 0,
    value: (p) => p.wpm,
    domain: (values) => [
      Math.floor(Math.min(COMFORTABLE_WPM[0] - 20, ...values) / 10) * 10,
      Math.ceil(Math.max(COMFORTABLE_WPM[1] + 20, ...values) / 10) * 10,
    ],
    band: COMFORTABLE_WPM,
    empty: 'No pace measured yet',
  },
  {
    key: 'fillers',
    title: 'Fillers',
    axisLabel: 'Fillers a minute',
    unit: ' a minute',
    digits: 1,
    value: (p) => p.fillersPerMinute,
    domain: (values) => [0, Math.max(2, Math.ceil(highest(values) * 1.15))],
    empty: 'No fillers counted yet',
  },
  {
    key: 'pauses',
    title: 'Pauses',
    axisLabel: 'Long pauses per answer',
    unit: '',
    digits: 0,
    value: (p) => p.pauses,
    domain: (values) => [0, Math.max(4, highest(values) + 1)],
    whole: true,
    empty: 'No pauses counted yet',
  },
  {
    key: 'star',
    title: 'STAR completeness',
    axisLabel: 'STAR parts heard (%)',
    unit: '%',
    digits: 0,
    value: (p) => p.starCompleteness * 100,
    domain: () => [0, 100],
    empty: 'No STAR parts checked yet',
  },
  {
    key: 'score',
    title: 'AI feedback score',
    axisLabel: 'Score (1–5)',
    unit: '',
    digits: 1,
    value: (p) => p.score,
    domain: () => [1, 5],
    empty: 'No AI feedback yet',
  },
];

export interface SeriesPoint {
  answerId: string;
  at: Date;
  value: number;
}

/** The answers that have this measure, oldest first (as the API gives them). */
export function seriesOf(points: readonly ProgressPoint[], measure: Measure): SeriesPoint[] {
  const series: SeriesPoint[] = [];
  for (const point of points) {
    const value = measure.value(point);
    if (value !== null && Number.isFinite(value)) series.push({ answerId: point.answerId, at: new Date(point.at), value });
  }
  return series;
}

/** A value as sentences and tick labels show it. */
export function formatValue(measure: Measure, value: number): string {
  return `${value.toFixed(measure.digits)}${measure.unit}`;
}

/** "Pace over 5 answers: from 128 wpm to 151 wpm, up 23." — the chart's accessible name and caption. */
export function changeSummary(measure: Measure, series: readonly SeriesPoint[]): string {
  const first = series[0];
  const last = series.at(-1);
  if (!first || !last) return measure.empty;
  if (series.length === 1) return `${measure.title} of your one answer: ${formatValue(measure, first.value)}.`;
  const change = Number((last.value - first.value).toFixed(measure.digits));
  const direction = change === 0 ? 'no change' : `${change > 0 ? 'up' : 'down'} ${Math.abs(change).toFixed(measure.digits)}`;
  return `${measure.title} over ${series.length} answers: from ${formatValue(measure, first.value)} to ${formatValue(measure, last.value)}, ${direction}.`;
}

const DAY_MS = 86_400_000;

/**
 * The time every chart spans, so they line up: from the period's start (or the first answer, for
 * all time) to now; at least a day, so one answer is not a zero-width domain.
 */
export function timeDomain(points: readonly ProgressPoint[], from: string | null, now: Date): [Date, Date] {
  const firstAt = points[0] ? new Date(points[0].at) : now;
  const start = from ? new Date(from) : firstAt;
  const end = new Date(Math.max(now.getTime(), new Date(points.at(-1)?.at ?? now).getTime()));
  return [new Date(Math.min(start.getTime(), end.getTime() - DAY_MS)), end];
}
