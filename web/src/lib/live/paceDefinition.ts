// What the pace figure is over, as the live panel and the report say it (analysis/src/metrics/pace.ts
// computes it): the same definition live and after the answer, so the two figures agree.
export const PACE_DEFINITION =
  'Pace: words per minute from your first word to your last, pauses included; um and uh are not counted as words.';
