// A prep plan's schedule: practice items on the user's local calendar from today to the day before
// the interview. Each competency that matters comes back at an interval — sooner when the user is
// weak at it (their answers' scores) — and answers whose feedback was weak come back as
// re-attempts a day or two later. Pure: the plan's service loads the rows and calls this again
// when the date moves or items are done (done items are kept, the rest are re-planned).
import { DateTime } from 'luxon';

export interface CompetencyInput {
  competency: string;
  /** 1–5 from the user's recent answers (AI scores or automatic figures); null: never practised. */
  score: number | null;
  /** Bank (or generated) questions for it, in the order to use them. */
  questionIds: string[];
}

export interface ScheduleInput {
  /** The user's IANA zone: dates are their calendar dates. */
  timezone: string;
  now: Date;
  /** The interview's local date, YYYY-MM-DD. */
  interviewDate: string;
  competencies: CompetencyInput[];
  /** Answers worth another go: their feedback was weak. */
  reattempts: { answerId: string; questionId: string; competency: string }[];
  /** Items a practice day holds. */
  perDay: number;
  /** ISO weekdays to practise on (1 Monday … 7 Sunday); empty: every day. */
  weekdays: number[];
  /** Questions already done in this plan (not given again while others remain). */
  done: string[];
  /** Items already done on a date (they use up that day's places), by YYYY-MM-DD. */
  taken?: Record<string, number>;
}

export interface PlannedItem {
  /** Local date, YYYY-MM-DD. */
  date: string;
  kind: 'question' | 'reattempt';
  questionId: string;
  competency: string;
  /** For a re-attempt: the answer to do better than. */
  answerId: string | null;
}

/** Days between two sessions of one competency: weak ones come back sooner. */
export function intervalFor(score: number | null): number {
  if (score === null) return 2;
  if (score < 3) return 2;
  if (score < 4) return 3;
  return 5;
}

/** The local practice dates from today (in the zone) up to the day before the interview. */
export function practiceDates({ timezone, now, interviewDate, weekdays }: Pick<ScheduleInput, 'timezone' | 'now' | 'interviewDate' | 'weekdays'>): string[] {
  const today = DateTime.fromJSDate(now, { zone: timezone }).startOf('day');
  const interview = DateTime.fromISO(interviewDate, { zone: timezone }).startOf('day');
  const dates: string[] = [];
  for (let day = today; day < interview; day = day.plus({ days: 1 })) {
    if (weekdays.length === 0 || weekdays.includes(day.weekday)) dates.push(day.toISODate()!);
  }
  return dates;
}

export function planSchedule(input: ScheduleInput): PlannedItem[] {
  const dates = practiceDates(input);
  if (dates.length === 0 || input.competencies.length === 0) return [];
  const done = new Set(input.done);
  const state = input.competencies.map((c, order) => ({
    ...c,
    order,
    // Weakest (and never practised) first on the first day.
    due: 0,
    times: 0,
    next: 0,
    interval: intervalFor(c.score),
  }));
  const weakness = (s: (typeof state)[number]) => (s.score === null ? 2.5 : s.score);
  const reattempts = [...input.reattempts];
  const items: PlannedItem[] = [];
  dates.forEach((date, dayIndex) => {
    const today: PlannedItem[] = [];
    const capacity = input.perDay - (input.taken?.[date] ?? 0);
    // A re-attempt comes a day after the plan starts (not the first thing), one per day at most.
    if (dayIndex >= 1 && reattempts.length > 0 && capacity > 0) {
      const r = reattempts.shift()!;
      today.push({ date, kind: 'reattempt', questionId: r.questionId, competency: r.competency, answerId: r.answerId });
    }
    while (today.length < capacity) {
      const candidates = state.filter((s) => s.questionIds.length > 0 && !today.some((t) => t.competency === s.competency));
      if (candidates.length === 0) break;
      candidates.sort((a, b) => a.due - b.due || weakness(a) - weakness(b) || a.times - b.times || a.order - b.order);
      const pick = candidates[0]!;
      // Not yet done in this plan first; once all are done, they come round again.
      const fresh = pick.questionIds.filter((id) => !done.has(id));
      const pool = fresh.length > 0 ? fresh : pick.questionIds;
      const questionId = pool[pick.next % pool.length]!;
      if (fresh.length > 0) done.add(questionId);
      else pick.next++;
      today.push({ date, kind: 'question', questionId, competency: pick.competency, answerId: null });
      pick.times++;
      pick.due = dayIndex + pick.interval;
    }
    items.push(...today);
  });
  return items;
}
