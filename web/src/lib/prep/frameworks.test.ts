import { STORY_PARTS } from '@rehearse/analysis';
import { describe, expect, it } from 'vitest';
import { dayLabel, FRAMEWORKS, minutesAndSeconds } from './frameworks.ts';

describe('the story frameworks', () => {
  it('has the parts the API checks stories against', () => {
    expect(Object.fromEntries(FRAMEWORKS.map((f) => [f.value, f.parts]))).toEqual(STORY_PARTS);
  });

  it('formats times and dates', () => {
    expect(minutesAndSeconds(65)).toBe('1:05');
    expect(dayLabel('2027-03-04')).toBe('Thu, Mar 4');
  });
});
