// Filler words: hesitation sounds (um, uh, … as far as the engine hears them) and lexical fillers
// (like, you know, basically, actually, literally, I mean, sort of, kind of, clause-initial so/well).
// When a rule cannot tell, it does not count: a coach that flags "I like Go" loses the candidate's
// trust faster than one that misses a filler. Each rule below says why it exists.
import type { TimedWord } from '../transcript/types.ts';
import { endsSentence, endsWithComma } from '../transcript/words.ts';
import { checkNow, requirePositive, withDefaults } from './options.ts';
import { isNumber, prepare, type Prepared } from './tokens.ts';

export interface FillerOptions {
  /** Count hesitation sounds. Turn off for engines that cannot hear them (PocketSphinx deletes um/uh). */
  hesitations: boolean;
  /** A silence at least this long (seconds) separates clauses: "so"/"well" after it start one. */
  clauseGap: number;
  /** A burst is this many fillers … */
  burstCount: number;
  /** … starting within this many seconds. */
  burstWindow: number;
  /** No per-minute rate for less speech than this (seconds): one "um" in 3 s is not 20 a minute. */
  minRateSpan: number;
}

export const FILLER_DEFAULTS: Readonly<FillerOptions> = {
  hesitations: true,
  clauseGap: 0.5,
  burstCount: 3,
  burstWindow: 30,
  minRateSpan: 15,
};

export type FillerKind = 'hesitation' | 'lexical';

export interface FillerHit {
  /** Normalised, e.g. "um", "like", "you know", "kind of like". */
  phrase: string;
  kind: FillerKind;
  /** Start of its first word and end of its last word. */
  start: number;
  end: number;
  /** Index of its first word in time order (the transcript's order), and how many words it spans. */
  index: number;
  length: number;
}

export interface FillerBurst {
  start: number;
  end: number;
  count: number;
}

export interface FillerSnapshot {
  count: number;
  hesitations: number;
  lexical: number;
  /** Fillers per minute of speech (first word's start to last word's end), null below `minRateSpan`. */
  perMinute: number | null;
  hits: FillerHit[];
  /** Which fillers, most frequent first (ties alphabetical). */
  byPhrase: Array<{ phrase: string; count: number }>;
  /** Fillers starting within the last `burstWindow` seconds before `now`; active at `burstCount`. */
  burst: { active: boolean; count: number };
  /** Every stretch where `burstCount` fillers started within `burstWindow` seconds, overlaps merged. */
  bursts: FillerBurst[];
}

export function resolveFillerOptions(given?: Partial<FillerOptions>): FillerOptions {
  const options = withDefaults(FILLER_DEFAULTS, given, 'fillers');
  requirePositive(options.burstWindow, 'fillers.burstWindow');
  if (!Number.isInteger(options.burstCount) || options.burstCount < 1) {
    throw new TypeError(`fillers.burstCount must be a whole number ≥ 1 (got ${options.burstCount})`);
  }
  return options;
}

export function measureFillers(
  words: readonly TimedWord[],
  moment: { now: number },
  given?: Partial<FillerOptions>,
): FillerSnapshot {
  return fillersOf(prepare(words), checkNow(moment.now), resolveFillerOptions(given));
}

export function detectFillers(
  words: readonly TimedWord[],
  moment: { now: number },
  given?: Partial<FillerOptions>,
): FillerHit[] {
  return findFillers(prepare(words), checkNow(moment.now), resolveFillerOptions(given));
}

export function fillersOf(prepared: Prepared, now: number, options: FillerOptions): FillerSnapshot {
  const sorted = prepared.words;
  const hits = findFillers(prepared, now, options);
  const hesitations = hits.filter((hit) => hit.kind === 'hesitation').length;
  let lastEnd = 0;
  for (const word of sorted) lastEnd = Math.max(lastEnd, word.end);
  const span = sorted.length === 0 ? 0 : lastEnd - sorted[0]!.start;
  const recent = hits.filter((hit) => hit.start >= now - options.burstWindow && hit.start <= now).length;
  return {
    count: hits.length,
    hesitations,
    lexical: hits.length - hesitations,
    perMinute: span >= options.minRateSpan && span > 0 ? (hits.length / span) * 60 : null,
    hits,
    byPhrase: countPhrases(hits),
    burst: { active: recent >= options.burstCount, count: recent },
    bursts: findBursts(hits, options),
  };
}

