// Feedback computed from the transcript and the metrics alone (no AI, no network): what a coach
// would say first about delivery and structure, each point with the moment it refers to. Pure
// functions over the answer's words and summary, like the metrics themselves.
import type { AnswerSummary } from '../metrics/summary.ts';
import type { TimedWord } from '../transcript/types.ts';
import { normalizeText } from '../transcript/words.ts';

export type FeedbackTopic = 'pace' | 'fillers' | 'pauses' | 'length' | 'structure' | 'specificity' | 'ownership' | 'hedging';

export interface FeedbackPoint {
  kind: 'strength' | 'improvement';
  topic: FeedbackTopic;
  message: string;
  /** Answer seconds the point refers to (the page seeks there), when it refers to one moment. */
  at: number | null;
  /** Words quoted from the transcript. */
  quote: string | null;
}

export interface AutomaticFeedback {
  source: 'automatic';
  /** Improvements first, then strengths. */
  points: FeedbackPoint[];
  /** STAR parts not heard. */
  missing: string[];
}

export interface FeedbackOptions {
  /** Shorter than this is too short to show a situation, an action and a result (seconds). */
  minSeconds: number;
  /** Longer than this loses an interviewer's attention (seconds). */
  maxSeconds: number;
  /** Fillers per minute above which they distract; below `fewFillersPerMinute` they are a strength. */
  manyFillersPerMinute: number;
  fewFillersPerMinute: number;
  /** A silence this long mid-answer is worth a note (seconds). */
  longPause: number;
  /** Fewer spoken words than this: nothing to judge but the silence. */
  minWords: number;
}

export const FEEDBACK_DEFAULTS: FeedbackOptions = { minSeconds: 45, maxSeconds: 180, manyFillersPerMinute: 4, fewFillersPerMinute: 1.5, longPause: 4, minWords: 15 };

