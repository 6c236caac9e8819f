import { describe, expect, it } from 'vitest';
import { speak } from './fixtures.ts';
import { measurePauses } from './pauses.ts';

// a: 0–0.25, b: 0.375–0.625, [1.5] → c: 2.125–2.375, [1.25] → d: 3.625–3.875, [2.5] → e: 6.375–6.625
const words = speak('a b [1.5] c [1.25] d [2.5] e');

describe('pauses', () => {
  it('counts silences of at least minPause between words, with positions', () => {
    const pauses = measurePauses(words, { now: 6.625 });
    expect(pauses.pauses).toEqual([
      { start: 0.625, end: 2.125, duration: 1.5, after: 1 },
      { start: 3.875, end: 6.375, duration: 2.5, after: 3 },
    ]);
    expect(pauses).toMatchObject({ minPause: 1.5, count: 2, total: 4 });
    expect(pauses.longest).toEqual(pauses.pauses[1]);
    expect(measurePauses(words, { now: 6.625 }, { minPause: 1 }).count).toBe(3);
    expect(measurePauses(words, { now: 6.625 }, { minPause: 3 })).toMatchObject({ count: 0, longest: null, total: 0 });
  });

  it('measures the current silence from the last word to now', () => {
    expect(measurePauses(words, { now: 7.625 }).current).toEqual({ start: 6.625, duration: 1, isPause: false, beforeFirstWord: false });
    expect(measurePauses(words, { now: 8.125 }).current).toEqual({ start: 6.625, duration: 1.5, isPause: true, beforeFirstWord: false });
    // The current silence is not a finished pause yet.
    expect(measurePauses(words, { now: 20 }).count).toBe(2);
  });

  it('follows the voice detector: no silence while speaking, and silence from its time when later than the finals', () => {
    expect(measurePauses(words, { now: 9, voice: { speaking: true, since: 8 } }).current).toBeNull();
    // Speech went on to 8 s but its words are not final yet.
    expect(measurePauses(words, { now: 9, voice: { speaking: false, since: 8 } }).current).toMatchObject({ start: 8, duration: 1, isPause: false });
    // A detector running behind the finals does not move the start back.
    expect(measurePauses(words, { now: 9, voice: { speaking: false, since: 6 } }).current).toMatchObject({ start: 6.625 });
  });

  it('calls the silence before the first word thinking time, not a pause', () => {
    expect(measurePauses([], { now: 4 })).toMatchObject({
      count: 0,
      longest: null,
      current: { start: 0, duration: 4, isPause: true, beforeFirstWord: true },
    });
    const late = speak('a b', { start: 3 });
    expect(measurePauses(late, { now: 4 }).count).toBe(0);
  });

  it('rejects a bad now or minPause', () => {
    expect(() => measurePauses(words, { now: Number.NaN })).toThrow(TypeError);
    expect(() => measurePauses(words, { now: 1 }, { minPause: -1 })).toThrow(TypeError);
  });
});
