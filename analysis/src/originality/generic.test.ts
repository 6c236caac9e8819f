import { describe, expect, it } from 'vitest';
import { speak } from '../metrics/fixtures.ts';
import { GENERIC, SHORT, SPECIFIC } from './fixtures.ts';
import { genericness } from './generic.ts';

// Phrases and specifics alone, also on sentences too short for the verdict.
const phrasesOf = (script: string, punctuate = true) => genericness(speak(script, { punctuate }), { minWords: 1 }).stockPhrases.map((hit) => hit.phrase);
const specificsOf = (script: string, punctuate = true) => genericness(speak(script, { punctuate }), { minWords: 1 }).specifics;

describe('genericness', () => {
  it.each(Object.entries(SPECIFIC))('does not call the specific answer "%s" generic, punctuated or not', (_, script) => {
    for (const punctuate of [true, false]) {
      const result = genericness(speak(script, { punctuate }));
      expect(result.generic).toBe(false);
      expect(result.score).toBeLessThan(0.5);
      expect(result.specifics).toBeGreaterThanOrEqual(8);
    }
  });

  it('finds the clichés of a specific answer but lets its specifics carry them', () => {
    const result = genericness(speak(SPECIFIC.outageWithCliches));
    expect(result.stockPhrases.map((hit) => hit.phrase)).toEqual(['team player', 'at the end of the day']);
    expect(result.generic).toBe(false);
    expect(result.reasons.join(' ')).toMatch(/2 stock phrases/);
  });

  it.each(Object.entries(GENERIC))('calls the cliché answer "%s" generic', (_, script) => {
    const result = genericness(speak(script));
    expect(result.generic).toBe(true);
    expect(result.score).toBeGreaterThanOrEqual(0.5);
    expect(result.stockPhrases.length).toBeGreaterThanOrEqual(6);
    expect(result.specifics).toBeLessThanOrEqual(2);
    expect(result.reasons.join(' ')).toMatch(/stock phrases/);
  });

  it('names the phrases it found, each once per occurrence, in order', () => {
    expect(phrasesOf(GENERIC.strengths)).toEqual([
      'hard worker', 'team player', 'passionate about', 'go above and beyond', 'detail oriented', 'results driven',
      'think outside the box', 'wear many hats', 'quick learner', 'hit the ground running', 'at the end of the day',
      'add value', 'make a difference', 'perfect fit',
    ]);
  });

  it('matches inflected, hyphenated and contracted forms and skips fillers inside a phrase', () => {
    expect(phrasesOf(GENERIC.inflected, false)).toEqual([
      'hard worker', 'go above and beyond', 'think outside the box', 'hit the ground running', 'team player',
      'on the same page', 'at the end of the day', 'get the job done', 'love a challenge', 'eager to learn',
      'learn and grow', 'take it to the next level',
    ]);
    expect(phrasesOf('we were truly team, ~um, players', true)).toEqual(['team player']);
    expect(phrasesOf("I'm a self-starter and a go-getter")).toEqual(['self-starter', 'go-getter']);
  });

  it('does not match the words of a phrase apart or in another order', () => {
    expect(phrasesOf('the team had one player who worked hard and the box was outside')).toEqual([]);
    expect(phrasesOf('i worked hard on the day the end of the sprint came')).toEqual([]);
  });

  it('gives each phrase its time and the words as spoken', () => {
    const words = speak(GENERIC.strengths, { start: 2 });
    const hit = genericness(words).stockPhrases.find((h) => h.phrase === 'team player')!;
    const team = words.findIndex((w) => w.text === 'team');
    expect(hit.at).toBe(words[team]!.start);
    expect(hit.quote).toBe('team player.');
    const above = genericness(words).stockPhrases.find((h) => h.phrase === 'go above and beyond')!;
    expect(above.quote).toBe('go above and beyond');
  });

  it('does not judge an answer under 30 words', () => {
    const result = genericness(speak(SHORT));
    expect(result.generic).toBe(false);
    expect(result.score).toBe(0);
    expect(result.reasons).toHaveLength(1);
    expect(result.reasons[0]).toMatch(/too short/i);
  });

  it('counts numbers, dates and the things "I" did, one each', () => {
    // "three services", "2023", "march" (after "last"), "I built", "I wrote"
    expect(specificsOf('I built three services in 2023 and last march I wrote the docs')).toBe(5);
    // "two and a half weeks", "I then called", "next monday" … "tuesday"
    expect(specificsOf('it took two and a half weeks so I then called the vendor and asked to meet next monday or tuesday')).toBe(4);
  });

  it('does not count vague words that look like details', () => {
    expect(specificsOf('I think one of the things I learned is that I was always trying to do my best and we may need to keep going')).toBe(0);
    expect(specificsOf('I wanted to help and I worked hard and I managed to finish it')).toBe(0);
    // A number inside a stock phrase is part of the cliché.
    expect(specificsOf('every day I give a hundred and ten percent')).toBe(0);
  });

  it('counts names only where the engine capitalises them', () => {
    const script = 'We moved the billing jobs to Postgres and Kafka, and Priya Shah reviewed it. API calls stayed fast.';
    expect(specificsOf(script, true)).toBe(4);
    expect(specificsOf(script, false)).toBe(0);
  });

  it('scores more specific versions of the same answer lower', () => {
    const vague = genericness(speak(GENERIC.strengths)).score;
    const told = genericness(speak(`${GENERIC.strengths} Last March I rebuilt our billing export in Go, I cut its run time from 40 minutes to six, and I wrote a guide that 30 engineers used in 2024.`)).score;
    expect(told).toBeLessThan(vague);
  });

  it('rejects bad options', () => {
    expect(() => genericness([], { threshold: 2 })).toThrow(TypeError);
    expect(() => genericness([], { stockPer100: 0 })).toThrow(TypeError);
    expect(() => genericness([], { nope: 1 } as never)).toThrow(TypeError);
  });
});
