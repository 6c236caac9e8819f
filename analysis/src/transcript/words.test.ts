import { describe, expect, it } from 'vitest';
import { endsSentence, endsWithComma, normalizeText } from './words.ts';

const word = (punctuated: string) => ({ text: normalizeText(punctuated), start: 0, end: 0.2, confidence: 1, punctuated });

describe('word text', () => {
  it('normalises case, curly apostrophes and surrounding punctuation, keeping % and inner marks', () => {
    expect(['Don’t,', '"API."', 'well-known', '40%.', '$5', '(Hello)', '...', 'I’d'].map(normalizeText)).toEqual([
      "don't", 'api', 'well-known', '40%', '5', 'hello', '', "i'd",
    ]);
  });

  it('tells sentence punctuation from a comma, also before a closing quote', () => {
    expect(['done.', 'why?', 'it."', 'so,', 'so'].map((text) => endsSentence(word(text)))).toEqual([true, true, true, false, false]);
    expect(['so,', 'said,"', 'so', 'so.'].map((text) => endsWithComma(word(text)))).toEqual([true, true, false, false]);
  });
});
