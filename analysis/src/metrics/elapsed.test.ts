import { describe, expect, it } from 'vitest';
import { measureElapsed } from './elapsed.ts';

describe('elapsed time', () => {
  it('compares the time so far with the 2-minute target, suggesting a wrap-up in the last 20 s', () => {
    expect(measureElapsed({ now: 30 })).toEqual({ elapsed: 30, target: 120, remaining: 90, progress: 0.25, state: 'ok' });
    expect(measureElapsed({ now: 99.5 }).state).toBe('ok');
    expect(measureElapsed({ now: 100 }).state).toBe('wrapUp');
    expect(measureElapsed({ now: 119.5 }).state).toBe('wrapUp');
    expect(measureElapsed({ now: 120 })).toMatchObject({ remaining: 0, progress: 1, state: 'over' });
    expect(measureElapsed({ now: 150 })).toMatchObject({ remaining: -30, progress: 1.25, state: 'over' });
  });

  it('takes another target and wrap-up time', () => {
    expect(measureElapsed({ now: 60 }, { target: 90, wrapUpBefore: 30 })).toEqual({ elapsed: 60, target: 90, remaining: 30, progress: 60 / 90, state: 'wrapUp' });
    expect(() => measureElapsed({ now: 1 }, { target: 0 })).toThrow(TypeError);
  });
});
