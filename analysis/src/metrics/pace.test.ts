import { describe, expect, it } from 'vitest';
import { speak } from './fixtures.ts';
import { measurePace, paceTimeline } from './pace.ts';

// n words at the default stride of 0.375 s: n·0.375 − 0.125 s of speech.
const run = (n: number, start = 0, options = {}) => speak(Array.from({ length: n }, (_, k) => `w${k}`).join(' '), { start, ...options });

describe('pace', () => {
  it('measures a steady 160 wpm stride as ok, rolling and overall', () => {
    // 81 words: 0 … 30.25 s. Overall 81 words / 30.25 s; rolling window (10.25, 30.25]: midpoints
    // 0.125 + 0.375k > 10.25 ⇔ k > 27 (word 27's midpoint is the excluded edge), so words 28…80 =
    // 53 in 20 s = 159 wpm.
    const pace = measurePace(run(81));
    expect(pace.overall).toMatchObject({ words: 81, start: 0, end: 30.25, state: 'ok' });
    expect(pace.overall.wpm).toBeCloseTo((81 / 30.25) * 60, 9);
    expect(pace.rolling).toEqual({ wpm: 159, state: 'ok', words: 53, start: 10.25, end: 30.25 });
    expect(pace.target).toEqual({ min: 130, max: 175 });
  });

  it('says too slow and too fast outside the band, and the band is configurable', () => {
    // 0.5 s stride: 41 words in 20.25 s; window (0.25, 20.25] holds words 1…40 = 40 → 120 wpm.
    const slow = measurePace(run(41, 0, { gap: 0.25 }));
    expect(slow.rolling).toMatchObject({ wpm: 120, state: 'tooSlow' });
    // 0.3125 s stride: 65 words end at 20.25; window (0.25, 20.25] holds midpoints 0.125 + 0.3125k
    // for k = 1…64 → 64 words in 20 s = 192 wpm.
    const fast = measurePace(run(65, 0, { gap: 0.0625 }));
    expect(fast.rolling).toMatchObject({ wpm: 192, state: 'tooFast' });
    const narrow = measurePace(run(81), { minWpm: 100, maxWpm: 150 });
    expect(narrow.rolling).toMatchObject({ wpm: 159, state: 'tooFast' });
    expect(narrow.target).toEqual({ min: 100, max: 150 });
    // The band includes its ends.
    expect(measurePace(run(81), { maxWpm: 159 }).rolling.state).toBe('ok');
    expect(measurePace(run(81), { maxWpm: 158.9 }).rolling.state).toBe('tooFast');
    expect(measurePace(run(81), { minWpm: 159 }).rolling.state).toBe('ok');
    expect(measurePace(run(81), { minWpm: 159.1 }).rolling.state).toBe('tooSlow');
  });

  it('looks back only over the rolling window: a slow start does not hide a fast finish', () => {
    // 20 s at 120 wpm (0.5 s stride), a 0.5 s gap, then 21.5 s at 192 wpm.
    const slowPart = run(40, 0, { gap: 0.25 }); // 0 … 19.75
    const fastPart = run(69, 20.25, { gap: 0.0625 }); // 20.25 … 20.25 + 68·0.3125 + 0.25 = 41.75
    const pace = measurePace([...slowPart, ...fastPart]);
    // Window (21.75, 41.75]: midpoints 20.375 + 0.3125k > 21.75 ⇔ k ≥ 5 → words 5…68 = 64 → 192 wpm.
    expect(pace.rolling).toMatchObject({ wpm: 192, words: 64, state: 'tooFast' });
    expect(pace.overall.words).toBe(109);
    expect(pace.overall.wpm).toBeCloseTo((109 / 41.75) * 60, 9);
    expect(pace.overall.state).toBe('ok');
  });

  it('does not count hesitations as words (engines differ on hearing them)', () => {
    // 19 tokens, 3 of them hesitations (one engine-tagged), spanning 18·0.375 + 0.25 = 7 s.
    const words = speak('I ~um built uh the er cache and it was fast and simple to run and we shipped it');
    const pace = measurePace(words);
    expect(pace.overall).toMatchObject({ words: 16, start: 0, end: 7 });
    expect(pace.overall.wpm).toBeCloseTo((16 / 7) * 60, 9);
  });

  it('gives no pace for less speech than minSpan, then measures from the first word, not from 0', () => {
    expect(measurePace([]).rolling).toEqual({ wpm: null, state: 'unknown', words: 0, start: 0, end: 0 });
    const short = measurePace(run(13, 10)); // 10 … 14.75: 4.75 s
    expect(short.rolling).toMatchObject({ wpm: null, state: 'unknown', words: 13 });
    const enough = measurePace(run(14, 10)); // 10 … 15.125: 5.125 s, window starts at the first word
    expect(enough.rolling).toMatchObject({ start: 10, end: 15.125, words: 14 });
    expect(enough.rolling.wpm).toBeCloseTo((14 / 5.125) * 60, 9);
    expect(measurePace(run(13, 10), { minSpan: 4 }).rolling.wpm).toBeCloseTo((13 / 4.75) * 60, 9);
  });

  it('gives the same answer for words out of order', () => {
    const words = run(30);
    expect(measurePace([...words].reverse())).toEqual(measurePace(words));
  });

  it('builds a timeline every step seconds up to the last word', () => {
    // 81 words over 0 … 30.25 s; points at 5 … 30.
    const points = paceTimeline(run(81));
    expect(points.map((point) => point.t)).toEqual([5, 10, 15, 20, 25, 30]);
    // t=5: (0, 5] holds midpoints 0.125 + 0.375k ≤ 5 ⇔ k ≤ 13 → 14 words in 5 s = 168 wpm.
    expect(points[0]).toEqual({ t: 5, wpm: 168, state: 'ok' });
    // t=30: (10, 30] → k from 27 (10.25) to 79 (29.75) = 53 words in 20 s = 159 wpm.
    expect(points[5]).toEqual({ t: 30, wpm: 159, state: 'ok' });
    expect(paceTimeline(run(81), { step: 10 }).map((point) => point.t)).toEqual([10, 20, 30]);
    expect(paceTimeline([])).toEqual([]);
  });

  it('rejects bad options', () => {
    expect(() => measurePace([], { minWpm: 200, maxWpm: 150 })).toThrow(TypeError);
    expect(() => measurePace([], { window: 0 })).toThrow(TypeError);
    expect(() => measurePace([], { window: -5 })).toThrow(TypeError);
    expect(() => measurePace([], { windw: 10 } as never)).toThrow(/unknown pace option "windw"/);
  });
});
