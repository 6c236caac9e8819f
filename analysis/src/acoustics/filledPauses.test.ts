import { describe, expect, it } from 'vitest';
import type { TimedWord } from '../transcript/types.ts';
import { FilledPauseDetector, type FilledPause, withFilledPauses } from './filledPauses.ts';

// Synthetic audio at 16 kHz, built from segments: silence (a faint noise floor), a voiced vowel
// (a 120 Hz harmonic series, as a held "uh" or "um" is), and a fricative (loud white noise, as
// "s" is). The detector's silence level adapts, so the floor is low noise rather than zeros.
type Segment = { kind: 'silence' | 'vowel' | 'fricative'; seconds: number };

function seeded(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1664525 + 1013904223) % 4294967296;
    return x / 4294967296 - 0.5;
  };
}

function synthesize(segments: Segment[]): Int16Array {
  const random = seeded(7);
  const total = Math.round(segments.reduce((sum, s) => sum + s.seconds, 0) * 16000);
  const samples = new Int16Array(total);
  let n = 0;
  for (const { kind, seconds } of segments) {
    const count = Math.round(seconds * 16000);
    for (let k = 0; k < count; k++, n++) {
      const t = n / 16000;
      let value = random() * 60; // noise floor, about −60 dBFS
      if (kind === 'vowel') for (let h = 1; h <= 8; h++) value += (6000 / h) * Math.sin(2 * Math.PI * 120 * h * t);
      if (kind === 'fricative') value += random() * 16000;
      samples[n] = Math.max(-32768, Math.min(32767, Math.round(value)));
    }
  }
  return samples;
}

function detect(segments: Segment[]): FilledPause[] {
  const detector = new FilledPauseDetector();
  const samples = synthesize(segments);
  for (let i = 0; i + 320 <= samples.length; i += 320) detector.push({ samples: samples.slice(i, i + 320), startMs: i / 16 });
  return detector.take();
}

const silence = (seconds: number): Segment => ({ kind: 'silence', seconds });
const vowel = (seconds: number): Segment => ({ kind: 'vowel', seconds });
const fricative = (seconds: number): Segment => ({ kind: 'fricative', seconds });

describe('FilledPauseDetector', () => {
  it('hears a voiced stretch set off by silence as a filled pause, with its times', () => {
    const found = detect([silence(1), vowel(0.3), silence(0.5)]);
    expect(found).toHaveLength(1);
    expect(found[0]!.start).toBeCloseTo(1, 1);
    expect(found[0]!.end).toBeCloseTo(1.3, 1);
  });

  it('hears a clipped "uh" of 80 ms too', () => {
    expect(detect([silence(1), vowel(0.08), silence(0.5)])).toHaveLength(1);
  });

  it('does not take a click, a held note over a second, or a fricative for one', () => {
    expect(detect([silence(1), vowel(0.04), silence(0.5)])).toEqual([]);
    expect(detect([silence(1), vowel(1.5), silence(0.5)])).toEqual([]);
    expect(detect([silence(1), fricative(0.3), silence(0.5)])).toEqual([]);
    // A word: a vowel run into a fricative ("us") is not a hesitation.
    expect(detect([silence(1), vowel(0.2), fricative(0.1), silence(0.5)])).toEqual([]);
  });

  it('lets a hesitation run into the next word after a brief closure (60 ms), not without one', () => {
    expect(detect([silence(1), vowel(0.3), silence(0.07), fricative(0.2), silence(0.5)])).toHaveLength(1);
    expect(detect([silence(1), vowel(0.3), silence(0.03), fricative(0.2), silence(0.5)])).toEqual([]);
  });

  it('takes a vowel after a fricative for the end of a word ("so"), not a hesitation', () => {
    expect(detect([silence(1), fricative(0.08), vowel(0.25), silence(0.5)])).toEqual([]);
  });

  it('stays quiet with no silence to tell speech from (constant sound)', () => {
    expect(detect([vowel(3)])).toEqual([]);
  });

  it('waits for the silence after the stretch before deciding, so a stretch never appears and disappears', () => {
    const detector = new FilledPauseDetector();
    const samples = synthesize([silence(1), vowel(0.3), silence(0.5)]);
    const upTo = (seconds: number, from: number) => {
      for (let i = from; i + 320 <= Math.min(samples.length, seconds * 16000); i += 320) detector.push({ samples: samples.slice(i, i + 320), startMs: i / 16 });
    };
    upTo(1.32, 0);
    expect(detector.take()).toEqual([]);
    upTo(1.8, Math.floor((1.32 * 16000) / 320) * 320);
    expect(detector.take()).toHaveLength(1);
  });
});

