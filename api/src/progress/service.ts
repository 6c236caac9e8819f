// Progress over time: each answer's figures (from the report's columns, never the transcripts) with
// its competency and latest AI score, and averages per competency. One query, so a user with
// thousands of answers gets their charts quickly.
import type { PrismaClient } from '@rehearse/db';
import { mean } from '../answers/figures.ts';
import { HttpError } from '../plugins/errors.ts';

/** At most this many answers in one period (the oldest are left out beyond it). */
export const PROGRESS_MAX_POINTS = 5000;

interface Row {
  id: string;
  created_at: Date;
  duration_ms: number | null;
  competency: string;
  wpm: number | null;
  fillers_per_minute: number | null;
  pause_count: number;
  star_parts: number;
  score: number | null;
}

export class ProgressService {
  readonly #db: PrismaClient;

  constructor(db: PrismaClient) {
    this.#db = db;
  }

  async of(userId: string, { from, to, competency }: { from?: string; to?: string; competency?: string }) {
    const fromDate = from ? new Date(from) : new Date(0);
    const toDate = to ? new Date(to) : new Date(8.64e15);
    if (fromDate > toDate) throw new HttpError(400, 'VALIDATION_FAILED', 'querystring/from must be before querystring/to');
    const rows = await this.#db.$queryRaw<Row[]>`
      SELECT * FROM (
        SELECT a.id::text AS id, a.created_at, a.duration_ms, q.competency, r.wpm, r.fillers_per_minute, r.pause_count,
               cardinality(r.star_heard) AS star_parts, f.score
        FROM answers a
        JOIN answer_reports r ON r.answer_id = a.id
        JOIN questions q ON q.id = a.question_id
        LEFT JOIN LATERAL (
          SELECT score FROM answer_feedbacks WHERE answer_id = a.id AND status = 'complete' ORDER BY created_at DESC LIMIT 1
        ) f ON true
        WHERE a.user_id = ${userId}::uuid AND a.booking_id IS NULL AND a.created_at >= ${fromDate} AND a.created_at <= ${toDate}
          AND (${competency ?? null}::text IS NULL OR q.competency = ${competency ?? null}::text)
        ORDER BY a.created_at DESC
        LIMIT ${PROGRESS_MAX_POINTS}
      ) latest ORDER BY created_at ASC`;
    const points = rows.map((r) => ({
      answerId: r.id,
      at: r.created_at.toISOString(),
      competency: r.competency || 'general',
      durationMs: r.duration_ms,
      wpm: r.wpm === null ? null : Math.round(r.wpm),
      fillersPerMinute: r.fillers_per_minute === null ? null : Math.round(r.fillers_per_minute * 10) / 10,
      pauses: r.pause_count,
      starCompleteness: r.star_parts / 4,
      score: r.score,
    }));
    const byCompetency = new Map<string, typeof points>();
    for (const p of points) byCompetency.set(p.competency, [...(byCompetency.get(p.competency) ?? []), p]);
    const competencies = [...byCompetency]
      .map(([name, list]) => ({ competency: name, answers: list.length, starCompleteness: mean(list.map((p) => p.starCompleteness), 2) ?? 0, score: mean(list.map((p) => p.score)) }))
      .sort((a, b) => b.answers - a.answers || a.competency.localeCompare(b.competency));
    return { from: from ?? null, to: to ?? null, points, competencies };
  }
}
