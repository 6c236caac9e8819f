import { describe, expect, it } from 'vitest';
import { speak } from '../metrics/fixtures.ts';
import { GENERIC, OTHER_STORY, SHORT, SPECIFIC, TEMPLATE, TEMPLATE_COPY } from './fixtures.ts';
import { fingerprint } from './minhash.ts';
import { originality } from './originality.ts';

const signatureOf = (script: string) => fingerprint(speak(script))!.signature;

describe('originality', () => {
  it('flags a copy of another user’s answer with a score and a count only', () => {
    const others = [signatureOf(TEMPLATE), signatureOf(OTHER_STORY), signatureOf(SPECIFIC.deadline)];
    const result = originality({ words: speak(TEMPLATE_COPY), others });
    expect(result.similar).not.toBeNull();
    expect(Object.keys(result.similar!).sort()).toEqual(['count', 'score']);
    expect(result.similar!.count).toBe(1);
    expect(result.similar!.score).toBeGreaterThanOrEqual(0.5);
    expect(result.flagged).toBe(true);
    expect(result.message).toMatch(/another user’s answer/);
    // No wording of the others: "coordinator" is only in the template, "permit" and "grocery" only in the other two.
    expect(JSON.stringify(result)).not.toMatch(/coordinator|permit|grocery/);
  });

  it('counts every answer at or above the threshold, and follows the threshold given', () => {
    const others = [signatureOf(TEMPLATE), signatureOf(TEMPLATE), signatureOf(OTHER_STORY)];
    expect(originality({ words: speak(TEMPLATE_COPY), others }).similar!.count).toBe(2);
    expect(originality({ words: speak(TEMPLATE_COPY), others }, { similarThreshold: 0.99 }).similar!.count).toBe(0);
  });

  it('flags a generic answer with no one to compare against, and says why', () => {
    const result = originality({ words: speak(GENERIC.strengths) });
    expect(result.similar).toBeNull();
    expect(result.generic.generic).toBe(true);
    expect(result.flagged).toBe(true);
    expect(result.message).toMatch(/stock phrases \(“hard worker”, “team player”, “passionate about”\)/);
  });

  it('does not flag an original, specific answer', () => {
    const result = originality({ words: speak(OTHER_STORY), others: [signatureOf(TEMPLATE), signatureOf(SPECIFIC.outage)] });
    expect(result.similar!.count).toBe(0);
    expect(result.similar!.score).toBeLessThan(0.2);
    expect(result.flagged).toBe(false);
    expect(result.message).toBeNull();
  });

  it('compares nothing for an answer too short to fingerprint', () => {
    const result = originality({ words: speak(SHORT), others: [signatureOf(TEMPLATE)] });
    expect(result.similar).toBeNull();
    expect(result.flagged).toBe(false);
  });

  it('rejects signatures made with other options', () => {
    expect(() => originality({ words: speak(TEMPLATE), others: [[1, 2, 3]] })).toThrow(TypeError);
  });
});
