// What /api/prep-plans and /api/stories answer with. Local interfaces for now: the API has no
// @rehearse/protocol schemas for prep plans and stories yet (api/src/prep/service.ts is the source).

export type CheatSheetLevel = 'off' | 'bullets' | 'script';
export type StoryFramework = 'star' | 'carl' | 'soar';

export interface PrepItem {
  id: string;
  date: string;
  kind: 'question' | 'reattempt';
  competency: string;
  question: { id: string; text: string; framework: string };
  /** A re-attempt's earlier answer. */
  answerId: string | null;
  doneAnswerId: string | null;
  done: boolean;
  story: { id: string; title: string } | null;
}

export interface PrepPlan {
  id: string;
  role: string;
  company: string;
  interviewDate: string;
  timezone: string;
  competencies: string[];
  perDay: number;
  /** ISO weekdays (1 Monday … 7 Sunday); empty: every day. */
  weekdays: number[];
  /** Reminder mails: the local time (minutes from midnight; null: off), the days, and the next one. */
  reminders: { minute: number | null; days: number[]; nextAt: string | null };
  /** The plan's today, in its time zone. */
  today: string;
  progress: { done: number; total: number; dueToday: number; overdue: number; byCompetency: { competency: string; done: number; total: number }[] };
  competenciesWithoutStory: string[];
  cheatSheetLevel: CheatSheetLevel;
  items: PrepItem[];
}

/** PUT /api/prep-plans/:id/reminders: the next reminder and the plan's secret links (new each time). */
export interface ReminderLinks {
  nextReminderAt: string | null;
  feedUrl: string;
  unsubscribeUrl: string;
}

export interface PlanInput {
  role: string;
  company?: string;
  interviewDate: string;
  competencies?: string[];
  jobDescription?: string;
  perDay?: number;
  weekdays?: number[];
  timezone?: string;
}

export interface StoryPoint {
  kind: 'strength' | 'improvement';
  /** The part it is about, or null for the whole story. */
  part: string | null;
  message: string;
}

export interface CheatSheetLine {
  label: string;
  text: string;
}

export interface Story {
  id: string;
  title: string;
  framework: StoryFramework;
  fields: Record<string, string>;
  competencies: string[];
  updatedAt: string;
  feedback: { points: StoryPoint[]; words: number; seconds: number };
  cheatSheet: { script: CheatSheetLine[]; bullets: CheatSheetLine[] };
}

export interface StoryInput {
  title: string;
  framework: StoryFramework;
  fields: Record<string, string>;
  competencies: string[];
}
