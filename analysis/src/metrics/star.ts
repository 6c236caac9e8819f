// STAR coverage: which of Situation, Task, Action and Result the candidate has voiced so far, from
// cue phrases and tense/pronoun patterns over the final words. A part counts from its first cue.
import type { TimedWord } from '../transcript/types.ts';
import { displayText, endsSentence } from '../transcript/words.ts';
import { checkNow, requirePositive, withDefaults } from './options.ts';
import { isNumber, prepare, type Prepared } from './tokens.ts';

export interface StarOptions {
  /** From this many seconds into the answer without a Result, `noResultYet` is set. */
  resultHintAfter: number;
  /** Evidence quotes the cue and the words after it, up to this many words or the sentence's end. */
  evidenceWords: number;
}

export const STAR_DEFAULTS: Readonly<StarOptions> = { resultHintAfter: 90, evidenceWords: 8 };

export type StarPart = 'situation' | 'task' | 'action' | 'result';

export const STAR_PARTS: readonly StarPart[] = ['situation', 'task', 'action', 'result'];

export interface StarCue {
  heard: boolean;
  /** Start of the first cue's first word, answer seconds. */
  at: number | null;
  /** The words quoted from the transcript, e.g. "As a result, we reduced the load time". */
  evidence: string | null;
}

export interface StarSnapshot {
  situation: StarCue;
  task: StarCue;
  action: StarCue;
  result: StarCue;
  /** The parts heard, in S-T-A-R order. */
  heard: StarPart[];
  /** now ≥ resultHintAfter and no Result heard. */
  noResultYet: boolean;
}

// ---- cue patterns ------------------------------------------------------------------------------
// A pattern is words separated by spaces; "a|b" is either word; "<name>" a word test below; a
// trailing "?" makes an element optional; "!a|b" requires that the next word exists and is neither
// (so a cue waits for the next word rather than appearing and then disappearing).

const ING_NOT_VERBS = new Set([
  'thing', 'something', 'anything', 'nothing', 'everything', 'during', 'morning', 'evening', 'spring',
  'string', 'king', 'ring', 'bring', 'sing', 'wing', 'swing', 'sting', 'ceiling', 'sibling',
  // adjectives: "it was boring"
  'boring', 'interesting', 'exciting', 'amazing', 'challenging', 'annoying', 'confusing', 'frustrating',
  'surprising', 'demanding', 'rewarding', 'worrying', 'embarrassing', 'overwhelming', 'promising',
]);
const ADVERBS = new Set([
  'also', 'then', 'first', 'just', 'even', 'still', 'later', 'next', 'instead', 'together', 'again',
  'immediately', 'eventually', 'finally', 'actually', 'basically', 'quickly', 'personally', 'initially',
]);
const LY_NOT_ADVERBS = new Set(['family', 'supply', 'assembly', 'reply', 'apply', 'italy', 'july', 'rely', 'ally']);
// First-person past tense actions: these irregular verbs and regular "-ed" verbs …
const ACTION_VERBS = new Set([
  'built', 'wrote', 'rewrote', 'rebuilt', 'led', 'made', 'ran', 'set', 'took', 'brought', 'began', 'spoke',
  'met', 'sent', 'drove', 'put', 'split', 'taught', 'chose', 'gave', 'told', 'went', 'sat', 'found', 'dug',
  'held', 'sold', 'spent', 'fought', 'sought', 'broke', 'shut', 'threw',
]);
// … except those that describe a state, a feeling or a thought rather than something done.
const NOT_ACTIONS = new Set([
  'needed', 'wanted', 'liked', 'loved', 'hated', 'used', 'seemed', 'supposed', 'tasked', 'joined',
  'inherited', 'realized', 'realised', 'wondered', 'hoped', 'believed', 'assumed', 'expected', 'noticed',
  'learned', 'enjoyed', 'preferred', 'worried', 'happened', 'based', 'interested', 'excited', 'bored',
  'tired', 'scared', 'stressed', 'struggled', 'lacked', 'owned', 'belonged', 'depended',
]);
const RESULT_VERBS = new Set([
  'reduced', 'increased', 'improved', 'cut', 'saved', 'grew', 'doubled', 'tripled', 'halved', 'boosted',
  'lowered', 'decreased', 'raised', 'shortened', 'dropped', 'fell', 'rose', 'achieved', 'exceeded', 'sped',
  'won', 'renewed', 'promoted', 'hit', 'adopted', 'copied', 'thanked', 'praised',
]);
// "to cut", "didn't improve", "would reduce": intentions and negations, not outcomes.
const NOT_RESULT_BEFORE = new Set([
  'to', 'not', 'never', "didn't", "don't", "doesn't", 'would', "wouldn't", 'could', "couldn't", 'should',
  'will', "won't", 'can', "can't", 'cannot', 'might', 'must', 'the', 'a', 'an',
]);
const COMPARATIVES = new Set([
  'faster', 'slower', 'quicker', 'more', 'less', 'fewer', 'better', 'bigger', 'smaller', 'larger',
  'cheaper', 'higher', 'lower', 'as',
]);