export function findBursts(
  hits: readonly FillerHit[],
  { burstCount, burstWindow }: Pick<FillerOptions, 'burstCount' | 'burstWindow'>,
): FillerBurst[] {
  const ranges: Array<{ first: number; last: number }> = [];
  for (let i = 0; i + burstCount - 1 < hits.length; i++) {
    const j = i + burstCount - 1;
    if (hits[j]!.start - hits[i]!.start > burstWindow) continue;
    const open = ranges.at(-1);
    if (open && i <= open.last) open.last = j;
    else ranges.push({ first: i, last: j });
  }
  return ranges.map(({ first, last }) => ({ start: hits[first]!.start, end: hits[last]!.end, count: last - first + 1 }));
}

// ---- the rules ---------------------------------------------------------------------------------

// Always fillers: in a spoken answer they almost never change the meaning; the coaching is a rate.
const ALWAYS = new Set(['actually', 'basically', 'literally']);

// "like" is a verb after a subject or auxiliary ("I like Go", "would like", "don't like", "to like"),
// also with one adverb in between ("I really like").
const LIKE_VERB_BEFORE = new Set([
  'i', 'you', 'we', 'they', 'who', "i'd", "you'd", "we'd", "they'd", "he'd", "she'd",
  'would', "wouldn't", 'do', "don't", 'dont', 'did', "didn't", 'didnt', 'does', "doesn't", 'doesnt',
  'to', 'will', "won't", 'might', 'may', 'could', 'should', 'can', "can't", 'cannot',
]);
const LIKE_ADVERBS = new Set([
  'really', 'also', 'just', 'actually', 'genuinely', 'always', 'never', 'still', 'especially',
  'definitely', 'all', 'both', 'truly', 'honestly', 'generally', 'usually', 'personally',
]);
// "like" compares after these ("looks like", "feels like", "something like", "just like", "more like").
const LIKE_COMPARISON_BEFORE = new Set([
  'look', 'looks', 'looked', 'looking', 'feel', 'feels', 'felt', 'feeling', 'seem', 'seems', 'seemed',
  'sound', 'sounds', 'sounded', 'act', 'acts', 'acted', 'something', 'anything', 'nothing', 'everything',
  'someone', 'somebody', 'anyone', 'nobody', 'more', 'less', 'much', 'exactly', 'just', 'not', 'things',
  'stuff', 'ones', 'people',
]);
// "like" before a number means "about" ("like 20 people"): informal, but it carries meaning.

// "you know" is a real verb in "do/did/if/as/let … you know" and before a clause or an object
// ("you know that …", "you know how …", "you know the codebase"), unless punctuation or a pause
// right after "know" marks it as a parenthetical ("you know, the team …").
const YOU_KNOW_BEFORE = new Set([
  'do', 'did', "don't", "didn't", 'does', 'if', 'as', 'let', 'what', 'than', 'whether', 'how',
  'would', 'will', 'can', 'could', 'should', 'might',
]);
const KNOW_CLAUSE_AFTER = new Set(['that', 'how', 'what', 'why', 'where', 'who', 'whom', 'whether', 'if', 'when', 'which']);
const KNOW_OBJECT_AFTER = new Set([
  'the', 'a', 'an', 'him', 'her', 'them', 'it', 'me', 'us', 'this', 'these', 'those', 'my', 'your',
  'our', 'their', 'his', 'its', 'everyone', 'everybody', 'someone', 'somebody', 'anyone', 'anything',
  'something', 'everything', 'nothing', 'about', 'each', 'exactly', 'enough', 'more', 'much', 'better',
]);

// "I mean" is a real verb in "what/which/that I mean" and before an object or infinitive
// ("I mean it", "I mean to", "I mean that …"), unless punctuation or a pause follows "mean".
const I_MEAN_BEFORE = new Set(['what', 'which', 'that', 'if', 'how']);
const MEAN_OBJECT_AFTER = new Set(['it', 'to', 'that', 'by', 'what', 'anything', 'something', 'nothing', 'everything', 'business', 'well', 'no']);

