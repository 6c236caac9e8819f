// Feedback on a story before it is spoken: a story from the user's story bank, planned in the
// fields of its framework (STAR, CARL or SOAR). Coaches check the same few things: every part is
// there, the result is measurable, the actions are the speaker's own, and it can be told in about
// two minutes. Pure, like the rest of analysis/src/feedback.
import { NUMBER_WORDS } from './automatic.ts';
import { STORY_PARTS, type StoryFramework } from './storyParts.ts';

export { STORY_PARTS, type StoryFramework };

export interface StoryPoint {
  kind: 'strength' | 'improvement';
  /** The part it is about, or null for the whole story. */
  part: string | null;
  message: string;
}

export interface StoryFeedback {
  points: StoryPoint[];
  words: number;
  /** How long it takes to tell at a comfortable 140 words a minute. */
  seconds: number;
}

/** Two minutes is what interviewers expect for a behavioural answer. */
export const STORY_LIMITS = { maxSeconds: 120, wordsPerMinute: 140, minPartWords: 5 };

/** What is shown beside the camera: each part in full (the script), or a few words of it (the bullets). */
export function storyCheatSheet(framework: StoryFramework, fields: Record<string, string>): { script: { label: string; text: string }[]; bullets: { label: string; text: string }[] } {
  const parts = STORY_PARTS[framework].filter((p) => (fields[p.key] ?? '').trim() !== '');
  const first = (text: string) => {
    const clause = text.trim().split(/(?<=[.;:!?])\s|,\s/)[0]!;
    const words = clause.split(/\s+/);
    return words.length > 8 ? `${words.slice(0, 8).join(' ')}…` : clause.replace(/[.;:]$/, '');
  };
  return {
    script: parts.map((p) => ({ label: p.label, text: fields[p.key]!.trim() })),
    bullets: parts.map((p) => ({ label: p.label, text: first(fields[p.key]!) })),
  };
}

const wordsOf = (text: string) => text.toLowerCase().match(/[a-z0-9%$€£.']+/g) ?? [];

export function storyFeedback(framework: StoryFramework, fields: Record<string, string>): StoryFeedback {
  const parts = STORY_PARTS[framework];
  const points: StoryPoint[] = [];
  const total = parts.reduce((n, p) => n + wordsOf(fields[p.key] ?? '').length, 0);
  for (const part of parts) {
    const words = wordsOf(fields[part.key] ?? '');
    if (words.length === 0) points.push({ kind: 'improvement', part: part.key, message: `The ${part.label} is missing: ${part.hint}.` });
    else if (words.length < STORY_LIMITS.minPartWords) points.push({ kind: 'improvement', part: part.key, message: `The ${part.label} is very short; say ${part.hint}.` });
  }
  const result = wordsOf(fields.result ?? '');
  if (result.length > 0) {
    if (result.some((w) => /\d/.test(w) || NUMBER_WORDS.has(w))) points.push({ kind: 'strength', part: 'result', message: 'The result is measurable: it has a number.' });
    else points.push({ kind: 'improvement', part: 'result', message: 'No measurable result: say how much, how many or how fast things changed ("cut support tickets by a third").' });
  }
  const action = wordsOf(fields.action ?? '');
  const we = action.filter((w) => w === 'we').length;
  const i = action.filter((w) => w === 'i' || w === "i'm" || w === "i've").length;
  if (action.length > 0 && we > i) points.push({ kind: 'improvement', part: 'action', message: 'The actions say "we" more than "I": the interviewer wants what you did yourself.' });
  const seconds = Math.round((total / STORY_LIMITS.wordsPerMinute) * 60);
  if (seconds > STORY_LIMITS.maxSeconds) points.push({ kind: 'improvement', part: null, message: `About ${Math.round(seconds / 60 * 10) / 10} minutes to tell (${total} words): trim it to two minutes, mostly in the ${parts.find((p) => p.key === 'action')!.label}.` });
  else if (total > 0 && points.every((p) => p.kind === 'strength')) points.push({ kind: 'strength', part: null, message: 'Every part is there and it fits in two minutes.' });
  return { points, words: total, seconds };
}
