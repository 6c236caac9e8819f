import { describe, expect, it } from 'vitest';
import { speak } from './fixtures.ts';
import { computeMetrics, summarizeAnswer } from './summary.ts';

// A realistic 60 s answer as a punctuating engine with hesitations (Deepgram) would give it.
// Every word lasts 0.25 s with 0.125 s gaps (a 0.375 s stride); "[x]" is a silence of x seconds.
// Word indices and start times (start of word k in a run = run start + 0.375·(k − first)):
//   A   0–16   1.0 … 7.0 (ends 7.25)        [2]    B  17–26  9.25 … 12.625 (ends 12.875)  [0.75]
//   C  27–38  13.625 … 17.75 (ends 18.0)    [1.5]  D  39–69  19.5 … 30.75 (ends 31.0)     [2.5]
//   E  70–98  33.5 … 44.0 (ends 44.25)      [1]    F  99–124 45.25 … 54.625 (ends 54.875) [1]
//   G 125–132 55.875 … 58.5 (ends 58.75)
const ANSWER = speak(
  `~Um, so at my last job I was working on the checkout team at an online store. [2]
   The page was, like, really slow and customers were leaving. [0.75]
   My task was to cut the load time before the holiday sale. [1.5]
   I basically started by profiling the API, and I found three slow queries. I rewrote them, added a cache,
   and I talked to the frontend team about, you know, lazy loading. [2.5]
   As a result, we reduced the load time by 40% and sales went up. I mean, it was kind of hard, but I like Go,
   so that was fun. [1]
   Well, the team, actually, adopted the same approach for other pages as well, and our conversion rate improved
   by about ten percent over the next quarter. [1]
   So I learned to measure before I optimise.`,
  { start: 1 },
);

describe('live metrics of a realistic answer', () => {
  it('has the words and times the comments above assume', () => {
    expect(ANSWER).toHaveLength(133);
    expect([ANSWER[16]!.end, ANSWER[17]!.start, ANSWER[69]!.end, ANSWER[70]!.start, ANSWER[132]!.end]).toEqual([7.25, 9.25, 31, 33.5, 58.75]);
  });

  it('at 60 s, after the last word', () => {
    const metrics = computeMetrics(ANSWER, { now: 60 });

    // 133 words minus the tagged "Um".
    expect(metrics.words).toBe(132);

    // Overall: 132 words from 1.0 to 58.75 s = 57.75 s → 132·60/57.75 = 960/7 ≈ 137.1 wpm.
    expect(metrics.pace.overall).toMatchObject({ words: 132, start: 1, end: 58.75, state: 'ok' });
    expect(metrics.pace.overall.wpm).toBeCloseTo(960 / 7, 9);
    // Rolling (38.75, 58.75]: midpoints 33.625 + 0.375·(k − 70) > 38.75 from k = 84 → 84…132 = 49 → 147 wpm.
    expect(metrics.pace.rolling).toEqual({ wpm: 147, state: 'ok', words: 49, start: 38.75, end: 58.75 });

    // Gaps ≥ 1.5 s: after A (2), after C (exactly 1.5), after D (2.5); the 0.75 and 1 s gaps are not pauses.
    expect(metrics.pauses).toEqual({
      minPause: 1.5,
      count: 3,
      longest: { start: 31, end: 33.5, duration: 2.5, after: 69 },
      total: 6,
      pauses: [
        { start: 7.25, end: 9.25, duration: 2, after: 16 },
        { start: 18, end: 19.5, duration: 1.5, after: 38 },
        { start: 31, end: 33.5, duration: 2.5, after: 69 },
      ],
      current: { start: 58.75, duration: 1.25, isPause: false, beforeFirstWord: false },
    });

    // Fillers: Um; so (after "Um" at the start); like (after "was,"); basically; you know (comma after
    // "know"); I mean (comma); kind of (before "hard"); Well (after a 1 s pause); actually (set off by commas); So (after
    // "quarter."). Not: "I like Go" (verb), "so that" (mid-clause, phrase), "as well".
    expect(metrics.fillers.hits.map((hit) => [hit.phrase, hit.start, hit.index])).toEqual([
      ['um', 1, 0],
      ['so', 1.375, 1],
      ['like', 10.375, 20],
      ['basically', 19.875, 40],
      ['you know', 29.625, 66],
      ['i mean', 38.75, 84],
      ['kind of', 40.25, 88],
      ['well', 45.25, 99],
      ['actually', 46.375, 102],
      ['so', 55.875, 125],
    ]);
    expect(metrics.fillers).toMatchObject({ count: 10, hesitations: 1, lexical: 9 });
    // 10 fillers in 57.75 s of speech = 800/77 ≈ 10.4 a minute.
    expect(metrics.fillers.perMinute).toBeCloseTo(800 / 77, 9);
    expect(metrics.fillers.byPhrase.map(({ phrase, count }) => `${phrase}:${count}`)).toEqual([
      'so:2', 'actually:1', 'basically:1', 'i mean:1', 'kind of:1', 'like:1', 'um:1', 'well:1', 'you know:1',
    ]);
    // Since 30 s: 38.75, 40.25, 45.25, 46.375, 55.875. Every three consecutive fillers are < 30 s apart,
    // so the whole answer is one burst, from the "Um" to the end of the last "So".
    expect(metrics.fillers.burst).toEqual({ active: true, count: 5 });
    expect(metrics.fillers.bursts).toEqual([{ start: 1, end: 56.125, count: 10 }]);

    expect(metrics.elapsed).toEqual({ elapsed: 60, target: 120, remaining: 60, progress: 0.5, state: 'ok' });

    expect(metrics.star).toEqual({
      situation: { heard: true, at: 1.75, evidence: 'at my last job I was working on' },
      task: { heard: true, at: 13.625, evidence: 'My task was to cut the load time' },
      action: { heard: true, at: 19.5, evidence: 'I basically started by profiling the API, and' },
      result: { heard: true, at: 33.5, evidence: 'As a result, we reduced the load time' },
      heard: ['situation', 'task', 'action', 'result'],
      noResultYet: false,
    });
  });

  it('at 32.5 s, in the pause before the Result, with the words final by then', () => {
    const words = ANSWER.filter((word) => word.end <= 32.5); // 0…69
    const metrics = computeMetrics(words, { now: 32.5 });
    // 69 spoken words from 1.0 to 31.0 s → 138 wpm; rolling (11, 31]: B 22…26, C, D = 5 + 12 + 31 = 48 → 144.
    expect(metrics.pace.overall).toMatchObject({ wpm: 138, words: 69, state: 'ok' });
    expect(metrics.pace.rolling).toMatchObject({ wpm: 144, words: 48, start: 11, end: 31 });
    expect(metrics.pauses).toMatchObject({ count: 2, total: 3.5, longest: { start: 7.25, duration: 2 } });
    expect(metrics.pauses.current).toEqual({ start: 31, duration: 1.5, isPause: true, beforeFirstWord: false });
    // Um, so, like, basically, you know in 30 s of speech = 10 a minute; like, basically and you know
    // started within the last 30 s.
    expect(metrics.fillers).toMatchObject({ count: 5, perMinute: 10, burst: { active: true, count: 3 } });
    expect(metrics.star.heard).toEqual(['situation', 'task', 'action']);
    expect(metrics.star.result).toEqual({ heard: false, at: null, evidence: null });
    expect(metrics.star.noResultYet).toBe(false);
    expect(metrics.elapsed).toMatchObject({ remaining: 87.5, state: 'ok' });

    // A voice detector that heard speech until 32 s shortens the current silence.
    expect(computeMetrics(words, { now: 32.5, voice: { speaking: false, since: 32 } }).pauses.current).toEqual({
      start: 32,
      duration: 0.5,
      isPause: false,
      beforeFirstWord: false,
    });
    expect(computeMetrics(words, { now: 32.5, voice: { speaking: true, since: 32.25 } }).pauses.current).toBeNull();
    expect(computeMetrics(words, { now: 32.5, options: { star: { resultHintAfter: 30 } } }).star.noResultYet).toBe(true);
  });

  it('passes each option section to its metric', () => {
    const metrics = computeMetrics(ANSWER, {
      now: 60,
      options: {
        pace: { minWpm: 140 },
        pauses: { minPause: 2 },
        fillers: { hesitations: false },
        elapsed: { target: 60 },
        star: { resultHintAfter: 10 },
      },
    });
    expect(metrics.pace.overall.state).toBe('tooSlow'); // 137.1 < 140
    expect(metrics.pauses.count).toBe(2); // 2 and 2.5 s
    expect(metrics.fillers.count).toBe(9); // without the "Um"
    expect(metrics.elapsed.state).toBe('over');
    expect(metrics.star.noResultYet).toBe(false);
    expect(() => computeMetrics(ANSWER, { now: 60, options: { pase: {} } as never })).toThrow(/unknown metrics option section "pase"/);
    expect(() => computeMetrics(ANSWER, { now: -1 })).toThrow(TypeError);
  });

  it('is deterministic and does not depend on word order', () => {
    expect(computeMetrics([...ANSWER].reverse(), { now: 60 })).toEqual(computeMetrics(ANSWER, { now: 60 }));
  });
});

