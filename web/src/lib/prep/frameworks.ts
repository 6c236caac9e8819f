// The story frameworks for writing a new story: their parts come from analysis' one table (the
// API checks stories against it and its feedback names the parts by these labels).
import { STORY_PARTS } from '@rehearse/analysis/feedback/story-parts';
import type { StoryFramework } from './types.ts';

export const FRAMEWORKS: { value: StoryFramework; label: string; parts: { key: string; label: string; hint: string }[] }[] = (['star', 'carl', 'soar'] as const).map((value) => ({ value, label: value.toUpperCase(), parts: STORY_PARTS[value] }));

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
