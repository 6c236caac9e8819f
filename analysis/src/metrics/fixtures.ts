// Test fixtures: timed words from a script, with times that are exact in binary floating point so
// expected values can be computed by hand.
import type { TimedWord } from '../transcript/types.ts';
import { normalizeText } from '../transcript/words.ts';

export interface SpeakOptions {
  /** Start of the first word. */
  start?: number;
  /** Length of every word. */
  word?: number;
  /** Silence between words. */
  gap?: number;
  /** Keep the script's punctuation in `punctuated` (as Deepgram does); false models PocketSphinx. */
  punctuate?: boolean;
}

/**
 * Words from a script: "[2]" is a silence of 2 s instead of the usual gap; "~um" is a word the
 * engine tagged as a hesitation. `text` is the lower-case bare word, `punctuated` the token as written.
 * With the defaults (0.25 s words, 0.125 s gaps) word k of a run starts at start + 0.375·k.
 */
export function speak(script: string, { start = 0, word = 0.25, gap = 0.125, punctuate = true }: SpeakOptions = {}): TimedWord[] {
  const words: TimedWord[] = [];
  let cursor = start;
  for (const item of script.split(/\s+/).filter(Boolean)) {
    const pause = /^\[(\d+(?:\.\d+)?)\]$/.exec(item);
    if (pause) {
      cursor = (words.at(-1)?.end ?? start) + Number(pause[1]);
      continue;
    }
    const filler = item.startsWith('~');
    const written = filler ? item.slice(1) : item;
    words.push({
      text: normalizeText(written),
      start: cursor,
      end: cursor + word,
      confidence: 0.9,
      ...(punctuate ? { punctuated: written } : {}),
      ...(filler ? { filler: true } : {}),
    });
    cursor += word + gap;
  }
  return words;
}

/** The phrases of the fillers found, for compact expectations. */
export function phrases(hits: ReadonlyArray<{ phrase: string }>): string[] {
  return hits.map((hit) => hit.phrase);
}
