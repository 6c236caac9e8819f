// Prep plans and the story bank. A plan is made for a target (role, company, interview date, the
// competencies that matter — given, or read from a pasted job description) and scheduled by
// schedule.ts from the user's own record: their scores per competency (AI feedback) and the
// answers worth another go. Moving the date or changing the rhythm re-plans what is not done.
// Stories are planned in their framework's fields and commented on before they are spoken
// (analysis' storyFeedback); the plan maps a story to each question by competency.
import type { PrismaClient } from '@rehearse/db';
import { storyCheatSheet, storyFeedback, STORY_PARTS, type StoryFramework } from '@rehearse/analysis';
import { DateTime } from 'luxon';
import { checkWithinPlan, planOf } from '../billing/plans.ts';
import { competenciesIn, type QuestionSetService } from '../coach/questionSets.ts';
import { isTimeZone } from '../mentors/availability.ts';
import { describeAiError, structuredOutput, type Ai } from '../coach/openai.ts';
import { storyFeedbackMessages } from '../coach/prompts.ts';
import { GeneratedStoryFeedback } from '@rehearse/protocol';
import { HttpError } from '../plugins/errors.ts';
import { planSchedule, type CompetencyInput } from './schedule.ts';

/** What a plan covers when neither the user nor the job description names competencies. */
const DEFAULT_COMPETENCIES = ['ownership', 'problem-solving', 'collaboration', 'communication', 'leadership'];
/** How far ahead an interview may be planned. */
export const PLAN_HORIZON_DAYS = 180;
/** An answer is worth another go below this AI score (1–5), or with fewer STAR parts heard than this. */
const WEAK_SCORE = 3;
const WEAK_STAR_PARTS = 3;

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

export interface StoryInput {
  title: string;
  framework: StoryFramework;
  fields: Record<string, string>;
  competencies: string[];
}

const dateOf = (d: Date) => d.toISOString().slice(0, 10);

const STORY_FORMAT = structuredOutput('story_feedback', GeneratedStoryFeedback);

export class PrepService {
  readonly #db: PrismaClient;
  readonly #now: () => Date;
  readonly #ai: Ai | null;
  readonly #questionSets: QuestionSetService | null;

  constructor({ db, now = () => new Date(), ai = null, questionSets = null }: { db: PrismaClient; now?: () => Date; ai?: Ai | null; questionSets?: QuestionSetService | null }) {
    this.#db = db;
    this.#now = now;
    this.#ai = ai;
    this.#questionSets = questionSets;
  }

  async create(userId: string, input: PlanInput) {
    const user = await this.#db.user.findUniqueOrThrow({ where: { id: userId } });
    const timezone = input.timezone ?? user.timezone;
    if (!isTimeZone(timezone)) throw new HttpError(400, 'INVALID_TIMEZONE', `"${timezone}" is not an IANA time zone`);
    this.#checkDate(input.interviewDate, timezone);
    const plan = await planOf(this.#db, userId, this.#now());
    checkWithinPlan(plan, 'prepPlans', await this.#db.prepPlan.count({ where: { userId } }), 'prep plans');
    // With an OpenAI key, a pasted job description is read by the model, which names the
    // competencies and writes questions for them (a question set of the user's, within the plan's
    // allowance); otherwise, or if that fails, the competencies are read offline and the bank serves.
    let named: string[] = [];
    if (this.#ai && this.#questionSets && input.jobDescription && !input.competencies?.length) {
      const set = await this.#questionSets.create(userId, { role: input.role, company: input.company, jobDescription: input.jobDescription }).catch(() => null);
      if (set?.source === 'ai') named = set.competencies;
    }
    const competencies = [...new Set((input.competencies?.length ? input.competencies : named.length ? named : input.jobDescription ? competenciesIn(input.jobDescription) : []).map((c) => c.trim().toLowerCase()).filter(Boolean))];
    const row = await this.#db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`prep-plans:${userId}`}, 0))`;
      checkWithinPlan(plan, 'prepPlans', await tx.prepPlan.count({ where: { userId } }), 'prep plans');
      return tx.prepPlan.create({
        data: {
          userId,
          role: input.role.trim(),
          company: input.company?.trim() ?? '',
          interviewDate: new Date(`${input.interviewDate}T00:00:00Z`),
          timezone,
          competencies: competencies.length > 0 ? competencies : DEFAULT_COMPETENCIES,
          jobDescription: input.jobDescription ?? '',
          perDay: input.perDay ?? 2,
          weekdays: input.weekdays ?? [],
        },
      });
    });
    await this.#replan(row.id);
    return this.view(userId, row.id);
  }