// "kind of"/"sort of" name a category after a determiner ("a kind of", "what sort of", "the right
// kind of") …
const CATEGORY_BEFORE = new Set([
  'a', 'an', 'the', 'this', 'that', 'these', 'those', 'what', 'which', 'whatever', 'some', 'any', 'every',
  'each', 'no', 'another', 'one', 'same', 'other', 'different', 'my', 'our', 'your', 'their', 'his', 'her',
  'its', 'all', 'particular', 'certain', 'specific', 'right', 'wrong', 'new', 'similar', 'first', 'only',
]);
// … and hedge before an adjective, adverb, verb or determiner ("kind of hard", "sort of started",
// "kind of a mess"). Before anything else, a noun most likely ("kind of database"), they do not count:
// nouns are an open class, these are not.
const HEDGED_WORDS = new Set([
  // determiners and pronouns: "kind of a mess", "sort of the lead", "kind of it"
  'a', 'an', 'the', 'my', 'our', 'this', 'that', 'it', 'all',
  // adverbs
  'just', 'really', 'very', 'too', 'more', 'less', 'still', 'already', 'also', 'always', 'never', 'pretty',
  'over', 'out', 'off', 'up', 'down', 'around', 'almost', 'not',
  // adjectives
  'hard', 'easy', 'difficult', 'tough', 'tricky', 'weird', 'strange', 'odd', 'messy', 'complicated',
  'complex', 'simple', 'big', 'small', 'huge', 'slow', 'fast', 'new', 'old', 'good', 'bad', 'nice', 'cool',
  'boring', 'interesting', 'important', 'obvious', 'clear', 'unclear', 'vague', 'similar', 'different',
  'late', 'early', 'nervous', 'scary', 'crazy', 'random', 'rough', 'awkward', 'stressful', 'painful', 'fun',
  'risky', 'cheap', 'expensive', 'long', 'short', 'low', 'high', 'broken', 'done', 'true', 'right', 'wrong',
  'sure', 'unsure', 'happy', 'sad', 'tired', 'stuck', 'lost', 'busy', 'open', 'free', 'basic', 'generic',
  // verbs not caught by -ed/-ing
  'know', 'think', 'feel', 'felt', 'want', 'need', 'get', 'got', 'go', 'went', 'make', 'made', 'take',
  'took', 'knew', 'thought', 'did', 'do', 'had', 'have', 'was', 'were', 'is', 'are', 'fell', 'found',
  'gave', 'kept', 'left', 'let', 'ran', 'said', 'saw', 'set', 'came', 'became', 'began', 'built', 'led',
  'grew', 'wrote',
]);
// Nouns with a verb or adverb ending, so the suffix test does not call them hedged.
const SUFFIX_NOUNS = new Set([
  'thing', 'things', 'something', 'anything', 'nothing', 'everything', 'string', 'strings', 'meeting',
  'meetings', 'setting', 'settings', 'ceiling', 'morning', 'evening', 'spring', 'wedding', 'clothing',
  'speed', 'need', 'seed', 'feed', 'embed', 'family', 'supply', 'assembly', 'reply', 'italy', 'july',
]);

// "so" and "well" are fillers only where a clause starts: at the answer's start, after sentence
// punctuation or after a pause (hesitations in between are skipped: "um, so"). Elsewhere they join
// clauses or are adverbs ("it went well"). Not before words that make them a real phrase.
const SO_PHRASE_AFTER = new Set(['that', 'far', 'much', 'many', 'long', 'as', 'often', 'few', 'little', 'on', 'forth']);
const WELL_PHRASE_AFTER = new Set([
  'known', 'done', 'documented', 'designed', 'defined', 'established', 'received', 'written', 'paid',
  'suited', 'thought', 'tested', 'organized', 'organised', 'maintained', 'understood', 'respected',
]);

interface Context extends Prepared {
  now: number;
  gap: number;
}

function findFillers(prepared: Prepared, now: number, options: FillerOptions): FillerHit[] {
  const context = { ...prepared, now, gap: options.clauseGap };
  const { words, tokens, hesitation } = prepared;
  const hits: FillerHit[] = [];
  for (let i = 0; i < words.length; ) {
    const kind: FillerKind = hesitation[i] ? 'hesitation' : 'lexical';
    const length = kind === 'hesitation' ? (options.hesitations ? 1 : 0) : lexicalFillerAt(context, i);
    if (length === 0) {
      i++;
      continue;
    }
    hits.push({
      phrase: words
        .slice(i, i + length)
        .map((word, k) => tokens[i + k] || word.text)
        .join(' '),
      kind,
      start: words[i]!.start,
      end: words[i + length - 1]!.end,
      index: i,
      length,
    });
    i += length;
  }
  return hits;
}

/** How many words from i form a lexical filler; 0 when none (or not decidable yet). */
function lexicalFillerAt(c: Context, i: number): number {
  const t = token(c, i);
  if (ALWAYS.has(t)) return 1;
  if (t === 'like') return likeIsFiller(c, i) ? 1 : 0;
  if (t === 'you' && token(c, i + 1) === 'know') return verbPhraseIsFiller(c, i, YOU_KNOW_BEFORE, KNOW_CLAUSE_AFTER, KNOW_OBJECT_AFTER) ? 2 : 0;
  if (t === 'i' && token(c, i + 1) === 'mean') return verbPhraseIsFiller(c, i, I_MEAN_BEFORE, MEAN_OBJECT_AFTER) ? 2 : 0;
  if ((t === 'kind' || t === 'sort') && token(c, i + 1) === 'of') return hedgeLength(c, i, 2);
  if (t === 'kinda' || t === 'sorta') return hedgeLength(c, i, 1);
  if (t === 'so' || t === 'well') return clauseOpenerIsFiller(c, i) ? 1 : 0;
  return 0;
}