// Outcomes said with a comparative after a state verb ("the drivers were happier").
const OUTCOME_COMPARATIVES = new Set([
  'happier', 'faster', 'quicker', 'better', 'cheaper', 'easier', 'safer', 'calmer', 'smoother', 'shorter',
  'smaller', 'lower', 'higher', 'fewer', 'stronger', 'clearer', 'simpler', 'healthier', 'busier', 'quieter',
]);
const TIME_WORDS = new Set([
  'morning', 'afternoon', 'evening', 'night', 'day', 'week', 'weekend', 'month', 'year', 'summer', 'winter',
  'spring', 'autumn', 'fall', 'semester', 'term', 'quarter', 'shift', 'monday', 'tuesday', 'wednesday',
  'thursday', 'friday', 'saturday', 'sunday', 'january', 'february', 'march', 'april', 'may', 'june', 'july',
  'august', 'september', 'october', 'november', 'december', 'christmas', 'time',
]);
const OCCASIONS = new Set(['trip', 'visit', 'project', 'job', 'role', 'placement', 'internship', 'rotation', 'days']);
// Inside a scene-setting subject ("our delivery vans were …"): not a clause word, and not the
// noun of a Task or a Result ("the goal was …", "the result was …").
const NOT_IN_A_SCENE = new Set([
  'and', 'but', 'so', 'or', 'because', 'i', 'we', 'he', 'she', 'they', 'you', 'it', 'was', 'were', 'had',
  'to', 'that', 'which', 'who', 'when', 'goal', 'task', 'objective', 'aim', 'mission', 'job', 'responsibility',
  'challenge', 'result', 'outcome', 'impact', 'plan', 'approach', 'solution', 'part', 'thing', 'idea', 'reason',
]);
// A count of times rather than an occasion after these ("in one quarter", "for one week").
const NOT_BEFORE_OCCASION = new Set(['in', 'within', 'for', 'per', 'by', 'than', 'only', 'just', 'every', 'each', 'about', 'over']);
const ORDINALS = new Set(['first', 'second', 'third', 'fourth', 'fifth', 'final', 'last', 'early', 'busiest']);
// Past tense of being, having and common verbs of change, for "when I joined", "when we moved".
const PAST = new Set(['was', 'were', 'had', 'joined', 'started', 'began', 'moved', 'arrived', 'took', 'got', 'became', 'worked', 'ran', 'led', 'left', 'first']);
const OUTCOME_PRESENT = new Set([
  'uses', 'use', 'takes', 'runs', 'has', 'have', 'is', 'are', 'does', 'gets', 'works', 'handles', 'includes',
  'covers', 'asks', 'comes', 'shows', 'keeps', 'lets', 'gives', 'makes', 'sends',
]);

