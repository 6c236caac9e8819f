// Prep plans and the story bank (api/src/prep): what the API takes and answers with.
import { Type } from 'typebox';

const Tag = Type.String({ minLength: 1, maxLength: 40, pattern: '^[^<>]+$' });
export const Weekdays = Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { maxItems: 7 });
export const CheatSheetLevel = Type.Union([Type.Literal('off'), Type.Literal('bullets'), Type.Literal('script')]);
export const StoryFramework = Type.Union([Type.Literal('star'), Type.Literal('carl'), Type.Literal('soar')]);
/** A job description is a few pages at most. */
export const JOB_DESCRIPTION_MAX = 20_000;

export const PlanInput = Type.Object(
  {
    role: Type.String({ minLength: 1, maxLength: 120 }),
    company: Type.Optional(Type.String({ maxLength: 120 })),
    interviewDate: Type.String({ format: 'date' }),
    competencies: Type.Optional(Type.Array(Tag, { maxItems: 8 })),
    jobDescription: Type.Optional(Type.String({ maxLength: JOB_DESCRIPTION_MAX })),
    perDay: Type.Optional(Type.Integer({ minimum: 1, maximum: 6 })),
    weekdays: Type.Optional(Weekdays),
    timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export const PlanPatch = Type.Object({ interviewDate: Type.Optional(Type.String({ format: 'date' })), perDay: Type.Optional(Type.Integer({ minimum: 1, maximum: 6 })), weekdays: Type.Optional(Weekdays) }, { additionalProperties: false });

export const PrepItem = Type.Object({
  id: Type.String(),
  date: Type.String(),
  kind: Type.Union([Type.Literal('question'), Type.Literal('reattempt')]),
  competency: Type.String(),
  question: Type.Object({ id: Type.String(), text: Type.String(), framework: Type.String() }),
  /** A re-attempt's earlier answer. */
  answerId: Type.Union([Type.String(), Type.Null()]),
  doneAnswerId: Type.Union([Type.String(), Type.Null()]),
  done: Type.Boolean(),
  story: Type.Union([Type.Object({ id: Type.String(), title: Type.String() }), Type.Null()]),
});

export const PrepPlan = Type.Object({
  id: Type.String(),
  role: Type.String(),
  company: Type.String(),
  interviewDate: Type.String(),
  timezone: Type.String(),
  competencies: Type.Array(Type.String()),
  perDay: Type.Integer(),
  /** ISO weekdays (1 Monday … 7 Sunday); empty: every day. */
  weekdays: Type.Array(Type.Integer()),
  /** Reminder mails: the local time (minutes from midnight; null: off), the days, and the next one. */
  reminders: Type.Object({ minute: Type.Union([Type.Integer(), Type.Null()]), days: Type.Array(Type.Integer()), nextAt: Type.Union([Type.String(), Type.Null()]) }),
  /** The plan's today, in its time zone. */
  today: Type.String(),
  progress: Type.Object({
    done: Type.Integer(),
    total: Type.Integer(),
    dueToday: Type.Integer(),
    overdue: Type.Integer(),
    byCompetency: Type.Array(Type.Object({ competency: Type.String(), done: Type.Integer(), total: Type.Integer() })),
  }),
  competenciesWithoutStory: Type.Array(Type.String()),
  /** The level the plan suggests: the script at first, then bullets, then nothing as answers tell more of STAR. */
  cheatSheetLevel: CheatSheetLevel,
  /** Where the next answer's sheet starts: off (the default) until the user has answered an item with it on, then the suggested level. */
  cheatSheetStarts: CheatSheetLevel,
  items: Type.Array(PrepItem),
});
export const PrepPlanBody = Type.Object({ plan: PrepPlan });

export const ReminderInput = Type.Object({ minute: Type.Union([Type.Null(), Type.Integer({ minimum: 0, maximum: 24 * 60 - 1 })]), days: Weekdays }, { additionalProperties: false });
/** The next reminder and the plan's secret links (new each time reminders are saved). */
export const ReminderLinks = Type.Object({ nextReminderAt: Type.Union([Type.String(), Type.Null()]), feedUrl: Type.String(), unsubscribeUrl: Type.String() });

export const StoryInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 120 }),
    framework: StoryFramework,
    fields: Type.Record(Type.String({ maxLength: 20 }), Type.String({ maxLength: 3000 })),
    competencies: Type.Array(Tag, { maxItems: 8 }),
  },
  { additionalProperties: false },
);
const StoryPoint = Type.Object({ kind: Type.Union([Type.Literal('strength'), Type.Literal('improvement')]), part: Type.Union([Type.String(), Type.Null()]), message: Type.String() });
const CheatSheetLine = Type.Object({ label: Type.String(), text: Type.String() });
export const Story = Type.Object({
  id: Type.String(),
  title: Type.String(),
  framework: StoryFramework,
  fields: Type.Record(Type.String(), Type.String()),
  competencies: Type.Array(Type.String()),
  updatedAt: Type.String(),
  feedback: Type.Object({ points: Type.Array(StoryPoint), words: Type.Integer(), seconds: Type.Integer() }),
  cheatSheet: Type.Object({ script: Type.Array(CheatSheetLine), bullets: Type.Array(CheatSheetLine) }),
});
export const StoryBody = Type.Object({ story: Story });
/** The AI coach's comments on a story. */
export const AiStoryFeedback = Type.Object({
  model: Type.String(),
  comments: Type.Array(StoryPoint),
  rewrite: Type.Union([Type.Object({ part: Type.String(), text: Type.String() }), Type.Null()]),
});
