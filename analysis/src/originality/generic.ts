// "Too generic": an answer made of stock interview phrases ("team player", "went above and beyond")
// with little that only this candidate could have said. Two measures from the words alone, no AI:
// stock phrases per 100 words, and specifics per 100 words — numbers, dates and time expressions,
// things "I" did in the past tense, and (when the engine capitalises) names. An answer is generic
// when it leans on stock phrases *and* gives few specifics: a concrete story that says "team
// player" once is not generic, and a vague one without clichés is a specificity problem that
// feedback/automatic.ts already reports.
//
// Concrete nouns ("the billing service", "the night shift") would be the best evidence, but telling
// them from abstract ones needs a lexicon or a model; what is measured here is what the words show
// without one, which is why the thresholds leave room.
import { requirePositive, withDefaults } from '../metrics/options.ts';
import type { TimedWord } from '../transcript/types.ts';
import { displayText, endsSentence } from '../transcript/words.ts';
import { wordingOf, type Wording } from './wording.ts';

export interface GenericOptions {
  /** Fewer spoken words than this are not judged: too little to tell a cliché from a sentence. */
  minWords: number;
  /** Stock phrases per 100 words at which an answer reads as all stock (its stock share is 1). */
  stockPer100: number;
  /** Specifics per 100 words at which an answer reads as fully concrete (its specificity is 1). */
  specificsPer100: number;
  /** Fewer stock phrases than this never make an answer generic, however short it is. */
  minStockPhrases: number;
  /** Generic when score = stock share × (1 − specificity) reaches this (0..1). */
  threshold: number;
}

/**
 * 3 stock phrases per 100 words is one every other sentence: an answer at that rate is all stock.
 * 6 specifics per 100 words is about one a sentence, what a told story has (a well-told answer
 * usually has more). With these, two stock phrases in 100 words and no specifics score 0.67
 * (generic); the same with three specifics scores 0.33 (not generic).
 */
export const GENERIC_DEFAULTS: Readonly<GenericOptions> = { minWords: 30, stockPer100: 3, specificsPer100: 6, minStockPhrases: 2, threshold: 0.5 };

export interface StockPhrase {
  /** The phrase as listed, e.g. "go above and beyond" for "went above and beyond". */
  phrase: string;
  /** Start of its first word (answer seconds). */
  at: number;
  /** The words as spoken, fillers in between included. */
  quote: string;
}

export interface Genericness {
  generic: boolean;
  /** 0 (concrete, or no stock phrases) .. 1 (all stock, no specifics). 0 when not judged. */
  score: number;
  stockPhrases: StockPhrase[];
  /** Specific details: numbers, dates and time expressions, past actions of "I", names. */
  specifics: number;
  /** Why, in words the product can show. */
  reasons: string[];
}

