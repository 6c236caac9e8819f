// Helpers shared by the metrics: words prepared once per call (normalised text, memoised per word
// object so recomputing every metric every 100 ms does not re-run the regular expressions, and
// hesitation flags), time order, numbers and sorted-array search.
import type { TimedWord } from '../transcript/types.ts';
import { midpoint, normalizeText } from '../transcript/words.ts';

const normalized = new WeakMap<TimedWord, string>();

export function tokenOf(word: TimedWord): string {
  let token = normalized.get(word);
  if (token === undefined) {
    token = normalizeText(word.text);
    normalized.set(word, token);
  }
  return token;
}

// Sounds, not words. Deepgram writes uh, um, mhmm; PocketSphinx turns um/uh into "ah" at best.
// Excluded on purpose: uh-huh, mm-mm, uh-uh, nuh-uh, which answer yes or no and carry meaning.
const HESITATIONS = new Set(['um', 'umm', 'uhm', 'uh', 'uhh', 'er', 'erm', 'ah', 'ahh', 'hmm', 'hm', 'mhm', 'mhmm', 'mm']);

/** The words themselves when already sorted by start (the transcript guarantees it), else a sorted copy. */
export function inTimeOrder(words: readonly TimedWord[]): readonly TimedWord[] {
  for (let i = 1; i < words.length; i++) {
    if (words[i]!.start < words[i - 1]!.start) return [...words].sort((a, b) => a.start - b.start);
  }
  return words;
}

/** Words in time order with their normalised text and hesitation flags (tagged by the engine, or
 * one of the sounds above): computed once per call and shared by every metric of a snapshot. */
export interface Prepared {
  words: readonly TimedWord[];
  tokens: readonly string[];
  hesitation: readonly boolean[];
}

export function prepare(words: readonly TimedWord[]): Prepared {
  const sorted = inTimeOrder(words);
  const tokens = sorted.map(tokenOf);
  const hesitation = sorted.map((word, i) => word.filler === true || HESITATIONS.has(tokens[i]!));
  return { words: sorted, tokens, hesitation };
}

/** Midpoints of the words that count as spoken words (hesitations are sounds), in time order. */
export function spokenMidpoints({ words, tokens, hesitation }: Prepared): number[] {
  const mids: number[] = [];
  for (let i = 0; i < words.length; i++) if (tokens[i] !== '' && !hesitation[i]) mids.push(midpoint(words[i]!));
  return mids;
}

/** How many of the words count as spoken words: the word count every metric and report uses (um/uh are sounds, not words). */
export function spokenWordCount(words: readonly TimedWord[]): number {
  return spokenMidpoints(prepare(words)).length;
}

/** How many of the sorted values are ≤ x. */
export function countAtMost(sorted: readonly number[], x: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! <= x) low = middle + 1;
    else high = middle;
  }
  return low;
}

const NUMBER_WORDS = new Set([
  'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
  'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty', 'thirty',
  'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety', 'hundred', 'thousand', 'million', 'half',
]);

/** Digits ("20", "2.5", "1,000", "40%", "3x") or a number word ("twenty"): engines write both. */
export function isNumber(token: string): boolean {
  return /^\d[\d.,]*(%|x)?$/.test(token) || NUMBER_WORDS.has(token);
}
