// The progress page's pure helpers: periods, series, the first→last sentence, the time span.
import { describe, expect, it } from 'vitest';
import { PACE_DEFAULTS } from '@rehearse/analysis';
import { parsePeriod, periodStart } from './period.ts';
import { changeSummary, COMFORTABLE_WPM, MEASURES, seriesOf, timeDomain, type ProgressPoint } from './series.ts';

const measure = (key: string) => MEASURES.find((m) => m.key === key)!;
const point = (at: string, figures: Partial<ProgressPoint> = {}): ProgressPoint => ({
  answerId: at,
  at,
  competency: 'teamwork',
  durationMs: 60_000,
  wpm: 140,
  fillersPerMinute: 2,
  pauses: 1,
  starCompleteness: 0.5,
  score: null,
  ...figures,
});

describe('the progress helpers', () => {
  it('shade the same pace band the reports aim at', () => {
    expect(COMFORTABLE_WPM).toEqual([PACE_DEFAULTS.minWpm, PACE_DEFAULTS.maxWpm]);
  });

  it('read a period from ?period= and start it that many days before now', () => {
    const now = new Date('2026-12-10T12:00:00.000Z');
    expect(parsePeriod('7d').days).toBe(7);
    expect(parsePeriod('nonsense').value).toBe('all');
    expect(parsePeriod(null).value).toBe('all');
    expect(periodStart(parsePeriod('30d'), now)).toBe('2026-11-10T12:00:00.000Z');
    expect(periodStart(parsePeriod('all'), now)).toBeNull();
  });

  it('build a series from the answers that have the measure, and say how it went from first to last', () => {
    const points = [point('2026-12-01T10:00:00.000Z', { wpm: 118, starCompleteness: 0.25 }), point('2026-12-02T10:00:00.000Z', { wpm: null, starCompleteness: 0.5 }), point('2026-12-03T10:00:00.000Z', { wpm: 151, starCompleteness: 1 })];
    expect(seriesOf(points, measure('wpm')).map((p) => p.value)).toEqual([118, 151]);
    expect(seriesOf(points, measure('star')).map((p) => p.value)).toEqual([25, 50, 100]);
    expect(seriesOf(points, measure('score'))).toEqual([]);
    expect(changeSummary(measure('wpm'), seriesOf(points, measure('wpm')))).toBe('Pace over 2 answers: from 118 wpm to 151 wpm, up 33.');
    expect(changeSummary(measure('star'), seriesOf(points.slice(0, 1), measure('star')))).toBe('STAR completeness of your one answer: 25%.');
    expect(changeSummary(measure('fillers'), seriesOf([point('2026-12-01T10:00:00.000Z', { fillersPerMinute: 3.2 }), point('2026-12-02T10:00:00.000Z', { fillersPerMinute: 1.5 })], measure('fillers')))).toBe(
      'Fillers over 2 answers: from 3.2 a minute to 1.5 a minute, down 1.7.',
    );
    expect(changeSummary(measure('pauses'), seriesOf(points, measure('pauses')))).toBe('Pauses over 3 answers: from 1 to 1, no change.');
    expect(changeSummary(measure('score'), [])).toBe('No AI feedback yet');
    // The pace axis always shows the comfortable band, and the values outside it.
    expect(measure('wpm').domain([185, 150])).toEqual([110, 200]);
  });

  it('span the charts over the period, at least a day', () => {
    const now = new Date('2026-12-10T12:00:00.000Z');
    const one = [point('2026-12-10T11:00:00.000Z')];
    expect(timeDomain(one, null, now).map((d) => d.toISOString())).toEqual(['2026-12-09T12:00:00.000Z', '2026-12-10T12:00:00.000Z']);
    expect(timeDomain(one, '2026-12-03T12:00:00.000Z', now)[0].toISOString()).toBe('2026-12-03T12:00:00.000Z');
    expect(timeDomain([point('2026-10-01T00:00:00.000Z'), ...one], null, now)[0].toISOString()).toBe('2026-10-01T00:00:00.000Z');
  });
});

