// An answer's wording: the tokens both originality checks read. Hesitations and filler words are
// dropped (metrics/fillers.ts decides, in context, so "I like Go" keeps its "like"), contractions are
// spelt out and hyphenated words split, so "I'm a hard-working, um, team player" and "I am a hard
// working team player" read the same — to the stock-phrase matcher and to the fingerprint alike.
import { detectFillers } from '../metrics/fillers.ts';
import { prepare } from '../metrics/tokens.ts';
import type { TimedWord } from '../transcript/types.ts';

export interface Wording {
  /** The words in time order. */
  words: readonly TimedWord[];
  tokens: string[];
  /** For each token, the index in `words` of the word it was read from. */
  from: number[];
}

// Whole words first: a suffix rule would read "can't" as "ca not".
const IRREGULAR: Record<string, readonly string[]> = { "can't": ['can', 'not'], "won't": ['will', 'not'], "shan't": ['shall', 'not'], "ain't": ['is', 'not'] };
// "'s" stays: it is "is", "has" or a possessive, and only the sentence can tell.
const SUFFIXES: ReadonlyArray<readonly [suffix: string, word: string]> = [["n't", 'not'], ["'m", 'am'], ["'re", 'are'], ["'ve", 'have'], ["'ll", 'will'], ["'d", 'would']];
const JOINERS = /[-\u2010-\u2015/]+/;

function spellOut(token: string): readonly string[] {
  const whole = IRREGULAR[token];
  if (whole) return whole;
  for (const [suffix, word] of SUFFIXES) {
    if (token.length > suffix.length && token.endsWith(suffix)) return [token.slice(0, -suffix.length), word];
  }
  return [token];
}

export function wordingOf(input: readonly TimedWord[]): Wording {
  const { words, tokens: normalized } = prepare(input);
  const end = words.reduce((latest, word) => Math.max(latest, word.end), 0);
  // The answer is over: a second after the last word, every look-ahead rule of the filler detector is decided.
  const filler = new Array<boolean>(words.length).fill(false);
  for (const hit of detectFillers(words, { now: end + 1 })) filler.fill(true, hit.index, hit.index + hit.length);
  const tokens: string[] = [];
  const from: number[] = [];
  normalized.forEach((token, i) => {
    if (filler[i] || token === '') return;
    for (const part of token.split(JOINERS)) {
      for (const piece of part ? spellOut(part) : []) {
        tokens.push(piece);
        from.push(i);
      }
    }
  });
  return { words, tokens, from };
}

/** Words from plain text (a stored transcript, a script), spaced like speech so the filler
 * detector's pause rules stay quiet and only punctuation marks clauses. */
export function wordsOfText(text: string): TimedWord[] {
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map((written, i) => ({ text: written, punctuated: written, start: i * 0.4, end: i * 0.4 + 0.3, confidence: 1 }));
}