// Each entry: the phrase shown, then the patterns that say it. A pattern is words separated by
// spaces; "a/b" is either word, "(a)" an optional word. Every word also matches its simple
// inflections (player → players, run → running, care → caring), except the function words below.
const STOCK: ReadonlyArray<readonly [phrase: string, ...patterns: string[]]> = [
  ['team player', 'team player'],
  ['think outside the box', '(think/thought) outside (of) the box'],
  ['go above and beyond', '(go/goes/went/gone) above and beyond'],
  ['go the extra mile', '(go/goes/went/gone) the extra mile'],
  ['hard worker', 'hard worker', 'hard work/working', 'hardworking'],
  ['passionate about', 'passionate about', 'have/had a passion for'],
  ['detail oriented', 'detail oriented/focused', 'attention to detail'],
  ['results driven', 'result driven/oriented/focused'],
  ['wear many hats', 'wear/wore many/multiple/different hats', 'wear/wore a lot of hats'],
  ['hit the ground running', 'hit the ground running'],
  ['I care too much', 'care too much', 'work/worked too hard'],
  ['perfectionist', 'perfectionist'],
  ['synergy', 'synergy/synergize/synergistic'],
  ['at the end of the day', 'at the end of the day'],
  ['fast-paced environment', 'fast paced environment/world/team/company'],
  ['self-starter', 'self starter', 'self motivated'],
  ['go-getter', 'go getter'],
  ['people person', 'people person', 'people skills'],
  ['strong work ethic', 'work ethic'],
  ['quick learner', 'quick/fast learner', 'learn quickly/fast'],
  ['think on my feet', 'think on my feet'],
  ['thrive under pressure', 'thrive under pressure', 'work well under pressure'],
  ['110 percent', 'hundred and ten percent', 'hundred ten percent', '110 percent', '110%', 'give/gave it my all'],
  ['win-win', 'win win'],
  ['low-hanging fruit', 'low hanging fruit'],
  ['move the needle', 'move the needle'],
  ['circle back', 'circle back'],
  ['take it to the next level', '(take/took/taken) (it/things/them) to the next level'],
  ['bring to the table', 'bring/brought (a) (lot) to the table'],
  ['proven track record', 'track record'],
  ['excellent communication skills', 'excellent/strong/great/good communication skills', 'excellent/strong/great/good communicator'],
  ['problem solver', 'problem solver'],
  ['add value', 'add value', 'value add'],
  ['learn and grow', 'learn and grow', 'grow and learn'],
  ['on the same page', 'on the same page'],
  ['get the job done', 'get/got/gotten the job done'],
  ['big picture', 'big picture'],
  ['comfort zone', 'comfort zone'],
  ['make a difference', 'make/made a difference'],
  ['paradigm shift', 'paradigm shift'],
  ['team oriented', 'team oriented'],
  ['customer focused', 'customer focused/centric/obsessed'],
  ['never give up', 'never give up'],
  ['eager to learn', 'eager/willing to learn', 'always learning'],
  ['love a challenge', 'love/enjoy (a/new) challenge'],
  ['to the best of my ability', 'best of my ability/abilities'],
  ['learning experience', 'learning experience'],
  ['leverage my skills', 'leverage my skills/experience/strengths'],
  ['perfect fit', 'perfect/great/ideal fit'],
  ['jack of all trades', 'jack of all trades'],
  ['touch base', 'touch base'],
  ['game changer', 'game changer'],
  ['teamwork makes the dream work', 'teamwork makes the dream work'],
  ['no I in team', 'no i in team'],
];

// Not inflected: "i" → "is", "in" → "ins" would make phrases match what they do not say.
const FUNCTION_WORDS = new Set(['a', 'an', 'the', 'i', 'my', 'in', 'on', 'of', 'to', 'at', 'and', 'or', 'it', 'too', 'no', 'for', 'all', 'about', 'under', 'above', 'outside', 'back', 'well', 'much', 'lot', 'them', 'things']);

interface Slot {
  forms: ReadonlySet<string>;
  optional: boolean;
}

function inflections(word: string): string[] {
  if (FUNCTION_WORDS.has(word) || /\d/.test(word)) return [word];
  const forms = [word, `${word}s`, `${word}es`, `${word}ed`, `${word}d`, `${word}ing`];
  if (word.endsWith('e')) forms.push(`${word.slice(0, -1)}ing`);
  if (word.endsWith('y')) forms.push(`${word.slice(0, -1)}ies`, `${word.slice(0, -1)}ied`);
  // One short vowel before a final consonant doubles it: hit → hitting, run → running.
  const last = word.at(-1)!;
  if (/(^|[^aeiou])[aeiou][bdgmnprt]$/.test(word)) forms.push(`${word}${last}ing`, `${word}${last}ed`);
  return forms;
}

function compile(pattern: string): Slot[] {
  const slots = pattern.split(' ').map((part) => {
    const optional = part.startsWith('(') && part.endsWith(')');
    const words = (optional ? part.slice(1, -1) : part).split('/');
    return { forms: new Set(words.flatMap(inflections)), optional };
  });
  if (slots.every((slot) => slot.optional)) throw new Error(`stock pattern "${pattern}" has no required word`);
  return slots;
}