// A test may look at earlier words only to reject (resultVerb after "to"), never to accept: the
// scan uses a test on the word alone to pick the cues worth trying there.
type WordTest = (tokens: readonly string[], i: number) => boolean;

const TESTS: Record<string, WordTest> = {
  ing: (t, i) => /^[a-z]{2,}ing$/.test(t[i]!) && !ING_NOT_VERBS.has(t[i]!),
  adv: (t, i) => ADVERBS.has(t[i]!) || (/^[a-z]{3,}ly$/.test(t[i]!) && !LY_NOT_ADVERBS.has(t[i]!)),
  action: (t, i) => ACTION_VERBS.has(t[i]!) || (/^[a-z]{3,}ed$/.test(t[i]!) && !NOT_ACTIONS.has(t[i]!)),
  resultVerb: (t, i) => RESULT_VERBS.has(t[i]!) && !NOT_RESULT_BEFORE.has(t[i - 1] ?? ''),
  num: (t, i) => isNumber(t[i]!),
  percent: (t, i) => /^\d[\d.,]*%$/.test(t[i]!),
  multiple: (t, i) => /^\d[\d.,]*x$/.test(t[i]!),
  cmp: (t, i) => COMPARATIVES.has(t[i]!),
  better: (t, i) => OUTCOME_COMPARATIVES.has(t[i]!),
  time: (t, i) => TIME_WORDS.has(t[i]!),
  occasion: (t, i) => TIME_WORDS.has(t[i]!) || OCCASIONS.has(t[i]!),
  ordinal: (t, i) => ORDINALS.has(t[i]!),
  past: (t, i) => PAST.has(t[i]!) || (/^[a-z]{3,}ed$/.test(t[i]!) && !NOT_ACTIONS.has(t[i]!)),
  present: (t, i) => OUTCOME_PRESENT.has(t[i]!),
  any: () => true,
  scene: (t, i) => !NOT_IN_A_SCENE.has(t[i]!),
  one: (t, i) => t[i] === 'one' && !NOT_BEFORE_OCCASION.has(t[i - 1] ?? ''),
  // "from 60 percent to almost 90": a figure, then "to" and another figure within six words.
  fromTo: (t, i) => isNumber(t[i]!) && t.slice(i + 1, i + 7).some((x, k, rest) => x === 'to' && rest.slice(k + 1, k + 3).some(isNumber)),
};