describe('the end of an answer', () => {
  it('decides a last word that waits for what follows once the answer is over', () => {
    const words = speak('I really like that kind of problem actually', { gap: 0.02, punctuate: false });
    const end = words.at(-1)!.end + 0.1;
    // Live, 0.1 s after the last word, "actually" may still be followed by more of its clause …
    expect(computeMetrics(words, { now: end }).fillers.hits.map((h) => h.phrase)).toEqual([]);
    // … in the report nothing follows it: a filler at the clause's edge.
    expect(summarizeAnswer(words, { duration: end }).fillers.hits.map((h) => h.phrase)).toEqual(['actually']);
  });
});

describe('answer summary', () => {
  it('is the metrics at the end plus a pace timeline every 5 s', () => {
    const summary = summarizeAnswer(ANSWER, { duration: 60 });
    const { paceTimeline, ...metrics } = summary;
    expect(metrics).toEqual(computeMetrics(ANSWER, { now: 60 }));
    expect(paceTimeline.map((point) => point.t)).toEqual([5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]);
    // t=5: only 4 s since the first word. t=10: words 1…18 (midpoints ≤ 10) in 9 s = 120.
    // t=20: words 1…40 in 19 s = 2400/19 ≈ 126.3. t=25: (5, 25] holds 11…16, B, C, 39…53 = 43 → 129.
    // t=55: (35, 55] holds 74…98 and F = 25 + 26 = 51 → 153.
    expect(paceTimeline[0]).toEqual({ t: 5, wpm: null, state: 'unknown' });
    expect(paceTimeline[1]).toEqual({ t: 10, wpm: 120, state: 'tooSlow' });
    expect(paceTimeline[3]!.wpm).toBeCloseTo(2400 / 19, 9);
    expect(paceTimeline[4]).toEqual({ t: 25, wpm: 129, state: 'tooSlow' });
    expect(paceTimeline[10]).toEqual({ t: 55, wpm: 153, state: 'ok' });
  });
});