const PATTERNS = STOCK.flatMap(([phrase, ...patterns]) => patterns.map((pattern) => ({ phrase, slots: compile(pattern) })));

/** Where the slots from `s` on match tokens from `i`: the end (exclusive), or -1. Optional words
 * are taken when they match and the rest still does. */
function matchFrom(slots: readonly Slot[], s: number, tokens: readonly string[], i: number): number {
  if (s === slots.length) return i;
  const slot = slots[s]!;
  if (i < tokens.length && slot.forms.has(tokens[i]!)) {
    const end = matchFrom(slots, s + 1, tokens, i + 1);
    if (end >= 0) return end;
  }
  return slot.optional ? matchFrom(slots, s + 1, tokens, i) : -1;
}

/** Stock phrases left to right, the longest at each position, never overlapping. */
function findStock({ words, tokens, from }: Wording): { found: StockPhrase[]; covered: boolean[] } {
  const found: StockPhrase[] = [];
  const covered = new Array<boolean>(tokens.length).fill(false);
  for (let i = 0; i < tokens.length; ) {
    let best: { phrase: string; end: number } | null = null;
    for (const { phrase, slots } of PATTERNS) {
      const end = matchFrom(slots, 0, tokens, i);
      if (end > i && (!best || end > best.end)) best = { phrase, end };
    }
    if (!best) {
      i++;
      continue;
    }
    const first = from[i]!;
    const last = from[best.end - 1]!;
    found.push({ phrase: best.phrase, at: words[first]!.start, quote: words.slice(first, last + 1).map(displayText).join(' ') });
    covered.fill(true, i, best.end);
    i = best.end;
  }
  return { found, covered };
}

// ---- specifics ---------------------------------------------------------------------------------

type SpecificKind = 'number' | 'time' | 'action' | 'name';

// "one" and "half" are left out: "one of the", "no one", "half the time" are not details.
const NUMBER_WORDS = new Set([
  'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen',
  'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy',
  'eighty', 'ninety', 'hundred', 'hundreds', 'thousand', 'thousands', 'million', 'millions', 'billion', 'dozen', 'dozens', 'twice', 'doubled', 'tripled', 'halved',
]);
const DIGITS = /^\d[\d.,:]*(%|x|k|m|s|st|nd|rd|th)?$/;
const TIME_UNITS = new Set([
  'second', 'seconds', 'minute', 'minutes', 'hour', 'hours', 'day', 'days', 'week', 'weeks', 'weekend', 'month', 'months',
  'year', 'years', 'quarter', 'quarters', 'semester', 'term', 'sprint', 'sprints', 'spring', 'summer', 'fall', 'autumn', 'winter',
  'morning', 'afternoon', 'evening', 'night',
]);
// After a number these make it a measure; "one" only counts before one of them ("one week").
const UNITS = new Set([
  ...TIME_UNITS, 'percent', '%', 'dollars', 'euros', 'pounds', 'k', 'ms', 'milliseconds', 'gb', 'tb', 'mb', 'times', 'people',
  'person', 'users', 'customers', 'clients', 'engineers', 'developers', 'members', 'students', 'tickets', 'orders', 'services', 'servers',
]);
const MONTHS = new Set(['january', 'february', 'april', 'june', 'july', 'august', 'september', 'october', 'november', 'december']);
// Also verbs or modals: months only after a time word or before a number ("in may", "march 3").
const AMBIGUOUS_MONTHS = new Set(['may', 'march']);
const BEFORE_MONTH = new Set(['in', 'last', 'this', 'next', 'early', 'late', 'mid', 'since', 'until', 'by', 'of', 'from', 'that']);
const WEEKDAYS = new Set(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);
const DEICTIC = new Set(['last', 'this', 'next', 'that', 'previous', 'following', 'past']);
// Between "I" and the verb: "I then called", "I had already built".
const BETWEEN = new Set(['then', 'also', 'just', 'first', 'finally', 'personally', 'quickly', 'immediately', 'eventually', 'later', 'actually', 'have', 'had', 'already', 'myself', 'even']);
const IRREGULAR_PAST = new Set([
  'built', 'rebuilt', 'wrote', 'rewrote', 'made', 'ran', 'led', 'sent', 'spoke', 'found', 'took', 'gave', 'set', 'met', 'drove',
  'brought', 'bought', 'taught', 'told', 'said', 'chose', 'began', 'kept', 'left', 'won', 'paid', 'sold', 'spent', 'drew', 'cut',
  'used', 'caught', 'held', 'fought', 'flew', 'split', 'broke', 'shipped', 'written', 'done', 'begun', 'taken', 'given', 'drawn', 'chosen',
]);
// Past tense but not an action worth a detail: states, wishes, and "I worked (hard)", the vague answer's verb.
const NOT_ACTIONS = new Set([
  'wanted', 'needed', 'liked', 'loved', 'hoped', 'believed', 'seemed', 'learned', 'realized', 'realised', 'enjoyed', 'guessed',
  'supposed', 'assumed', 'wished', 'preferred', 'worked', 'cared', 'tended',
]);
// Actions except before "to": "I managed the release" is one, "I managed to finish" is not.
const BEFORE_TO = new Set(['managed', 'used', 'tried', 'decided', 'started']);
const NOT_NAMES = new Set(['i', 'ok', 'okay', 'a']);

