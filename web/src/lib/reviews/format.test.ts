import { describe, expect, it } from 'vitest';
import { competencyName, wordAt } from './format.ts';

describe('review formats', () => {
  it('finds the word being said, none before the first or in a long silence', () => {
    const words = [
      { start: 0.5, end: 0.8 },
      { start: 0.9, end: 1.2 },
      { start: 4, end: 4.3 },
    ];
    expect([0, 0.5, 0.85, 1.1, 2.1, 2.3, 4.1, 9].map((t) => wordAt(words, t))).toEqual([-1, 0, 0, 1, 1, -1, 2, -1]);
    expect(wordAt([], 1)).toBe(-1);
  });

  it('names competencies for people', () => {
    expect(competencyName('conflict-resolution')).toBe('Conflict resolution');
    expect(competencyName('communication')).toBe('Communication');
  });
});
