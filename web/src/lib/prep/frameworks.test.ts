import { describe, expect, it } from 'vitest';
import { dayLabel, minutesAndSeconds } from './frameworks.ts';

describe('prep formatting', () => {
  it('formats times and dates', () => {
    expect(minutesAndSeconds(65)).toBe('1:05');
    expect(dayLabel('2027-03-04')).toBe('Thu, Mar 4');
  });
});