function isNumberToken(token: string, next: string): boolean {
  if (DIGITS.test(token) || NUMBER_WORDS.has(token)) return true;
  return token === 'one' && UNITS.has(next);
}

/** The spans of specific details, left to right, each word in at most one, none inside a stock
 * phrase ("a hundred and ten percent" is not a number worth a detail). */
function findSpecifics({ words, tokens, from }: Wording, stock: readonly boolean[]): Array<{ kind: SpecificKind; start: number; end: number }> {
  const found: Array<{ kind: SpecificKind; start: number; end: number }> = [];
  const t = (i: number) => tokens[i] ?? '';
  const numberRunEnd = (i: number): number => {
    let end = i;
    for (;;) {
      if (isNumberToken(t(end), t(end + 1))) end++;
      // "a hundred", "two and a half", "three point five", "twenty five"
      else if (end === i && t(end) === 'a' && NUMBER_WORDS.has(t(end + 1))) end += 2;
      else if (end > i && t(end) === 'and' && t(end + 1) === 'a' && t(end + 2) === 'half') end += 3;
      else if (end > i && (t(end) === 'and' || t(end) === 'point') && isNumberToken(t(end + 1), t(end + 2))) end += 2;
      else break;
    }
    if (end > i && UNITS.has(t(end))) end++;
    return end;
  };
  const timeEnd = (i: number): number => {
    const token = t(i);
    let end = i;
    if (MONTHS.has(token) || WEEKDAYS.has(token) || token === 'yesterday') end = i + 1;
    else if (AMBIGUOUS_MONTHS.has(token) && (BEFORE_MONTH.has(t(i - 1)) || DIGITS.test(t(i + 1)))) end = i + 1;
    else if (DEICTIC.has(token) && (TIME_UNITS.has(t(i + 1)) || WEEKDAYS.has(t(i + 1)))) end = i + 2;
    // A date goes with its month: "march 3rd 2023" is one detail.
    if (end > i && (MONTHS.has(t(end - 1)) || AMBIGUOUS_MONTHS.has(t(end - 1)))) return Math.max(end, numberRunEnd(end));
    return end;
  };
  const actionEnd = (i: number): number => {
    if (t(i) !== 'i') return i;
    let k = i + 1;
    while (k < i + 3 && BETWEEN.has(t(k))) k++;
    const verb = t(k);
    const past = IRREGULAR_PAST.has(verb) || (verb.length >= 5 && verb.endsWith('ed') && !NOT_ACTIONS.has(verb));
    if (BEFORE_TO.has(verb) && t(k + 1) === 'to') return i;
    return past ? k + 1 : i;
  };
  // Names need the engine's capitals; without them (PocketSphinx) this finds nothing.
  const isName = (i: number): boolean => {
    const w = from[i]!;
    if (i > 0 && from[i - 1] === w) return false;
    const written = (words[w]!.punctuated ?? '').replace(/^[^\p{L}\p{N}]+/u, '');
    if (!/^\p{Lu}/u.test(written) || NOT_NAMES.has(t(i)) || t(i).startsWith("i'")) return false;
    const acronym = /^\p{Lu}{2,}\b/u.test(written);
    const sentenceStart = w === 0 || endsSentence(words[w - 1]!);
    return acronym || !sentenceStart;
  };
  const alphanumeric = (i: number) => /\d/.test(t(i)) && /\p{L}/u.test(t(i));

  for (let i = 0; i < tokens.length; ) {
    let kind: SpecificKind | null = null;
    let end = i;
    if ((end = timeEnd(i)) > i) kind = 'time';
    else if ((end = numberRunEnd(i)) > i) kind = 'number';
    else if ((end = actionEnd(i)) > i) kind = 'action';
    else if (isName(i) || alphanumeric(i)) {
      kind = 'name';
      end = i + 1;
      while (end < tokens.length && isName(end)) end++;
    }
    if (kind === null || stock.slice(i, end).includes(true)) {
      i++;
      continue;
    }
    found.push({ kind, start: i, end });
    i = end;
  }
  return found;
}

