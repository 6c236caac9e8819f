import { describe, expect, it } from 'vitest';
import { clean, clock, competencyLabel, day, dayAndTime, excerpt, num, percent, signed, toWinAnsi } from './format.ts';

describe('scorecard formatting', () => {
  it('prints "–" for a missing or non-finite figure', () => {
    for (const missing of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect([clock(missing), num(missing), percent(missing), signed(missing)]).toEqual(['–', '–', '–', '–']);
    }
    expect(clock(-1)).toBe('–');
    expect(day('not a date')).toBe('–');
  });

  it('formats lengths, figures, shares and changes', () => {
    expect([clock(0), clock(59.9), clock(112.4), clock(1200)]).toEqual(['0:00', '0:59', '1:52', '20:00']);
    expect([num(3012), num(4.82, 1), percent(0.875)]).toEqual(['3,012', '4.8', '88%']);
    expect([signed(30), signed(-4.26, 1), signed(0.04, 1), signed(12, 0, ' pts')]).toEqual(['+30', '−4.3', '0.0', '+12 pts']);
  });

  it('shows dates in the reader’s time zone', () => {
    expect(dayAndTime('2025-03-03T23:30:00Z')).toBe('3 March 2025, 23:30');
    expect(dayAndTime('2025-03-03T23:30:00Z', 'Europe/Berlin')).toBe('4 March 2025, 00:30');
  });

  it('cuts an excerpt at a word count and says so', () => {
    expect(excerpt(' one  two\nthree ', 3)).toEqual({ text: 'one two three', words: 3, cut: false });
    expect(excerpt('one two three four', 2)).toEqual({ text: 'one two', words: 4, cut: true });
    expect(excerpt('   ', 2)).toEqual({ text: '', words: 0, cut: false });
  });

  it('keeps user text as written, less control characters and broken surrogates', () => {
    expect(clean('<b>bold</b> & "x"\r\nnext\u0000\u0007 \uD800!')).toBe('<b>bold</b> & "x"\nnext \uFFFD!');
    expect(clean('e\u0301')).toBe('é');
  });

  it('reads competency slugs as words and leaves other names alone', () => {
    expect([competencyLabel('customer-focus'), competencyLabel(' delivery '), competencyLabel('iOS front-end'), competencyLabel('')]).toEqual(['Customer focus', 'Delivery', 'iOS front-end', '']);
  });

  it('limits text to WinAnsi for the built-in fonts', () => {
    expect(toWinAnsi('café €5 “x” – Erdős ✓ ○ → 日本 👍🏽 <i>')).toBe('café €5 “x” – Erdos [x] [ ] -> ?? ? <i>');
  });
});