const CUES: Record<StarPart, string[]> = {
  situation: [
    'when i|we was|were',
    // a past or present setting: "at my last school", "in my previous role", "my last job"
    'at|in|during my|our last|previous|current|old|first|former <any>',
    'my|our last|previous|former|old job|company|role|position|team|employer|school|workplace|manager',
    'back when|then',
    'back in <num>',
    'at the time',
    'years|months|weeks|days|year|month|week ago',
    'last year|summer|spring|autumn|fall|winter|quarter|semester|month|week|night|christmas',
    // naming the occasion: "one Saturday", "during my internship", "on his first Friday", "in my
    // second year", "two weeks before launch", "when I joined"
    '<one> <time>',
    'during my|our|the|a|an|his|her|their',
    'on a|an|his|her|my|our|their|one <any>? <occasion>',
    'in my|our|his|her|their <ordinal> <occasion>',
    'years|months|weeks|days|year|month|week|day before|into|earlier',
    'when i|we|he|she|they <past>',
    'when i|we <ing>',
    // a problem that kept happening: "the login page kept timing out"
    '^ kept <ing>',
    // a scene-setting clause at the start of a story: "our delivery vans were spending a fortune",
    // "the whole backend was written in Rust"
    '^ our|the|my|his|her|their|a <scene> <scene>? <scene>? was|were|had|kept !asked|tasked|responsible|supposed|told|expected|assigned|given|to',
    'the situation|context|background',
    'the problem|issue was',
    // past progressive sets the scene: "we were migrating", "I was working"
    'i|we|they|he|she|it was|were <adv>? <ing>',
    'i was a|an|part',
    'we were !able|responsible|asked|tasked|supposed|told|expected|assigned|given|in',
    'i|we worked at|for|as|in',
    'i|we joined|inherited',
    'there was|were',
    'we had a|an',
    'our team|company|product|system|app was|had',
    'i|we|they used to',
  ],
  task: [
    'i|we was|were responsible|tasked|asked|supposed|expected|assigned|hired|brought',
    'i|we was|were in charge',
    'my|our task|goal|objective|mission|responsibility|assignment',
    'my job|role|responsibility|goal|mission|assignment|objective|challenge was|is',
    'the|our goal|task|objective|aim|mission|challenge|ask|requirement|priority was|is',
    'i|we needed|had|wanted|have|need to',
    'i|we got asked|tasked|assigned',
    'it|that|this was my|our job|responsibility|task',
    // an obligation or a goal: "I had to …", "the plan was to …", "make sure", "without losing …"
    'had|needed to',
    'was to',
    'make sure',
    'without <ing>',
    // someone setting the task, early in the story (later it is more often a reward)
    '^ asked|wanted|needed me|us to',
    'the hardest|main|biggest|real|tricky part|challenge|problem was',
    'it was up to',
  ],
  action: [
    // first person, simple past, doing something: "I decided", "we then rebuilt"; "I worked at …"
    // and "I started as …" place the story instead
    'i|we <adv>? <action> !at|for|as',
    'what i|we did was|is',
    'my|our approach|plan|solution|strategy was|is',
    'the first thing i|we did',
  ],
  result: [
    'as a result',
    'in the end',
    'which|that|this|it|and led|leads to',
    'resulted|results in',
    'the|end|final result|outcome|impact',
    'ended up',
    'went up|down',
    'by|in half',
    // "we reduced latency", "it improved", "costs dropped" (not "to cut", "didn't improve")
    '<resultVerb>',
    // numbers as outcomes: "40%", "ten percent", "3x", "two fold", "three times faster"
    '<percent>',
    '<multiple>',
    '<num> percent|percentage|fold|x',
    '<num> times <cmp>',
    // before → after figures and outcomes told without a cue word
    'from <fromTo>',
    'went|came|got back up|down|above|below|under|over',
    'since then',
    'ever since',
    'after that',
    'from then on',
    'by the end of',
    'within a|one year|month|week|quarter',
    'now <present>',
    'still use|uses|do|does',
    'was|were|is|are|felt|got <adv>? <better>',
    'that|which|this|it meant',
    'was|were a <any>? success|hit|win',
  ],
};

type Element =
  | { kind: 'word'; words: Set<string>; optional: boolean }
  | { kind: 'test'; test: WordTest; optional: boolean }
  | { kind: 'notNext'; words: Set<string> };

interface Cue {
  part: StarPart;
  elements: Element[];
  /** Counts only within the answer's first OPENING_WORDS words (a leading "^" in the pattern). */
  opening: boolean;
}

/** How far into the answer a scene-setting clause still sets the scene. */
const OPENING_WORDS = 40;

function parse(part: StarPart, given: string): Cue {
  const opening = given.startsWith('^');
  const pattern = opening ? given.slice(1).trim() : given;
  const elements = pattern.split(' ').map((item): Element => {
    if (item.startsWith('!')) return { kind: 'notNext', words: new Set(item.slice(1).split('|')) };
    const optional = item.endsWith('?');
    const body = optional ? item.slice(0, -1) : item;
    if (body.startsWith('<')) {
      const test = TESTS[body.slice(1, -1)];
      if (!test) throw new TypeError(`unknown word test ${body} in STAR cue "${pattern}"`);
      return { kind: 'test', test, optional };
    }
    return { kind: 'word', words: new Set(body.split('|')), optional };
  });
  return { part, elements, opening };
}