const word = (text: string, start: number, end: number): TimedWord => ({ text, start, end, confidence: 0.9 });

describe('withFilledPauses', () => {
  it('adds a hesitation the engine left out', () => {
    const words = [word('we', 0, 0.3), word('shipped', 1.2, 1.6)];
    expect(withFilledPauses(words, [{ start: 0.5, end: 0.9 }])).toEqual([
      words[0],
      { text: 'um', start: 0.5, end: 0.9, confidence: 0.5, filler: true, engine: 'acoustic' },
      words[1],
    ]);
  });

  it('adds it also when neighbouring words reach a little into it', () => {
    const words = [word('we', 0, 0.55), word('shipped', 0.85, 1.3)];
    expect(withFilledPauses(words, [{ start: 0.5, end: 0.9 }]).map((w) => w.text)).toEqual(['we', 'um', 'shipped']);
  });

  it('turns the look-alike word the engine made of the sound into the hesitation', () => {
    const words = [word('so', 0, 0.3), word('them', 0.5, 0.85), word('we', 1, 1.2)];
    const out = withFilledPauses(words, [{ start: 0.5, end: 0.9 }]);
    expect(out.map((w) => [w.text, w.filler ?? false])).toEqual([['so', false], ['um', true], ['we', false]]);
    expect(out[1]).toMatchObject({ start: 0.5, end: 0.85 });
  });

  it('leaves a real word said on its own as heard ("well,", "know" of "you know,")', () => {
    const words = [word('well', 0.5, 0.85), word('the', 1, 1.1)];
    expect(withFilledPauses(words, [{ start: 0.5, end: 0.9 }])).toEqual(words);
    const phrase = [word('you', 0.3, 0.5), word('know', 0.5, 0.85)];
    expect(withFilledPauses(phrase, [{ start: 0.5, end: 0.9 }])).toEqual(phrase);
  });

  it('leaves the words alone when the stretch spans two of them, or a look-alike covers little of it', () => {
    const two = [word('and', 0.5, 0.7), word('i', 0.7, 0.9)];
    expect(withFilledPauses(two, [{ start: 0.5, end: 0.9 }])).toEqual(two);
    const partly = [word('and', 0.2, 0.6), word('then', 0.6, 1.1)];
    expect(withFilledPauses(partly, [{ start: 0.5, end: 0.9 }])).toEqual(partly);
  });

  it('takes words already sent on into account without changing them or adding before their end', () => {
    // The stretch straddles the last word sent ("them", fixed) and the next final: nothing to do.
    const sent = [word('so', 0, 0.3), word('them', 0.5, 0.85)];
    expect(withFilledPauses([...sent, word('we', 1, 1.2)], [{ start: 0.5, end: 0.9 }], { fixed: 2 })).toEqual([...sent, word('we', 1, 1.2)]);
    // Left out in the gap after the words sent: added after them.
    const gap = withFilledPauses([word('so', 0, 0.3), word('we', 1.2, 1.4)], [{ start: 0.5, end: 0.9 }], { fixed: 1 });
    expect(gap.map((w) => w.text)).toEqual(['so', 'um', 'we']);
    // A stretch over a sent word with little of it covered is not added before that word's end.
    expect(withFilledPauses([word('and', 0.2, 0.6), word('we', 1.2, 1.4)], [{ start: 0.5, end: 0.9 }], { fixed: 1 }).map((w) => w.text)).toEqual(['and', 'we']);
  });

  it('does nothing without filled pauses', () => {
    const words = [word('we', 0, 0.3)];
    expect(withFilledPauses(words, [])).toEqual(words);
  });
});
