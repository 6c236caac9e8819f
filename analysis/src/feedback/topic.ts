// Whether an answer addresses the question asked, offline: the question's content words (stemmed,
// with the everyday words people use for the same things) looked for in the answer. Cautious on
// purpose: it speaks only when a substantial answer shares none of them, since a wrong "off topic"
// would be worse than none. With an OpenAI key the AI feedback judges it properly.
import type { TimedWord } from '../transcript/types.ts';
import { normalizeText } from '../transcript/words.ts';

const STOPWORDS = new Set(
  'a about above after again against all am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers him his how i if in into is it its itself just let me more most my no nor not now of off on once only or other our out over own same she should so some such than that the their them then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours tell time describe give example walk share talk one ever recent recently something someone situation how did'.split(
    ' ',
  ),
);

/** Words for the same thing in interview answers: any one of a group counts for all. */
const GROUPS: string[][] = [
  ['disagre', 'conflict', 'argu', 'disput', 'clash', 'tension', 'push back', 'pushback', 'object'],
  ['team', 'teammat', 'colleagu', 'cowork', 'peer', 'engineer', 'develop', 'designer', 'manag'],
  ['custom', 'client', 'user', 'account', 'buyer'],
  ['deadlin', 'late', 'schedul', 'time', 'week', 'day', 'month', 'launch', 'date'],
  ['fail', 'mistak', 'wrong', 'error', 'bug', 'incid', 'outag', 'broke', 'problem', 'issu'],
  ['lead', 'led', 'manag', 'own', 'drove', 'driv', 'head'],
  ['chang', 'adapt', 'new', 'shift', 'pivot', 'reorg'],
  ['decis', 'decid', 'chose', 'choos', 'trade', 'priorit'],
  ['learn', 'grow', 'improv', 'feedback', 'develop'],
  ['persuad', 'convinc', 'influenc', 'buy', 'agre'],
  ['data', 'metric', 'number', 'analy', 'measur', 'dashboard'],
  ['goal', 'target', 'object', 'okr', 'quota'],
  ['stakehold', 'execut', 'director', 'vp', 'boss', 'leadership'],
  ['compan', 'role', 'job', 'posit', 'work', 'join', 'career'],
];

/** A light suffix stripper: enough to meet "disagreed" with "disagreement". */
export function stem(word: string): string {
  let w = word.toLowerCase();
  for (const suffix of ['ations', 'ation', 'ments', 'ment', 'ness', 'ings', 'ing', 'ities', 'ity', 'ies', 'ied', 'ers', 'er', 'ed', 'es', 'ly', 's', 'e', 'y']) {
    if (w.length - suffix.length >= 3 && w.endsWith(suffix)) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  return w;
}

function contentStems(text: string): string[] {
  return normalizeText(text)
    .split(/\s+/)
    .filter((w) => w.length > 2 && !STOPWORDS.has(w))
    .map(stem);
}

export interface TopicCheck {
  /** Question terms (or their groups) heard in the answer. */
  overlap: number;
  offTopic: boolean;
  message: string | null;
}

export const TOPIC_DEFAULTS = { minWords: 60 };

export function topicCheck({ question, words }: { question: string; words: readonly TimedWord[] }, options: Partial<typeof TOPIC_DEFAULTS> = {}): TopicCheck {
  const o = { ...TOPIC_DEFAULTS, ...options };
  const answerText = words.map((w) => w.text).join(' ');
  const answer = new Set(contentStems(answerText));
  const answerJoined = ` ${[...answer].join(' ')} `;
  const terms = [...new Set(contentStems(question))];
  let overlap = 0;
  for (const term of terms) {
    const group = GROUPS.find((g) => g.some((root) => term.startsWith(root) || root.startsWith(term)));
    const alternatives = group ?? [term];
    if (alternatives.some((root) => answerJoined.includes(` ${root}`))) overlap++;
  }
  const judged = words.length >= o.minWords && terms.length > 0;
  const offTopic = judged && overlap === 0;
  return {
    overlap,
    offTopic,
    message: offTopic ? 'This answer does not seem to address the question asked: none of its key words, or words for the same things, came up. Listen to the question again and answer that one.' : null,
  };
}
