// Parts of speech for the words of an answer, from wink-nlp's English model (offline, a few
// milliseconds per thousand words). The filler and STAR rules ask it what kind of word stands
// before or after a candidate ("was you know stuck": an auxiliary before, so a parenthetical), so
// they follow the sentence's structure rather than word lists and pause lengths alone.
//
// The engine's words have no punctuation (PocketSphinx) or some (Deepgram); hesitations are left
// out of what the tagger reads, so "I was um stuck" is tagged as "I was stuck".
import { createRequire } from 'node:module';
import type winkNLP from 'wink-nlp';
import type { Prepared } from './tokens.ts';

/** Universal Dependencies part-of-speech tags, as wink-nlp gives them. */
export type Tag =
  | 'ADJ' | 'ADP' | 'ADV' | 'AUX' | 'CCONJ' | 'DET' | 'INTJ' | 'NOUN' | 'NUM' | 'PART' | 'PRON' | 'PROPN'
  | 'PUNCT' | 'SCONJ' | 'SYM' | 'VERB' | 'X' | 'SPACE';

let nlp: ReturnType<typeof winkNLP> | null = null;

/**
 * Loads the tagger (about 110 ms and a large model in memory) if not yet loaded. Only processes
 * that measure answers need it: the media server loads it when its first live answer starts
 * (LiveAnswer), the API, which imports this package for other things, never does.
 */
export function loadGrammar(): ReturnType<typeof winkNLP> {
  if (!nlp) {
    const require = createRequire(import.meta.url);
    const create = require('wink-nlp') as typeof winkNLP;
    nlp = create(require('wink-eng-lite-web-model') as Parameters<typeof winkNLP>[0], ['pos']);
  }
  return nlp;
}

/** The tag of each token (normalised words: lower case, no punctuation); '' tokens get 'X'. */
export function tagTokens(tokens: readonly string[]): Tag[] {
  const nlp = loadGrammar();
  const tags: Tag[] = tokens.map(() => 'X');
  // The text the tagger reads, with where each token starts. A lone "i" is written "I" (the model
  // reads lower-case "i" as a noun).
  let text = '';
  const starts: number[] = [];
  const owners: number[] = [];
  tokens.forEach((token, i) => {
    if (token === '') return;
    if (text) text += ' ';
    starts.push(text.length);
    owners.push(i);
    text += token.replace(/^i(?=$|')/, 'I');
  });
  if (!text) return tags;
  const doc = nlp.readDoc(text);
  const values = doc.tokens().out(nlp.its.value) as string[];
  const pos = doc.tokens().out(nlp.its.pos) as Tag[];
  // Each tagger token belongs to the word it starts in; a word split in two ("do" + "n't") takes
  // its first part's tag.
  let cursor = 0;
  let owner = 0;
  const tagged = new Set<number>();
  values.forEach((value, k) => {
    const at = text.indexOf(value, cursor);
    if (at < 0) return;
    cursor = at + value.length;
    while (owner + 1 < starts.length && starts[owner + 1]! <= at) owner++;
    const i = owners[owner]!;
    if (!tagged.has(i)) {
      tagged.add(i);
      tags[i] = pos[k]!;
    }
  });
  return tags;
}

const cache = new WeakMap<Prepared, readonly Tag[]>();
let last: { key: string; tags: readonly Tag[] } | null = null;

/** Tags of a prepared answer, hesitations tagged INTJ and left out of what the tagger reads.
 * Worked out once per Prepared, and reused while the words are the same (a live answer is
 * measured every 100 ms; its finals change about once a second). */
export function tagsOf(prepared: Prepared): readonly Tag[] {
  let tags = cache.get(prepared);
  if (tags) return tags;
  const spoken = prepared.tokens.map((token, i) => (prepared.hesitation[i] ? '' : token));
  const key = spoken.join(' ');
  if (last?.key === key) tags = last.tags;
  else {
    tags = tagTokens(spoken).map((tag, i) => (prepared.hesitation[i] ? 'INTJ' : tag));
    last = { key, tags };
  }
  cache.set(prepared, tags);
  return tags;
}