function likeIsFiller(c: Context, i: number): boolean {
  const before = token(c, i - 1);
  const subject = LIKE_ADVERBS.has(before) ? token(c, i - 2) : before;
  if (LIKE_VERB_BEFORE.has(subject)) return false;
  if (LIKE_COMPARISON_BEFORE.has(before)) return false;
  // "what it was like", "what is it like": asking or describing how something was.
  if ([1, 2, 3].some((k) => token(c, i - k) === 'what')) return false;
  if (!nextKnown(c, i)) return false;
  return breakAfter(c, i) || !isNumber(token(c, i + 1));
}

/** "you know" / "I mean" starting at i. */
function verbPhraseIsFiller(c: Context, i: number, before: Set<string>, ...realAfter: Array<Set<string>>): boolean {
  if (before.has(token(c, i - 1))) return false;
  if (!nextKnown(c, i + 1)) return false;
  if (breakAfter(c, i + 1)) return true;
  const next = token(c, i + 2);
  return !realAfter.some((set) => set.has(next));
}

/** "kind of"/"sort of" (two words) or "kinda"/"sorta" (one) at i: the filler's length, or 0. */
function hedgeLength(c: Context, i: number, length: number): number {
  if (CATEGORY_BEFORE.has(token(c, i - 1))) return 0;
  const last = i + length - 1;
  if (!nextKnown(c, last)) return 0;
  if (breakAfter(c, last)) return length;
  const next = token(c, last + 1);
  // "kind of like" is one hedge, not a hedge and a "like".
  if (next === 'like') return length + 1;
  return isHedged(next) ? length : 0;
}

function isHedged(word: string): boolean {
  if (HEDGED_WORDS.has(word)) return true;
  if (SUFFIX_NOUNS.has(word)) return false;
  return (word.length >= 5 && /[a-z]ed$/.test(word)) || (word.length >= 6 && /[a-z]ing$/.test(word)) || (word.length >= 5 && /[a-z]ly$/.test(word));
}

function clauseOpenerIsFiller(c: Context, i: number): boolean {
  if (!clauseStart(c, i)) return false;
  // "as well" even when a pause split it.
  if (token(c, i) === 'well' && token(c, i - 1) === 'as') return false;
  if (!nextKnown(c, i)) return false;
  if (breakAfter(c, i)) return true;
  return !(token(c, i) === 'so' ? SO_PHRASE_AFTER : WELL_PHRASE_AFTER).has(token(c, i + 1));
}

function token(c: Context, i: number): string {
  return c.tokens[i] ?? '';
}

/** A clause starts at i: answer start, sentence punctuation or a pause before it, or only
 * hesitations between it and such a start. */
function clauseStart(c: Context, i: number): boolean {
  if (i === 0) return true;
  const previous = c.words[i - 1]!;
  if (c.words[i]!.start - previous.end >= c.gap || endsSentence(previous)) return true;
  return c.hesitation[i - 1] === true && clauseStart(c, i - 1);
}

/** Punctuation after word i, or a pause after it (so far, if no word follows yet). */
function breakAfter(c: Context, i: number): boolean {
  const word = c.words[i]!;
  if (endsSentence(word) || endsWithComma(word)) return true;
  const next = c.words[i + 1];
  return (next ? next.start : c.now) - word.end >= c.gap;
}

/** What follows word i is decided: a next word exists, or a break after i is already certain.
 * Rules that look ahead wait for it, so a filler never appears and then disappears as words arrive. */
function nextKnown(c: Context, i: number): boolean {
  return i + 1 < c.words.length || breakAfter(c, i);
}

function countPhrases(hits: readonly FillerHit[]): Array<{ phrase: string; count: number }> {
  const counts = new Map<string, number>();
  for (const hit of hits) counts.set(hit.phrase, (counts.get(hit.phrase) ?? 0) + 1);
  return [...counts]
    .map(([phrase, count]) => ({ phrase, count }))
    .sort((a, b) => b.count - a.count || (a.phrase < b.phrase ? -1 : a.phrase > b.phrase ? 1 : 0));
}