// ---- the verdict -------------------------------------------------------------------------------

export function resolveGenericOptions(given?: Partial<GenericOptions>): GenericOptions {
  const options = withDefaults(GENERIC_DEFAULTS, given, 'generic');
  requirePositive(options.stockPer100, 'generic.stockPer100');
  requirePositive(options.specificsPer100, 'generic.specificsPer100');
  if (options.threshold > 1) throw new TypeError(`generic.threshold must be ≤ 1 (got ${options.threshold})`);
  return options;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function genericness(words: readonly TimedWord[], given?: Partial<GenericOptions>): Genericness {
  const options = resolveGenericOptions(given);
  const wording = wordingOf(words);
  const count = wording.tokens.length;
  if (count < options.minWords) {
    return { generic: false, score: 0, stockPhrases: [], specifics: 0, reasons: [`Too short to judge: ${plural(count, 'word')}, at least ${options.minWords} needed.`] };
  }
  const { found: stockPhrases, covered } = findStock(wording);
  const specifics = findSpecifics(wording, covered);
  const stockShare = Math.min(1, (stockPhrases.length * 100) / count / options.stockPer100);
  const specificity = Math.min(1, (specifics.length * 100) / count / options.specificsPer100);
  const score = stockShare * (1 - specificity);
  const generic = stockPhrases.length >= options.minStockPhrases && score >= options.threshold;

  const reasons: string[] = [];
  const names = [...new Set(stockPhrases.map((hit) => hit.phrase))];
  const listed = names.slice(0, 3).map((name) => `"${name}"`).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
  reasons.push(stockPhrases.length === 0 ? `No stock phrases in ${count} words.` : `${plural(stockPhrases.length, 'stock phrase')} in ${count} words: ${listed}.`);
  const byKind = (kind: SpecificKind) => specifics.filter((s) => s.kind === kind).length;
  const kinds = [
    [byKind('number'), 'number', 'numbers'],
    [byKind('time'), 'date or time', 'dates or times'],
    [byKind('action'), 'thing you did', 'things you did'],
    [byKind('name'), 'name', 'names'],
  ] as const;
  const detail = kinds.filter(([n]) => n > 0).map(([n, one, many]) => plural(n, one, many)).join(', ');
  reasons.push(specifics.length === 0 ? 'No specifics: no numbers, dates, names or things you did.' : `${plural(specifics.length, 'specific')}: ${detail}.`);
  if (generic) reasons.push('Many stock phrases and few specifics: it could be anyone’s answer.');
  else if (stockPhrases.length >= options.minStockPhrases) reasons.push('Enough specifics to carry the stock phrases.');
  return { generic, score, stockPhrases, specifics: specifics.length, reasons };
}
