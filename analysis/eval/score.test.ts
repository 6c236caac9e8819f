// The harness's own honesty: labels come from the script as written, and scoring counts a
// detection right only where a label of its type is.
import { describe, expect, it } from 'vitest';
import type { FillerHit } from '../src/metrics/fillers.ts';
import type { AnswerSummary } from '../src/metrics/summary.ts';
import { summarizeAnswer } from '../src/metrics/summary.ts';
import type { TimedWord } from '../src/transcript/types.ts';
import { fillerTypeOf, parseScript, ScriptError } from './corpus.ts';
import { editDistance, precisionRecall, scoreSample, total } from './score.ts';

const SCRIPT = `# question: Tell me about a time you fixed something.
S: {um}, at my last job the build kept failing.
A: I rewrote it, {you know}, in a week, and I like Go.
R: As a result, builds were {actually} green.`;

describe('parseScript', () => {
  it('reads the question, the STAR parts and every word with its filler label', () => {
    const script = parseScript('fixture', SCRIPT);
    expect(script.question).toBe('Tell me about a time you fixed something.');
    expect(script.parts).toEqual(['situation', 'action', 'result']);
    expect(script.text).toContain('um, at my last job');
    const fillers = script.words.filter((w) => w.filler).map((w) => `${w.text}:${w.filler}`);
    expect(fillers).toEqual(['um:um/uh', 'you:you know', 'know:you know', 'actually:actually']);
    // A two-word filler is one label: both words point at its first.
    const you = script.words.findIndex((w) => w.text === 'you');
    expect(script.words[you + 1]!.fillerStart).toBe(you);
    // "like" in "I like Go" is not labelled: a trap, not a filler.
    expect(script.words.find((w) => w.text === 'like')!.filler).toBeNull();
  });

  it('refuses what it cannot label honestly', () => {
    expect(() => parseScript('x', 'S: we cut it by 40%.')).toThrow(ScriptError);
    expect(() => parseScript('x', 'S: it was {totally} fine.')).toThrow(/unknown filler/);
    expect(() => parseScript('x', 'S: {um so} fine.')).toThrow(/unknown filler/);
    expect(() => parseScript('x', 'S: {You know} fine.')).toThrow(/unknown filler/);
    expect(() => parseScript('x', 'no tag here')).toThrow(/starts with S:/);
    expect(() => parseScript('x', '# question: only')).toThrow(/no lines/);
  });

  it('names filler types as the product names its phrases', () => {
    expect(fillerTypeOf('kind of like')).toBe('kind of');
    expect(fillerTypeOf('sort of')).toBe('kind of');
    expect(fillerTypeOf('uh')).toBe('um/uh');
    expect(fillerTypeOf('totally')).toBeNull();
  });
});

describe('scoring', () => {
  it('counts word errors and precision/recall as usual', () => {
    expect(editDistance(['a', 'b', 'c'], ['a', 'x', 'c', 'd'])).toBe(2);
    expect(precisionRecall({ tp: 3, fp: 1, fn: 2 })).toEqual({ precision: 0.75, recall: 0.6, f1: (2 * 0.75 * 0.6) / 1.35, support: 5 });
    expect(precisionRecall({ tp: 0, fp: 0, fn: 0 })).toEqual({ precision: null, recall: null, f1: null, support: 0 });
  });

  it('matches a detection to a label of the same type that overlaps it, once', () => {
    const script = parseScript('fixture', SCRIPT);
    // Each script word 0.3 s long, back to back.
    const times = script.words.map((_, i) => ({ start: i * 0.3, end: i * 0.3 + 0.3 }));
    const heard: TimedWord[] = script.words.map((w, i) => ({ text: w.text, start: times[i]!.start, end: times[i]!.end, confidence: 1, ...(w.text === 'um' ? { filler: true } : {}) }));
    const summary: AnswerSummary = summarizeAnswer(heard, { duration: times.at(-1)!.end + 1 });
    const at = (text: string) => script.words.findIndex((w) => w.text === text);
    const hit = (phrase: string, index: number, length = 1): FillerHit => ({ phrase, kind: phrase === 'um' ? 'hesitation' : 'lexical', start: times[index]!.start, end: times[index + length - 1]!.end, index, length });
    const withHits = (hits: FillerHit[]) => ({ words: heard, summary: { ...summary, fillers: { ...summary.fillers, hits } } });

    // Everything found where it was labelled.
    const perfect = scoreSample(script, times, withHits([hit('um', 0), hit('you know', at('you'), 2), hit('actually', at('actually'))]));
    expect(perfect.fillers['um/uh']).toEqual({ tp: 1, fp: 0, fn: 0 });
    expect(perfect.fillers['you know']).toEqual({ tp: 1, fp: 0, fn: 0 });
    expect(perfect.fillers.actually).toEqual({ tp: 1, fp: 0, fn: 0 });
    expect(perfect.wordErrors).toBe(0);

    // The trap flagged, a label missed, and the same label claimed twice.
    const wrong = scoreSample(script, times, withHits([hit('like', at('like')), hit('um', 0), hit('um', 0)]));
    expect(wrong.fillers.like).toEqual({ tp: 0, fp: 1, fn: 0 });
    expect(wrong.fillers['um/uh']).toEqual({ tp: 1, fp: 1, fn: 0 });
    expect(wrong.fillers['you know']).toEqual({ tp: 0, fp: 0, fn: 1 });
    expect(wrong.mistakes.some((m) => m.startsWith('false like'))).toBe(true);

    // A detection of the right type far from the label does not count.
    const far = scoreSample(script, times, withHits([hit('actually', 1)]));
    expect(far.fillers.actually).toEqual({ tp: 0, fp: 1, fn: 1 });

    // STAR agreement per part, and the true pace from the label times.
    expect(perfect.star.situation.labelled).toBe(true);
    expect(perfect.star.task).toEqual({ labelled: false, heard: summary.star.task.heard });
    const spoken = script.words.filter((w) => w.filler !== 'um/uh').length;
    expect(perfect.trueWpm).toBeCloseTo((spoken / (times.at(-1)!.end - times[0]!.start)) * 60, 9);
    const totals = total([perfect, wrong]);
    expect(totals.samples).toBe(2);
    expect(totals.fillers.like).toMatchObject({ precision: 0, support: 0 });
  });
});
