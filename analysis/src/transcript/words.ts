import type { TimedWord } from './types.ts';

// Punctuation and symbols around a word, keeping letters, digits and "%" ("40%" is a result cue).
const EDGES = /^[^\p{L}\p{N}%]+|[^\p{L}\p{N}%]+$/gu;
const APOSTROPHES = /[\u2018\u2019\u02bc]/g;
// A closing quote or bracket may follow the punctuation mark: `it was "done."`.
const SENTENCE_END = /[.?!;:]["'\u2019\u201d)\]]*$/;
const COMMA_END = /,["'\u2019\u201d)\]]*$/;

/** Lower case, straight apostrophes, no surrounding punctuation: "Don’t," → "don't", "API." → "api". */
export function normalizeText(text: string): string {
  return text.toLowerCase().replace(APOSTROPHES, "'").replace(EDGES, '');
}

/** The text to show: punctuated when the engine punctuates. */
export function displayText(word: TimedWord): string {
  return word.punctuated ?? word.text;
}

/** The engine ended a sentence or clause with this word (only engines that punctuate say so). */
export function endsSentence(word: TimedWord): boolean {
  return SENTENCE_END.test(word.punctuated ?? word.text);
}

export function endsWithComma(word: TimedWord): boolean {
  return COMMA_END.test(word.punctuated ?? word.text);
}

/** Middle of the word in time: the tolerant anchor for "is this word inside that range". */
export function midpoint(word: TimedWord): number {
  return (word.start + word.end) / 2;
}
