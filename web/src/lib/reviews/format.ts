// The review pages' pure helpers: status labels, competency names, and which transcript word is
// being said at a moment of the recording.
import type { AnswerReview } from '../api.ts';

export const REVIEW_STATUS_LABELS: Record<AnswerReview['status'], string> = {
  requested: 'Not paid yet',
  open: 'Open',
  delivered: 'Delivered',
  refunded: 'Refunded',
  canceled: 'Withdrawn',
};

/** "conflict-resolution" → "Conflict resolution" (competencies are stored as lowercase slugs). */
export function competencyName(slug: string): string {
  const name = slug.replace(/-/g, ' ').trim();
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** A word gap longer than this after a word's end is silence: no word is current then. */
const SILENCE_SECONDS = 1;

/**
 * The index of the word being said at `seconds` (words in time order): the last one started by
 * then, until the next starts or a second of silence after it; -1 when none is.
 */
export function wordAt(words: readonly { start: number; end: number }[], seconds: number): number {
  let low = 0;
  let high = words.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (words[mid]!.start <= seconds) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found >= 0 && seconds < words[found]!.end + SILENCE_SECONDS ? found : -1;
}
