// The mentor's delivery form: a 1–5 score (and an optional note) per competency, starting with the
// question's, rows added and removed, and the summary.
import type { ReviewRating } from '../api.ts';
import { competencyName } from './format.ts';

/** The API's limits: 1 to 12 competencies, each named in up to 40 characters. */
export const MAX_RATINGS = 12;
export const SCORES = [1, 2, 3, 4, 5] as const;

export interface RatingRow {
  competency: string;
  score: number | null;
  note: string;
}

export class DeliveryDraft {
  rows = $state<RatingRow[]>([]);
  summary = $state('');

  constructor(competency: string) {
    this.rows = [{ competency: competencyName(competency), score: null, note: '' }];
  }

  add(): void {
    if (this.rows.length < MAX_RATINGS) this.rows.push({ competency: '', score: null, note: '' });
  }

  remove(index: number): void {
    this.rows.splice(index, 1);
  }

  /** What POST …/deliver takes; throws an Error saying what is missing. */
  toInput(): { ratings: ReviewRating[]; summary: string } {
    if (this.rows.length === 0) throw new Error('Rate at least one competency.');
    const seen = new Set<string>();
    const ratings = this.rows.map((row, i) => {
      const competency = row.competency.trim();
      if (!competency) throw new Error(`Row ${i + 1}: name the competency.`);
      if (row.score === null) throw new Error(`Give ${competency} a score from 1 to 5.`);
      if (seen.has(competency.toLowerCase())) throw new Error(`${competency} is rated twice: rate each competency once.`);
      seen.add(competency.toLowerCase());
      return { competency, score: row.score, ...(row.note.trim() ? { note: row.note.trim() } : {}) };
    });
    return { ratings, summary: this.summary.trim() };
  }
}