  /**
   * Moves the date or changes the rhythm: what is not done is planned again. A date in the past is
   * refused before anything is written. (The route then has ReminderService.reschedule move the
   * reminders to the new date.)
   */
  async update(userId: string, id: string, patch: { interviewDate?: string; perDay?: number; weekdays?: number[] }) {
    const row = await this.#own(userId, id);
    if (patch.interviewDate) this.#checkDate(patch.interviewDate, row.timezone);
    await this.#db.prepPlan.update({ where: { id }, data: { ...(patch.interviewDate ? { interviewDate: new Date(`${patch.interviewDate}T00:00:00Z`) } : {}), perDay: patch.perDay, weekdays: patch.weekdays } });
    await this.#replan(id);
    return this.view(userId, id);
  }

  async remove(userId: string, id: string) {
    await this.#own(userId, id);
    await this.#db.prepPlan.delete({ where: { id } });
  }

  async list(userId: string) {
    const rows = await this.#db.prepPlan.findMany({ where: { userId }, orderBy: { interviewDate: 'asc' }, select: { id: true } });
    return Promise.all(rows.map((r) => this.view(userId, r.id)));
  }

  /** Marks an item done by one of the user's answers to its question. */
  async complete(userId: string, id: string, itemId: string, answerId: string) {
    await this.#own(userId, id);
    const item = await this.#db.prepPlanItem.findUnique({ where: { id: itemId } });
    if (!item || item.planId !== id) throw new HttpError(404, 'ITEM_NOT_FOUND', 'No such item in this plan');
    const answer = await this.#db.answer.findUnique({ where: { id: answerId } });
    if (!answer || answer.userId !== userId || answer.bookingId !== null) throw new HttpError(404, 'ANSWER_NOT_FOUND', 'No such answer');
    if (answer.questionId !== item.questionId) throw new HttpError(409, 'WRONG_QUESTION', 'That answer is to another question');
    if (answer.status !== 'ready' && answer.status !== 'interrupted') throw new HttpError(409, 'ANSWER_NOT_DONE', 'The answer is not finished yet');
    await this.#db.prepPlanItem.update({ where: { id: itemId }, data: { doneAnswerId: answerId, doneAt: this.#now() } });
    return this.view(userId, id);
  }

