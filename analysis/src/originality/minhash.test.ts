import { describe, expect, it } from 'vitest';
import { speak } from '../metrics/fixtures.ts';
import { OTHER_STORY, SPECIFIC, TEMPLATE, TEMPLATE_COPY } from './fixtures.ts';
import { candidateProbability, fingerprint, murmur3, similarity, SIMILAR_THRESHOLD, type Fingerprint } from './minhash.ts';

const of = (script: string): Fingerprint => {
  const result = fingerprint(speak(script));
  if (!result) throw new Error('expected a fingerprint');
  return result;
};
const candidates = (a: Fingerprint, b: Fingerprint) => a.bands.some((key) => b.bands.includes(key));

// Word sequences with a known overlap: distinct made-up words, so the test can compute the exact
// Jaccard of the 3-shingle sets itself.
function sequence(length: number, seed: number): string[] {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
  return Array.from({ length }, () => `w${next() % 5000}`);
}
function replaced(words: readonly string[], every: number): string[] {
  return words.map((word, i) => (i % every === 0 ? `${word}x` : word));
}
function exactJaccard(a: readonly string[], b: readonly string[]): number {
  const shingles = (w: readonly string[]) => new Set(w.slice(0, -2).map((_, i) => w.slice(i, i + 3).join(' ')));
  const sa = shingles(a);
  const sb = shingles(b);
  const shared = [...sa].filter((s) => sb.has(s)).length;
  return shared / (sa.size + sb.size - shared);
}

describe('murmur3', () => {
  it('matches the reference MurmurHash3 x86 32-bit values', () => {
    expect(murmur3('', 0)).toBe(0);
    expect(murmur3('', 1)).toBe(0x514e28b7);
    expect(murmur3('hello', 0)).toBe(0x248bfa47);
    expect(murmur3('Hello, world!', 1234)).toBe(0xfaf6cdb3);
    expect(murmur3('The quick brown fox jumps over the lazy dog', 0)).toBe(0x2e4ff723);
  });
});

describe('fingerprint', () => {
  it('has 128 unsigned 32-bit values and 32 band keys', () => {
    const { signature, bands, shingles } = of(TEMPLATE);
    expect(signature).toHaveLength(128);
    for (const value of signature) expect(Number.isInteger(value) && value >= 0 && value <= 0xffffffff).toBe(true);
    expect(bands).toHaveLength(32);
    bands.forEach((key, i) => expect(key).toMatch(new RegExp(`^b${i}:[0-9a-f]{8}$`)));
    // 81 words, no fillers: one shingle per word but the last two, all distinct in this answer.
    expect(shingles).toBe(TEMPLATE.split(/\s+/).filter(Boolean).length - 2);
  });

  it('is deterministic, and the same for words and for their text', () => {
    expect(of(TEMPLATE)).toEqual(of(TEMPLATE));
    expect(fingerprint(TEMPLATE)).toEqual(of(TEMPLATE));
    expect(fingerprint(speak(TEMPLATE, { punctuate: false, start: 3, gap: 0.2 }))).toEqual(of(TEMPLATE));
  });

  it('changes with the seed', () => {
    expect(fingerprint(TEMPLATE, { seed: 1 })!.signature).not.toEqual(of(TEMPLATE).signature);
  });

  it('is null for an answer too short to call a copy', () => {
    expect(fingerprint(speak('I set up a project board and trained everyone on how to use it.'))).toBeNull();
    expect(fingerprint('')).toBeNull();
  });

  it('finds a memorised answer spoken by a second user, fillers and changed words included', () => {
    const a = of(TEMPLATE);
    const b = of(TEMPLATE_COPY);
    expect(similarity(a.signature, b.signature)).toBeGreaterThanOrEqual(SIMILAR_THRESHOLD);
    expect(candidates(a, b)).toBe(true);
  });

  it('does not confuse two different stories told for the same question', () => {
    const a = of(TEMPLATE);
    const b = of(OTHER_STORY);
    expect(similarity(a.signature, b.signature)).toBeLessThan(0.2);
    expect(candidates(a, b)).toBe(false);
    const outage = of(SPECIFIC.outage);
    const retold = of(SPECIFIC.outageWithCliches);
    // The same story retold with cuts and clichés is close, different stories are not.
    expect(similarity(outage.signature, retold.signature)).toBeGreaterThan(similarity(outage.signature, of(SPECIFIC.deadline).signature) + 0.3);
  });

  it('estimates the exact Jaccard of the shingle sets within 0.1', () => {
    const base = sequence(200, 7);
    const variants = [replaced(base, 40), replaced(base, 12), replaced(base, 7), replaced(base, 4), [...base.slice(0, 120), ...sequence(80, 8)], sequence(200, 9)];
    const exact = variants.map((variant) => exactJaccard(base, variant));
    // The pairs span the range, so the estimate is checked where it matters.
    expect(Math.max(...exact)).toBeGreaterThan(0.8);
    expect(Math.min(...exact)).toBeLessThan(0.05);
    const signature = fingerprint(base.join(' '))!.signature;
    variants.forEach((variant, i) => {
      const estimate = similarity(signature, fingerprint(variant.join(' '))!.signature);
      expect(Math.abs(estimate - exact[i]!)).toBeLessThanOrEqual(0.1);
    });
  });
});

describe('similarity', () => {
  it('is the fraction of equal positions', () => {
    expect(similarity([1, 2, 3, 4], [1, 2, 0, 0])).toBe(0.5);
    expect(similarity([5, 6], [5, 6])).toBe(1);
  });

  it('rejects signatures of different lengths', () => {
    expect(() => similarity([1, 2], [1, 2, 3])).toThrow(TypeError);
    expect(() => similarity([], [])).toThrow(TypeError);
  });
});

describe('candidateProbability', () => {
  it('follows 1 − (1 − s^4)^32 for 32 bands of 4 rows', () => {
    expect(candidateProbability(0)).toBe(0);
    expect(candidateProbability(1)).toBe(1);
    // (1 − 0.5⁴)³² = 0.9375³² ≈ 0.1268
    expect(candidateProbability(0.5)).toBeCloseTo(0.873, 3);
    expect(candidateProbability(0.1)).toBeLessThan(0.01);
    expect(candidateProbability(0.5, { hashes: 128, bands: 16 })).toBeLessThan(candidateProbability(0.5));
  });
});
