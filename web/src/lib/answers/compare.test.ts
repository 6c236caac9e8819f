import { describe, expect, it } from 'vitest';
import { GOOD_LENGTH, improvement } from './compare.ts';

describe('comparing two takes', () => {
  it('reads lower, higher and band figures the right way', () => {
    expect(improvement(6, 3, 'lower')).toBe(true);
    expect(improvement(3, 6, 'lower')).toBe(false);
    expect(improvement(2, 4, 'higher')).toBe(true);
    expect(improvement(2, 2, 'higher')).toBeNull();
    expect(improvement(null, 2, 'higher')).toBeNull();
    // Pace: 190 → 160 moves into the 130–175 band; 150 → 120 moves out of it.
    const pace = { band: { min: 130, max: 175 } };
    expect(improvement(190, 160, pace)).toBe(true);
    expect(improvement(150, 120, pace)).toBe(false);
    // Length: 40 s → 100 s is better, 110 s → 240 s worse, against the recommended length (not the pace band).
    expect(improvement(40, 100, { band: GOOD_LENGTH })).toBe(true);
    expect(improvement(110, 240, { band: GOOD_LENGTH })).toBe(false);
  });
});