  async view(userId: string, id: string) {
    const row = await this.#own(userId, id);
    await this.#syncDone(id);
    const items = await this.#db.prepPlanItem.findMany({ where: { planId: id }, orderBy: [{ date: 'asc' }, { kind: 'desc' }, { id: 'asc' }] });
    const questions = new Map((await this.#db.question.findMany({ where: { id: { in: [...new Set(items.map((i) => i.questionId))] } }, select: { id: true, text: true, framework: true } })).map((q) => [q.id, q]));
    const stories = await this.#db.story.findMany({ where: { userId }, orderBy: { updatedAt: 'desc' }, select: { id: true, title: true, competencies: true } });
    const storyFor = (competency: string) => stories.find((s) => s.competencies.includes(competency)) ?? null;
    const today = DateTime.fromJSDate(this.#now(), { zone: row.timezone }).toISODate()!;
    const done = items.filter((i) => i.doneAt !== null).length;
    return {
      id: row.id,
      role: row.role,
      company: row.company,
      interviewDate: dateOf(row.interviewDate),
      timezone: row.timezone,
      competencies: row.competencies,
      perDay: row.perDay,
      weekdays: row.weekdays,
      reminders: { minute: row.reminderMinute, days: row.reminderDays, nextAt: row.nextReminderAt?.toISOString() ?? null },
      today,
      progress: {
        done,
        total: items.length,
        dueToday: items.filter((i) => dateOf(i.date) === today && !i.doneAt).length,
        overdue: items.filter((i) => dateOf(i.date) < today && !i.doneAt).length,
        byCompetency: row.competencies.map((c) => ({ competency: c, done: items.filter((i) => i.competency === c && i.doneAt).length, total: items.filter((i) => i.competency === c).length })),
      },
      competenciesWithoutStory: row.competencies.filter((c) => !storyFor(c)),
      ...(await this.#cheatSheet(id)),
      items: items.map((i) => {
        const story = storyFor(i.competency);
        return {
          id: i.id,
          date: dateOf(i.date),
          kind: i.kind as 'question' | 'reattempt',
          competency: i.competency,
          question: { id: i.questionId, text: questions.get(i.questionId)?.text ?? '', framework: questions.get(i.questionId)?.framework ?? 'star' },
          answerId: i.answerId,
          doneAnswerId: i.doneAnswerId,
          done: i.doneAt !== null,
          story: story ? { id: story.id, title: story.title } : null,
        };
      }),
    };
  }

  // ---- stories ----

  async createStory(userId: string, input: StoryInput) {
    const row = await this.#db.story.create({ data: { userId, ...this.#storyData(input) } });
    return this.#presentStory(row);
  }

  async updateStory(userId: string, id: string, input: StoryInput) {
    await this.#ownStory(userId, id);
    return this.#presentStory(await this.#db.story.update({ where: { id }, data: this.#storyData(input) }));
  }

  async removeStory(userId: string, id: string) {
    await this.#ownStory(userId, id);
    await this.#db.story.delete({ where: { id } });
  }

  async stories(userId: string) {
    return (await this.#db.story.findMany({ where: { userId }, orderBy: { updatedAt: 'desc' } })).map((s) => this.#presentStory(s));
  }

  async story(userId: string, id: string) {
    return this.#presentStory(await this.#ownStory(userId, id));
  }

  /** The model's comments on a story and a rewrite of its weakest part (with an OpenAI key). */
  async aiStoryFeedback(userId: string, id: string) {
    const story = await this.#ownStory(userId, id);
    if (!this.#ai) throw new HttpError(409, 'AI_NOT_CONFIGURED', 'AI comments need an OpenAI key on the server; the automatic comments stand');
    const fields = story.fields as Record<string, string>;
    const parts = STORY_PARTS[story.framework].map((p) => ({ key: p.key, label: p.label, text: fields[p.key] ?? '' }));
    try {
      const completion = await this.#ai.client.chat.completions.parse({ model: this.#ai.model, messages: storyFeedbackMessages({ framework: story.framework, parts, competencies: story.competencies }), response_format: STORY_FORMAT, temperature: 0.3 });
      const parsed = completion.choices[0]?.message.parsed;
      if (!parsed) throw new Error('no parsed content');
      const known = new Set(parts.map((p) => p.key));
      return {
        model: this.#ai.model,
        comments: parsed.comments.slice(0, 8).map((c) => ({ part: c.part && known.has(c.part) ? c.part : null, kind: c.kind, message: c.message.trim().slice(0, 600) })),
        rewrite: known.has(parsed.rewrite.part) ? { part: parsed.rewrite.part, text: parsed.rewrite.text.trim().slice(0, 2000) } : null,
      };
    } catch (error) {
      const ai = describeAiError(error);
      throw new HttpError(502, ai.code, `${ai.message}; the automatic comments stand`);
    }
  }

  #storyData(input: StoryInput) {
    const keys = new Set(STORY_PARTS[input.framework].map((p) => p.key));
    const unknown = Object.keys(input.fields).filter((k) => !keys.has(k));
    if (unknown.length > 0) throw new HttpError(400, 'UNKNOWN_STORY_PART', `${input.framework.toUpperCase()} has no part "${unknown[0]}"; its parts are ${[...keys].join(', ')}`);
    return { title: input.title.trim(), framework: input.framework, fields: Object.fromEntries([...keys].map((k) => [k, (input.fields[k] ?? '').trim()])), competencies: [...new Set(input.competencies.map((c) => c.trim().toLowerCase()).filter(Boolean))] };
  }

  #presentStory(s: { id: string; title: string; framework: StoryFramework; fields: unknown; competencies: string[]; updatedAt: Date }) {
    const fields = s.fields as Record<string, string>;
    return { id: s.id, title: s.title, framework: s.framework, fields, competencies: s.competencies, updatedAt: s.updatedAt.toISOString(), feedback: storyFeedback(s.framework, fields), cheatSheet: storyCheatSheet(s.framework, fields) };
  }

  async #ownStory(userId: string, id: string) {
    const row = await this.#db.story.findUnique({ where: { id } });
    if (!row || row.userId !== userId) throw new HttpError(404, 'STORY_NOT_FOUND', 'No such story');
    return row;
  }

  // ---- scheduling ----

  #checkDate(date: string, timezone: string): void {
    const day = DateTime.fromISO(date, { zone: timezone });
    if (!day.isValid) throw new HttpError(400, 'INVALID_DATE', `"${date}" is not a date`);
    const today = DateTime.fromJSDate(this.#now(), { zone: timezone }).startOf('day');
    if (day.startOf('day') <= today) throw new HttpError(400, 'DATE_IN_PAST', 'The interview must be after today');
    if (day > today.plus({ days: PLAN_HORIZON_DAYS })) throw new HttpError(400, 'DATE_TOO_FAR', `Plans run up to ${PLAN_HORIZON_DAYS} days ahead`);
  }

  /** Items answered from the plan (an answer started with the item) are done once that answer is. */
  async #syncDone(planId: string): Promise<void> {
    const open = await this.#db.prepPlanItem.findMany({ where: { planId, doneAt: null }, select: { id: true } });
    if (open.length === 0) return;
    const answers = await this.#db.answer.findMany({ where: { prepItemId: { in: open.map((i) => i.id) }, status: { in: ['ready', 'interrupted'] } }, orderBy: { stoppedAt: 'asc' }, select: { id: true, prepItemId: true, stoppedAt: true } });
    for (const a of answers) await this.#db.prepPlanItem.updateMany({ where: { id: a.prepItemId!, doneAt: null }, data: { doneAnswerId: a.id, doneAt: a.stoppedAt ?? this.#now() } });
  }

  /**
   * The cheat sheet the plan suggests, weaning the user off notes as their answers improve: the
   * full script at first, bullets once the last two answers in the plan told at least three STAR
   * parts, nothing once the last three told all four.
   */
  async #cheatSheet(planId: string): Promise<{ cheatSheetLevel: 'script' | 'bullets' | 'off'; cheatSheetStarts: 'script' | 'bullets' | 'off' }> {
    const items = await this.#db.prepPlanItem.findMany({ where: { planId }, select: { id: true } });
    const [cheatSheetLevel, usedOne] = await Promise.all([this.#cheatSheetLevel(planId), this.#db.answer.count({ where: { prepItemId: { in: items.map((i) => i.id) }, cheatSheet: { not: 'off' } } })]);
    // Off by default: the plan moves the sheet down only for someone who has turned it on.
    return { cheatSheetLevel, cheatSheetStarts: usedOne > 0 ? cheatSheetLevel : 'off' };
  }

  async #cheatSheetLevel(planId: string): Promise<'script' | 'bullets' | 'off'> {
    const done = await this.#db.prepPlanItem.findMany({ where: { planId, doneAnswerId: { not: null } }, orderBy: { doneAt: 'desc' }, take: 3, select: { doneAnswerId: true } });
    const reports = await this.#db.answerReport.findMany({ where: { answerId: { in: done.map((d) => d.doneAnswerId!) } }, select: { answerId: true, starHeard: true } });
    const parts = done.map((d) => reports.find((r) => r.answerId === d.doneAnswerId)?.starHeard.length ?? 0);
    if (parts.length >= 3 && parts.every((n) => n >= 4)) return 'off';
    if (parts.length >= 2 && parts.slice(0, 2).every((n) => n >= 3)) return 'bullets';
    return 'script';
  }

  /** Plans the items that are not done, from today, from the user's record. */
  async #replan(id: string): Promise<void> {
    await this.#syncDone(id);
    const plan = await this.#db.prepPlan.findUniqueOrThrow({ where: { id } });
    const [competencies, reattempts, doneItems] = await Promise.all([this.#competencyInputs(plan.userId, plan.competencies), this.#reattempts(plan.userId, plan.competencies), this.#db.prepPlanItem.findMany({ where: { planId: id, doneAt: { not: null } } })]);
    const items = planSchedule({
      timezone: plan.timezone,
      now: this.#now(),
      interviewDate: dateOf(plan.interviewDate),
      competencies,
      reattempts: reattempts.filter((r) => !doneItems.some((d) => d.answerId === r.answerId)),
      perDay: plan.perDay,
      weekdays: plan.weekdays,
      done: doneItems.map((d) => d.questionId),
      taken: doneItems.reduce<Record<string, number>>((acc, d) => ((acc[dateOf(d.date)] = (acc[dateOf(d.date)] ?? 0) + 1), acc), {}),
    });
    await this.#db.$transaction([
      this.#db.prepPlanItem.deleteMany({ where: { planId: id, doneAt: null } }),
      this.#db.prepPlanItem.createMany({ data: items.map((i) => ({ planId: id, date: new Date(`${i.date}T00:00:00Z`), kind: i.kind, questionId: i.questionId, competency: i.competency, answerId: i.answerId })) }),
    ]);
  }

  /** Each competency's questions (the bank's, and the user's generated ones) and the user's mean AI score in it. */
  async #competencyInputs(userId: string, competencies: string[]): Promise<CompetencyInput[]> {
    const questions = await this.#db.question.findMany({
      where: { competency: { in: competencies }, OR: [{ ownerId: null, source: { in: ['bank', 'seed'] } }, { ownerId: userId, source: { in: ['ai', 'user'] } }] },
      orderBy: [{ difficulty: 'asc' }, { slug: 'asc' }],
      select: { id: true, competency: true },
    });
    const scores = await this.#db.$queryRaw<{ competency: string; score: number }[]>`
      SELECT q.competency, avg(f.score)::float AS score
      FROM answer_feedbacks f JOIN answers a ON a.id = f.answer_id JOIN questions q ON q.id = a.question_id
      WHERE f.user_id = ${userId}::uuid AND f.status = 'complete' AND f.score IS NOT NULL AND a.booking_id IS NULL AND q.competency = ANY(${competencies})
      GROUP BY q.competency`;
    return competencies.map((competency) => ({
      competency,
      score: scores.find((s) => s.competency === competency)?.score ?? null,
      questionIds: questions.filter((q) => q.competency === competency).map((q) => q.id),
    }));
  }

  /** The user's answers worth another go: a weak AI score, or (without one) too few STAR parts heard. */
  async #reattempts(userId: string, competencies: string[]) {
    const rows = await this.#db.answer.findMany({
      where: { userId, bookingId: null, status: 'ready', question: { competency: { in: competencies } } },
      orderBy: { createdAt: 'desc' },
      take: 100,
      select: { id: true, questionId: true, question: { select: { competency: true } }, report: { select: { starHeard: true } }, feedbacks: { where: { status: 'complete' }, orderBy: { createdAt: 'desc' }, take: 1, select: { score: true } } },
    });
    const latest = new Map<string, (typeof rows)[number]>();
    for (const r of rows) if (!latest.has(r.questionId)) latest.set(r.questionId, r);
    return [...latest.values()]
      .filter((r) => {
        const score = r.feedbacks[0]?.score;
        return score !== undefined && score !== null ? score < WEAK_SCORE : (r.report?.starHeard.length ?? 4) < WEAK_STAR_PARTS;
      })
      .map((r) => ({ answerId: r.id, questionId: r.questionId, competency: r.question.competency }));
  }

  async #own(userId: string, id: string) {
    const row = await this.#db.prepPlan.findUnique({ where: { id } });
    if (!row || row.userId !== userId) throw new HttpError(404, 'PLAN_NOT_FOUND', 'No such prep plan');
    return row;
  }
}
