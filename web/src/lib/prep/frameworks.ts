// The story frameworks' parts for writing a new story, in telling order. The API's table is
// analysis' STORY_PARTS (its story feedback names the parts by these labels); frameworks.test.ts
// keeps this one the same.
import type { StoryFramework } from './types.ts';

export const FRAMEWORKS: { value: StoryFramework; label: string; parts: { key: string; label: string; hint: string }[] }[] = [
  {
    value: 'star',
    label: 'STAR',
    parts: [
      { key: 'situation', label: 'Situation', hint: 'where and when, in a sentence or two' },
      { key: 'task', label: 'Task', hint: 'what you had to achieve' },
      { key: 'action', label: 'Action', hint: 'what you did, step by step' },
      { key: 'result', label: 'Result', hint: 'what changed, with a number' },
    ],
  },
  {
    value: 'carl',
    label: 'CARL',
    parts: [
      { key: 'context', label: 'Context', hint: 'the setting and the problem' },
      { key: 'action', label: 'Action', hint: 'what you did' },
      { key: 'result', label: 'Result', hint: 'what changed, with a number' },
      { key: 'learning', label: 'Learning', hint: 'what you took from it' },
    ],
  },
  {
    value: 'soar',
    label: 'SOAR',
    parts: [
      { key: 'situation', label: 'Situation', hint: 'where and when' },
      { key: 'obstacle', label: 'Obstacle', hint: 'what stood in the way' },
      { key: 'action', label: 'Action', hint: 'what you did about it' },
      { key: 'result', label: 'Result', hint: 'what changed, with a number' },
    ],
  },
];

export const partsOf = (framework: StoryFramework) => FRAMEWORKS.find((f) => f.value === framework)!.parts;

/** ISO weekdays, as the plan stores them. */
export const WEEKDAYS = [
  { value: 1, label: 'Mon' },
  { value: 2, label: 'Tue' },
  { value: 3, label: 'Wed' },
  { value: 4, label: 'Thu' },
  { value: 5, label: 'Fri' },
  { value: 6, label: 'Sat' },
  { value: 7, label: 'Sun' },
];

export const CHEAT_SHEET_LABELS = { off: 'Off', bullets: 'Bullet points', script: 'Full script' } as const;

/** "1:05" from seconds. */
export function minutesAndSeconds(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(Math.round(seconds) % 60).padStart(2, '0')}`;
}

/** "2027-03-04" → "Thu, Mar 4" (a calendar date, shown as itself whatever the viewer's zone). */
export function dayLabel(date: string): string {
  return new Intl.DateTimeFormat('en-US', { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}
