// Filler words: hesitation sounds (um, uh, … as far as the engine hears them) and lexical fillers
// (like, you know, basically, actually, literally, I mean, sort of, kind of, clause-initial so/well).
// When a rule cannot tell, it does not count: a coach that flags "I like Go" loses the candidate's
// trust faster than one that misses a filler. Each rule below says why it exists.
import type { TimedWord } from '../transcript/types.ts';
import { endsSentence, endsWithComma } from '../transcript/words.ts';
import { checkNow, requirePositive, withDefaults } from './options.ts';
import { tagsOf, type Tag } from './grammar.ts';
import { isNumber, prepare, type Prepared } from './tokens.ts';

export interface FillerOptions {
  /** Count hesitation sounds. Turn off for engines that cannot hear them (PocketSphinx deletes um/uh). */
  hesitations: boolean;
  /** A silence at least this long (seconds) separates clauses, like sentence punctuation. */
  clauseGap: number;
  /** Where the engine does not punctuate (PocketSphinx), a silence at least this long (seconds) sets
   * a phrase off like a comma ("so, I decided"); such pauses are 0.05–0.25 s in running speech. */
  commaGap: number;
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
  commaGap: 0.06,
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

/** `ended`: the answer is over, so nothing follows the last word (a final "…, actually." counts). */
export function fillersOf(prepared: Prepared, now: number, options: FillerOptions, ended = false): FillerSnapshot {
  const sorted = prepared.words;
  const hits = findFillers(prepared, now, options, ended);
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
// Each rule reads the sentence around a candidate: the parts of speech of its neighbours (see
// grammar.ts) and the breaks around it (punctuation where the engine writes it, else a pause).
// A clause boundary is the answer's start, sentence punctuation, a pause of `clauseGap`, or only
// hesitations between the word and such a boundary; a break is a comma, or a pause of `commaGap`
// where the engine does not punctuate.

// Always fillers: in a spoken answer they almost never change the meaning; the coaching is a rate.
const ALWAYS = new Set(['basically']);

// "like" is a verb after a subject or auxiliary ("I like Go", "would like", "don't like", "to like"),
// also with one adverb in between ("I really like").
const LIKE_VERB_BEFORE = new Set([
  'i', 'you', 'we', 'they', 'who', "i'd", "you'd", "we'd", "they'd", "he'd", "she'd",
  'would', "wouldn't", 'do', "don't", 'dont', 'did', "didn't", 'didnt', 'does', "doesn't", 'doesnt',
  'to', 'will', "won't", 'might', 'may', 'could', 'should', 'can', "can't", 'cannot', 'not',
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

// "you know" is a real verb in "do/did/if/as/let … you know" and before a clause word ("you know
// that …", "you know how …").
const YOU_KNOW_BEFORE = new Set([
  'do', 'did', "don't", "didn't", 'does', 'if', 'as', 'let', 'what', 'than', 'whether', 'how',
  'would', 'will', 'can', 'could', 'should', 'might', 'unless', 'because',
]);
const KNOW_CLAUSE_AFTER = new Set(['that', 'how', 'what', 'why', 'where', 'who', 'whom', 'whether', 'if', 'when', 'which']);

// "I mean" is a real verb in "what/which/that I mean" and before an infinitive or "by" ("I mean
// to", "what I mean by"), and before "it"/"that" as its object ("I mean it", "I mean that
// seriously"), not when they start a new clause ("I mean, it was still busy").
const I_MEAN_BEFORE = new Set(['what', 'which', 'that', 'if', 'how', 'you', 'did', 'do', "didn't", "don't"]);
const MEAN_ALWAYS_REAL_AFTER = new Set(['to', 'by', 'business', 'well', 'no', 'anything', 'something', 'nothing', 'everything']);
const MEAN_OBJECT_AFTER = new Set(['it', 'that', 'this', 'what']);

// "kind of"/"sort of" name a category after a determiner or an adjective ("a kind of", "what sort
// of", "the right kind of"); anywhere else they hedge ("kind of hard", "I sort of started").
const CATEGORY_BEFORE = new Set([
  'a', 'an', 'the', 'this', 'that', 'these', 'those', 'what', 'which', 'whatever', 'some', 'any', 'every',
  'each', 'no', 'another', 'one', 'same', 'other', 'different', 'my', 'our', 'your', 'their', 'his', 'her',
  'its', 'all', 'particular', 'certain', 'specific', 'right', 'wrong', 'new', 'similar', 'first', 'only',
]);

// "so" is a degree word before these ("so that", "so far", "so much") …
const SO_PHRASE_AFTER = new Set(['that', 'far', 'much', 'many', 'long', 'as', 'often', 'few', 'little', 'on', 'forth']);
// … and "well" part of the phrase before these ("well known", "well done").
const WELL_PHRASE_AFTER = new Set([
  'known', 'done', 'documented', 'designed', 'defined', 'established', 'received', 'written', 'paid',
  'suited', 'thought', 'tested', 'organized', 'organised', 'maintained', 'understood', 'respected',
]);

// "actually" carries meaning inside a clause, between its subject or auxiliary and what it says
// ("we actually shipped it", "what actually happened", "it was actually faster"); at a clause's
// edge it is a filler ("Actually, I …", "… for years, actually."). "literally" is the other way
// round: an intensifier inside the clause ("I was literally terrified") and meaning "to the letter"
// where it closes a verb phrase ("take it literally", "read the policy literally, …") or before
// "means" ("the name literally means …").
const SUBJECT_OR_AUX: ReadonlySet<Tag> = new Set(['PRON', 'NOUN', 'PROPN', 'AUX', 'PART']);
const PREDICATE: ReadonlySet<Tag> = new Set(['VERB', 'AUX', 'ADJ', 'ADV']);
const LITERALLY_REAL_AFTER = new Set(['mean', 'means', 'meant', 'translates', 'translated', 'translate']);
const DEGREE = new Set(['very', 'quite', 'too', 'so', 'more', 'less', 'most', 'least', 'fairly', 'rather']);
const CLAUSE_END: ReadonlySet<Tag> = new Set(['CCONJ', 'SCONJ', 'ADP', 'PUNCT']);

// Words that start a phrase rather than fill a slot: after "you know"/"I mean"/"like" they show
// the phrase is parenthetical ("you know, with a three year term", "you know, getting annoyed").
const NOT_AN_OBJECT: ReadonlySet<Tag> = new Set(['ADP', 'ADV', 'CCONJ', 'SCONJ', 'AUX', 'VERB', 'ADJ', 'NUM', 'INTJ', 'PART']);
// Where a subject and its verb cannot start, so "you know" there cannot be one.
const NOT_BEFORE_A_CLAUSE: ReadonlySet<Tag> = new Set(['AUX', 'VERB', 'ADP', 'DET', 'ADJ', 'PART']);
const NOUN_PHRASE: ReadonlySet<Tag> = new Set(['DET', 'PRON', 'NOUN', 'PROPN', 'ADJ', 'NUM', 'ADV']);

interface Context extends Prepared {
  now: number;
  gap: number;
  /** The pause that counts as a break: `commaGap`, or `gap` when the engine punctuates (its commas
   * already say where the breaks are, and its word times leave gaps anywhere). */
  breakGap: number;
  /** The answer is over: the last word is followed by its end. */
  ended: boolean;
  tags: readonly Tag[];
}

function findFillers(prepared: Prepared, now: number, options: FillerOptions, ended = false): FillerHit[] {
  const punctuates = prepared.words.some((word) => word.punctuated !== undefined);
  const breakGap = punctuates ? options.clauseGap : options.commaGap;
  const context: Context = { ...prepared, now, gap: options.clauseGap, breakGap, ended, tags: tagsOf(prepared) };
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
  if (t === 'actually') return actuallyIsFiller(c, i) ? 1 : 0;
  if (t === 'literally') return literallyIsFiller(c, i) ? 1 : 0;
  if (t === 'like') return likeIsFiller(c, i) ? 1 : 0;
  if (t === 'you' && token(c, i + 1) === 'know') return youKnowIsFiller(c, i) ? 2 : 0;
  if (t === 'i' && token(c, i + 1) === 'mean') return iMeanIsFiller(c, i) ? 2 : 0;
  if ((t === 'kind' || t === 'sort') && token(c, i + 1) === 'of') return hedgeLength(c, i, 2);
  if (t === 'kinda' || t === 'sorta') return hedgeLength(c, i, 1);
  if (t === 'so') return soIsFiller(c, i) ? 1 : 0;
  if (t === 'well') return wellIsFiller(c, i) ? 1 : 0;
  return 0;
}

function actuallyIsFiller(c: Context, i: number): boolean {
  if (!nextKnown(c, i)) return false;
  return !insideClause(c, i);
}

function literallyIsFiller(c: Context, i: number): boolean {
  if (!nextKnown(c, i)) return false;
  if (LITERALLY_REAL_AFTER.has(token(c, i + 1)) || DEGREE.has(token(c, i - 1))) return false;
  if (insideClause(c, i)) return true;
  // Closing a verb phrase: after the verb or its object, with the clause ending after it.
  const closesPhrase = i + 1 >= c.words.length || breakAfter(c, i) || CLAUSE_END.has(tag(c, i + 1));
  return !(closesPhrase && !clauseBoundaryBefore(c, i) && ['VERB', 'NOUN', 'PRON', 'PROPN'].includes(tag(c, i - 1)));
}

/** Word i stands between a subject or auxiliary and the rest of its clause, with no break either side. */
function insideClause(c: Context, i: number): boolean {
  if (i + 1 >= c.words.length || clauseBoundaryBefore(c, i) || breakBefore(c, i) || breakAfter(c, i)) return false;
  const before = tag(c, i - 1);
  const after = tag(c, i + 1);
  return SUBJECT_OR_AUX.has(before) && (PREDICATE.has(after) || (before === 'AUX' && ['DET', 'ADP', 'NUM'].includes(after)));
}

function likeIsFiller(c: Context, i: number): boolean {
  if (!nextKnown(c, i)) return false;
  const pausedBefore = breakBefore(c, i);
  if (!pausedBefore) {
    const before = token(c, i - 1);
    const subject = LIKE_ADVERBS.has(before) ? token(c, i - 2) : before;
    if (LIKE_VERB_BEFORE.has(subject)) return false;
    // "really like working with her", "also like the team": after such an adverb and before an
    // object, "like" is the verb even when its subject was not heard.
    if (LIKE_ADVERBS.has(before) && !breakAfter(c, i) && ['VERB', 'NOUN', 'PRON', 'DET', 'PROPN'].includes(tag(c, i + 1))) return false;
    if (LIKE_COMPARISON_BEFORE.has(before)) return false;
    // After a noun with no break, "like" compares or is the verb ("things like forecasting", "the
    // students like it").
    if (['NOUN', 'PROPN'].includes(tag(c, i - 1)) && !breakAfter(c, i)) return false;
  }
  // Straight into a noun phrase with no break either side, "like" compares ("basically like a
  // to-do list", "like a bit of competition"); the filler is set off ("we had, like, a release").
  if (!pausedBefore && !breakAfter(c, i) && ['DET', 'NOUN', 'PROPN'].includes(tag(c, i + 1))) return false;
  // "what it was like", "what is it like": asking or describing how something was.
  if ([1, 2, 3].some((k) => token(c, i - k) === 'what')) return false;
  return breakAfter(c, i) || !isNumber(token(c, i + 1));
}

function youKnowIsFiller(c: Context, i: number): boolean {
  if (YOU_KNOW_BEFORE.has(token(c, i - 1)) && !breakBefore(c, i)) return false;
  return parentheticalAfter(c, i + 1, KNOW_CLAUSE_AFTER);
}

function iMeanIsFiller(c: Context, i: number): boolean {
  if (I_MEAN_BEFORE.has(token(c, i - 1)) && !breakBefore(c, i)) return false;
  if (!nextKnown(c, i + 1)) return false;
  if (breakAfter(c, i + 1)) return true;
  const next = token(c, i + 2);
  if (MEAN_ALWAYS_REAL_AFTER.has(next)) return false;
  // "I mean it", "I mean that seriously" vs "I mean, it was still busy", "I mean that does not work".
  if (MEAN_OBJECT_AFTER.has(next)) return i + 3 < c.words.length && ['VERB', 'AUX'].includes(tag(c, i + 3)) && !breakAfter(c, i + 2);
  return true;
}

/**
 * "you know" ending at word `last`: a parenthetical when a break follows it, when what follows
 * cannot be its object (a preposition, adverb, verb, …), when it stands where no clause can start
 * ("it was you know tense"), or when it opens a clause whose subject and verb follow ("you know,
 * our customers complained"). A real verb before a clause word or an object ("you know the codebase").
 */
function parentheticalAfter(c: Context, last: number, clauseWords: ReadonlySet<string>): boolean {
  if (!nextKnown(c, last)) return false;
  if (breakAfter(c, last)) return true;
  if (clauseWords.has(token(c, last + 1))) return false;
  const first = last - 1;
  if (NOT_AN_OBJECT.has(tag(c, last + 1))) return true;
  if (!clauseBoundaryBefore(c, first) && !breakBefore(c, first) && NOT_BEFORE_A_CLAUSE.has(tag(c, first - 1))) return true;
  if (!(clauseBoundaryBefore(c, first) || breakBefore(c, first) || tag(c, first - 1) === 'CCONJ')) return false;
  // A subject and its verb within the next few words: a new clause, so "you know" stood outside it.
  for (let k = last + 1; k < Math.min(c.words.length, last + 6); k++) {
    const t = tag(c, k);
    if (t === 'VERB' || t === 'AUX') return k > last + 1;
    if (!NOUN_PHRASE.has(t)) return false;
  }
  return false;
}

/** "kind of"/"sort of" (two words) or "kinda"/"sorta" (one) at i: the filler's length, or 0. */
function hedgeLength(c: Context, i: number, length: number): number {
  if (!breakBefore(c, i) && (CATEGORY_BEFORE.has(token(c, i - 1)) || ['DET', 'ADJ', 'NUM'].includes(tag(c, i - 1)))) return 0;
  const last = i + length - 1;
  if (!nextKnown(c, last)) return 0;
  // "kind of like" is one hedge, not a hedge and a "like".
  return token(c, last + 1) === 'like' && !breakAfter(c, last) ? length + 1 : length;
}

/**
 * "so" opens a clause as a filler where it starts the answer, or follows a hesitation or
 * sentence punctuation, or is set off by a break after it ("So, I decided …"). After a clause with
 * no break after it, it joins the two ("I tested it first, so nobody lost orders") or is a degree
 * word ("so that", "so happy").
 */
function soIsFiller(c: Context, i: number): boolean {
  if (!nextKnown(c, i)) return false;
  if (breakAfter(c, i)) return clauseBoundaryBefore(c, i) || breakBefore(c, i) || i === 0;
  if (SO_PHRASE_AFTER.has(token(c, i + 1)) || ['ADJ', 'ADV'].includes(tag(c, i + 1))) return false;
  return clauseBoundaryBefore(c, i);
}

/**
 * "well" opens a clause ("Well, in my last role …", "… anything. Well the client …"): at a clause
 * boundary, or after a word it cannot modify (a noun or pronoun, not a verb or adverb as in "it
 * went well", "really well") when a break or a new clause (a subject) follows. Not "as well",
 * "well known".
 */
function wellIsFiller(c: Context, i: number): boolean {
  if (!nextKnown(c, i)) return false;
  if (token(c, i - 1) === 'as' || (WELL_PHRASE_AFTER.has(token(c, i + 1)) && !breakAfter(c, i))) return false;
  if (clauseBoundaryBefore(c, i)) return true;
  if (['VERB', 'ADV', 'AUX', 'ADJ', 'ADP', 'DET', 'PART'].includes(tag(c, i - 1))) return false;
  return breakAfter(c, i) || (breakBefore(c, i) && ['PRON', 'DET', 'PROPN'].includes(tag(c, i + 1)));
}

function token(c: Context, i: number): string {
  return c.tokens[i] ?? '';
}

/** Word i's part of speech; 'X' before the first word and after the last. */
function tag(c: Context, i: number): Tag {
  return c.tags[i] ?? 'X';
}

/** The answer's start, sentence punctuation before word i, or only hesitations since one. */
function strongBoundaryBefore(c: Context, i: number): boolean {
  if (i === 0) return true;
  if (endsSentence(c.words[i - 1]!)) return true;
  return c.hesitation[i - 1] === true && (strongBoundaryBefore(c, i - 1) || breakBefore(c, i - 1));
}

/** A clause starts at i: a strong boundary, a pause of `gap` before it, or a conjunction. */
function clauseBoundaryBefore(c: Context, i: number): boolean {
  if (strongBoundaryBefore(c, i)) return true;
  if (c.words[i]!.start - c.words[i - 1]!.end >= c.gap) return true;
  return c.hesitation[i - 1] === true && clauseBoundaryBefore(c, i - 1);
}

/** A comma or a pause (`breakGap`) right before word i (hesitations count as a break). */
function breakBefore(c: Context, i: number): boolean {
  if (i === 0) return true;
  const previous = c.words[i - 1]!;
  return c.hesitation[i - 1] === true || endsSentence(previous) || endsWithComma(previous) || c.words[i]!.start - previous.end >= c.breakGap;
}

/** Punctuation after word i, or a pause after it (so far, if no word follows yet). */
function breakAfter(c: Context, i: number): boolean {
  const word = c.words[i]!;
  if (endsSentence(word) || endsWithComma(word)) return true;
  const next = c.words[i + 1];
  if (!next && c.ended) return true;
  if (next && c.hesitation[i + 1]) return true;
  return (next ? next.start : c.now) - word.end >= (next ? c.breakGap : c.gap);
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