export const NUMBER_WORDS = new Set(['two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'fifteen', 'twenty', 'thirty', 'forty', 'fifty', 'hundred', 'hundreds', 'thousand', 'thousands', 'million', 'millions', 'half', 'halved', 'double', 'doubled', 'tripled', 'quadrupled', 'third', 'quarter', 'percent', 'twice', 'dozen']);
const HEDGES = ['i think', 'i guess', 'maybe', 'kind of', 'sort of', 'probably', 'i suppose', 'perhaps', 'i feel like', 'somewhat'];
const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;

/** The words around index `i`, as spoken (punctuated where the engine gave it). */
function quoteAround(words: readonly TimedWord[], i: number, span = 4): string {
  return words
    .slice(Math.max(0, i - span), i + span + 1)
    .map((w) => w.punctuated ?? w.text)
    .join(' ');
}

/** Positions where a phrase of one or more normalised words occurs. */
function occurrences(tokens: readonly string[], phrase: string): number[] {
  const parts = phrase.split(' ');
  const found: number[] = [];
  for (let i = 0; i + parts.length <= tokens.length; i++) if (parts.every((p, j) => tokens[i + j] === p)) found.push(i);
  return found;
}

export function automaticFeedback({ words, summary, durationSeconds }: { words: readonly TimedWord[]; summary: AnswerSummary; durationSeconds: number }, options: Partial<FeedbackOptions> = {}): AutomaticFeedback {
  const o = { ...FEEDBACK_DEFAULTS, ...options };
  const points: FeedbackPoint[] = [];
  const add = (kind: FeedbackPoint['kind'], topic: FeedbackTopic, message: string, at: number | null = null, quote: string | null = null) => points.push({ kind, topic, message, at, quote });
  const tokens = words.map((w) => normalizeText(w.text));
  const parts = ['situation', 'task', 'action', 'result'] as const;

  if (summary.words < o.minWords) {
    add('improvement', 'length', summary.words === 0 ? 'No speech was heard in this answer: check that the microphone works, then try again.' : `Only ${summary.words} ${summary.words === 1 ? 'word was' : 'words were'} heard: too little to show what you did. Aim for one to two minutes.`);
    return { source: 'automatic', points, missing: [...parts] };
  }
  const missing = parts.filter((part) => !summary.star[part].heard);

  // Length
  if (durationSeconds < o.minSeconds) add('improvement', 'length', `The answer took ${clock(durationSeconds)}: too short to set the scene, say what you did and what came of it. Most strong answers take one and a half to two minutes.`);
  else if (durationSeconds > o.maxSeconds) add('improvement', 'length', `The answer took ${clock(durationSeconds)}: interviewers lose the thread after about three minutes. Cut the situation short and keep the detail for your actions.`);
  else add('strength', 'length', `A good length: ${clock(durationSeconds)}.`);

  // Pace
  const pace = summary.pace.overall;
  if (pace.wpm !== null) {
    const { min, max } = summary.pace.target;
    if (pace.state === 'tooFast') add('improvement', 'pace', `You spoke at ${Math.round(pace.wpm)} words a minute, faster than the ${min}–${max} that is easy to follow. Pause after each key point.`);
    else if (pace.state === 'tooSlow') add('improvement', 'pace', `You spoke at ${Math.round(pace.wpm)} words a minute, slower than the ${min}–${max} that keeps attention. Prepare the first sentence of each part so it flows.`);
    else add('strength', 'pace', `An easy pace to follow: ${Math.round(pace.wpm)} words a minute.`);
  }

  // Fillers
  const { fillers } = summary;
  if (fillers.perMinute !== null && fillers.perMinute > o.manyFillersPerMinute && fillers.byPhrase[0]) {
    const top = fillers.byPhrase[0];
    const first = fillers.hits.find((h) => h.phrase === top.phrase)!;
    add('improvement', 'fillers', `${fillers.perMinute.toFixed(1)} filler words a minute; "${top.phrase}" ${top.count} times. A short silence sounds more confident than a filler.`, first.start, quoteAround(words, first.index));
  } else if (fillers.perMinute !== null && fillers.perMinute < o.fewFillersPerMinute) {
    add('strength', 'fillers', fillers.count === 0 ? 'No filler words.' : `Hardly any filler words (${fillers.count}).`);
  }

  // Pauses
  const longest = summary.pauses.longest;
  if (longest && longest.duration >= o.longPause) {
    add('improvement', 'pauses', `A ${longest.duration.toFixed(1)} s silence at ${clock(longest.start)}. If you need time, say so ("let me think about the best example") rather than going quiet.`, longest.start, quoteAround(words, longest.after, 3));
  }

  // Structure
  if (missing.length === 0) add('strength', 'structure', 'All four parts of a STAR answer were there: situation, task, action and result.', summary.star.result.at, summary.star.result.evidence);
  else {
    const names = missing.map((p) => p.charAt(0).toUpperCase() + p.slice(1));
    const advice = missing.includes('result') ? ' End with the result: what changed because of what you did, ideally with a number.' : missing.includes('action') ? ' Spend most of the answer on what you did yourself.' : '';
    add('improvement', 'structure', `Not heard: ${names.join(', ')}.${advice}`);
  }

  // Specificity: a number makes a result concrete.
  const numberAt = words.findIndex((w, i) => /\d/.test(w.text) || NUMBER_WORDS.has(tokens[i]!));
  if (numberAt >= 0) add('strength', 'specificity', 'Concrete: you gave a number.', words[numberAt]!.start, quoteAround(words, numberAt));
  else add('improvement', 'specificity', 'No numbers in the answer. Say how much, how many or how fast: "cut the load time from 8 to 2 seconds" lands better than "made it faster".');

  // Ownership: interviewers want to hear what you did.
  const we = tokens.filter((t) => t === 'we' || t === 'our' || t === 'us').length;
  const i = tokens.filter((t) => t === 'i' || t === 'my' || t === 'me').length;
  if (we >= 5 && we > 2 * i) {
    const at = tokens.indexOf('we');
    add('improvement', 'ownership', `You said "we" ${we} times and "I" ${i} times. Say what you did yourself; the interviewer is hiring you, not the team.`, at >= 0 ? words[at]!.start : null, at >= 0 ? quoteAround(words, at) : null);
  } else if (i >= 3) add('strength', 'ownership', 'Clear about your own part: you said what you did.');

  // Hedging
  const hedges = HEDGES.flatMap((h) => occurrences(tokens, h).map((at) => ({ h, at })));
  if (hedges.length >= 3) {
    const first = hedges.sort((a, b) => a.at - b.at)[0]!;
    add('improvement', 'hedging', `${hedges.length} hedges such as "${first.h}". Say what you did and what happened plainly; it sounds more convincing.`, words[first.at]!.start, quoteAround(words, first.at));
  }

  points.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'improvement' ? -1 : 1));
  return { source: 'automatic', points, missing };
}