// Cues indexed by their first word, so a scan tries only the few that can start at each word.
const CUES_BY_FIRST_WORD = new Map<string, Cue[]>();
const CUES_STARTING_WITH_TEST: Cue[] = [];
for (const part of STAR_PARTS) {
  for (const pattern of CUES[part]) {
    const cue = parse(part, pattern);
    const first = cue.elements[0]!;
    if (first.kind !== 'word' || first.optional) {
      CUES_STARTING_WITH_TEST.push(cue);
      continue;
    }
    for (const word of first.words) {
      const list = CUES_BY_FIRST_WORD.get(word) ?? [];
      list.push(cue);
      CUES_BY_FIRST_WORD.set(word, list);
    }
  }
}

/** Index just past the match of elements[e…] at token i, or -1. */
function matchAt(tokens: readonly string[], i: number, elements: readonly Element[], e = 0): number {
  if (e === elements.length) return i;
  const element = elements[e]!;
  if (element.kind === 'notNext') {
    const next = tokens[i];
    return next === undefined || element.words.has(next) ? -1 : matchAt(tokens, i, elements, e + 1);
  }
  if (i < tokens.length) {
    const accepted = element.kind === 'word' ? element.words.has(tokens[i]!) : element.test(tokens, i);
    if (accepted) {
      const end = matchAt(tokens, i + 1, elements, e + 1);
      if (end >= 0) return end;
    }
  }
  return element.optional ? matchAt(tokens, i, elements, e + 1) : -1;
}

// ---- coverage ----------------------------------------------------------------------------------

export function resolveStarOptions(given?: Partial<StarOptions>): StarOptions {
  const options = withDefaults(STAR_DEFAULTS, given, 'star');
  requirePositive(options.evidenceWords, 'star.evidenceWords');
  return options;
}

export function measureStar(words: readonly TimedWord[], moment: { now: number }, given?: Partial<StarOptions>): StarSnapshot {
  return starOf(prepare(words), checkNow(moment.now), resolveStarOptions(given));
}

export function starOf({ words, tokens }: Prepared, now: number, options: StarOptions): StarSnapshot {
  const found = new Map<StarPart, StarCue>();
  // The cues that may start at a word depend only on the word: worked out once per distinct word.
  const candidates = new Map<string, Cue[]>();
  for (let i = 0; i < tokens.length && found.size < STAR_PARTS.length; i++) {
    const token = tokens[i]!;
    let cues = candidates.get(token);
    if (cues === undefined) {
      cues = [...(CUES_BY_FIRST_WORD.get(token) ?? []), ...CUES_STARTING_WITH_TEST.filter((cue) => startsWith(cue, token))];
      candidates.set(token, cues);
    }
    for (const cue of cues) {
      if (found.has(cue.part) || (cue.opening && i >= OPENING_WORDS)) continue;
      const end = matchAt(tokens, i, cue.elements);
      if (end > i) found.set(cue.part, { heard: true, at: words[i]!.start, evidence: quote(words, i, end, options.evidenceWords) });
    }
  }
  const cue = (part: StarPart): StarCue => found.get(part) ?? { heard: false, at: null, evidence: null };
  return {
    situation: cue('situation'),
    task: cue('task'),
    action: cue('action'),
    result: cue('result'),
    heard: STAR_PARTS.filter((part) => found.has(part)),
    noResultYet: now >= options.resultHintAfter && !found.has('result'),
  };
}

function startsWith(cue: Cue, token: string): boolean {
  const first = cue.elements[0]!;
  // An optional first element could be skipped: such a cue is always worth trying.
  return first.kind !== 'test' || first.optional || first.test([token], 0);
}

/** The cue's words, then following words up to `max` in all or the end of the sentence. */
function quote(words: readonly TimedWord[], start: number, end: number, max: number): string {
  const parts: string[] = [];
  for (let i = start; i < words.length; i++) {
    if (i >= end && (parts.length >= max || endsSentence(words[i - 1]!))) break;
    parts.push(displayText(words[i]!));
  }
  return parts.join(' ');
}
