// A prep plan's reminders: a mail at the user's chosen local time on the chosen days (every day by
// default) with the day's items and the plan's sessions as a calendar (.ics), sent by a job on the
// PostgreSQL queue that then schedules the next one. Local times are turned into instants by luxon
// in the plan's zone, so 07:30 stays 07:30 across daylight-saving changes. The calendar is also a
// feed (a secret URL), and every mail carries an unsubscribe link; a deleted plan or account has
// no row for its job to find, so nothing is sent.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import ical, { ICalCalendarMethod } from 'ical-generator';
import { DateTime } from 'luxon';
import type { PrismaClient } from '@rehearse/db';
import type { Mailer } from '../mail/mailer.ts';
import { HttpError } from '../plugins/errors.ts';
import type { JobQueue } from '../plugins/jobs.ts';

export const REMINDER_JOB = 'prep.reminder';
/** A session in the calendar lasts this long. */
const SESSION_MINUTES = 30;

const hash = (token: string) => createHash('sha256').update(token).digest('hex');
const dateOf = (d: Date) => d.toISOString().slice(0, 10);

/** The next reminder after `now`: the chosen local time on a chosen day before the interview, or null. */
export function nextReminder({ timezone, minute, days, interviewDate }: { timezone: string; minute: number; days: number[]; interviewDate: string }, now: Date): Date | null {
  const interview = DateTime.fromISO(interviewDate, { zone: timezone }).startOf('day');
  // The interview day itself gets its reminder too (a last look in the morning).
  for (let day = DateTime.fromJSDate(now, { zone: timezone }).startOf('day'); day <= interview; day = day.plus({ days: 1 })) {
    if (days.length > 0 && !days.includes(day.weekday)) continue;
    const at = day.set({ hour: Math.floor(minute / 60), minute: minute % 60 });
    if (at.toMillis() > now.getTime()) return at.toJSDate();
  }
  return null;
}

export class ReminderService {
  readonly #db: PrismaClient;
  readonly #jobs: JobQueue;
  readonly #mailer: Mailer;
  readonly #publicUrl: string;
  readonly #now: () => Date;

  constructor(deps: { db: PrismaClient; jobs: JobQueue; mailer: Mailer; publicUrl: string; now: () => Date }) {
    this.#db = deps.db;
    this.#jobs = deps.jobs;
    this.#mailer = deps.mailer;
    this.#publicUrl = deps.publicUrl;
    this.#now = deps.now;
    this.#jobs.define<{ planId: string; at: string }>(REMINDER_JOB, (d) => this.#send(d.planId, d.at));
  }

  /** Turns reminders on (a local time and days) or off (null); new secret links each time. */
  async set(userId: string, planId: string, { minute, days }: { minute: number | null; days: number[] }) {
    const plan = await this.#db.prepPlan.findUnique({ where: { id: planId } });
    if (!plan || plan.userId !== userId) throw new HttpError(404, 'PLAN_NOT_FOUND', 'No such prep plan');
    const feedToken = randomBytes(24).toString('base64url');
    const unsubscribeToken = randomBytes(24).toString('base64url');
    const next = minute === null ? null : nextReminder({ timezone: plan.timezone, minute, days, interviewDate: dateOf(plan.interviewDate) }, this.#now());
    await this.#db.prepPlan.update({ where: { id: planId }, data: { reminderMinute: minute, reminderDays: days, nextReminderAt: next, feedTokenHash: hash(feedToken), unsubscribeTokenHash: hash(unsubscribeToken) } });
    if (next) await this.#jobs.at(REMINDER_JOB, { planId, at: next.toISOString() }, next);
    return { nextReminderAt: next?.toISOString() ?? null, feedUrl: this.#url(`/api/prep-plans/${planId}/calendar.ics?token=${feedToken}`), unsubscribeUrl: this.#url(`/api/prep-plans/${planId}/unsubscribe?token=${unsubscribeToken}`) };
  }

  /**
   * The interview moved: the next reminder is worked out again from the plan's reminder settings
   * (its time and days), so mails that had run out start again for a later date, and one queued
   * after an earlier date is not sent. A reminder already due (its job about to run) is kept if it
   * still falls on or before the interview. Nothing happens with reminders off.
   */
  async reschedule(planId: string): Promise<void> {
    const plan = await this.#db.prepPlan.findUnique({ where: { id: planId } });
    if (!plan || plan.reminderMinute === null) return;
    const now = this.#now();
    const due = plan.nextReminderAt !== null && plan.nextReminderAt.getTime() <= now.getTime();
    const next = nextReminder({ timezone: plan.timezone, minute: plan.reminderMinute, days: plan.reminderDays, interviewDate: dateOf(plan.interviewDate) }, due ? new Date(plan.nextReminderAt!.getTime() - 1) : now);
    // Unchanged: the job already queued for it sends it (a second one would only find it sent).
    if ((next?.getTime() ?? null) === (plan.nextReminderAt?.getTime() ?? null)) return;
    await this.#db.prepPlan.update({ where: { id: planId }, data: { nextReminderAt: next } });
    if (next) await this.#jobs.at(REMINDER_JOB, { planId, at: next.toISOString() }, next);
  }

  /** The plan's sessions as a calendar, for the secret feed URL (no session needed). */
  async feed(planId: string, token: string): Promise<string> {
    const plan = await this.#withToken(planId, token, 'feedTokenHash');
    return this.#calendar(plan.id);
  }

  /** The mail's unsubscribe link: reminders off for this plan. */
  async unsubscribe(planId: string, token: string): Promise<void> {
    await this.#withToken(planId, token, 'unsubscribeTokenHash');
    await this.#db.prepPlan.update({ where: { id: planId }, data: { reminderMinute: null, nextReminderAt: null, unsubscribeTokenHash: null } });
  }

  async #withToken(planId: string, token: string, column: 'feedTokenHash' | 'unsubscribeTokenHash') {
    const plan = await this.#db.prepPlan.findUnique({ where: { id: planId } });
    const stored = plan?.[column];
    const given = Buffer.from(hash(token));
    // The same answer for no plan, no link and a wrong secret: nothing to learn by guessing.
    if (!plan || !stored || !timingSafeEqual(Buffer.from(stored), given)) throw new HttpError(404, 'LINK_NOT_FOUND', 'This link is not valid (any more)');
    return plan;
  }

  async #send(planId: string, at: string): Promise<void> {
    const plan = await this.#db.prepPlan.findUnique({ where: { id: planId }, include: { user: { select: { email: true } } } });
    // Deleted, turned off, or moved to another time since this job was scheduled.
    if (!plan || plan.reminderMinute === null || plan.nextReminderAt?.toISOString() !== at || !plan.user.email) return;
    const today = DateTime.fromISO(at, { zone: plan.timezone }).toISODate()!;
    const items = await this.#db.prepPlanItem.findMany({ where: { planId, date: new Date(`${today}T00:00:00Z`), doneAt: null }, orderBy: { id: 'asc' } });
    const questions = new Map((await this.#db.question.findMany({ where: { id: { in: items.map((i) => i.questionId) } }, select: { id: true, text: true } })).map((q) => [q.id, q.text]));
    const unsubscribeToken = randomBytes(24).toString('base64url');
    const next = nextReminder({ timezone: plan.timezone, minute: plan.reminderMinute, days: plan.reminderDays, interviewDate: dateOf(plan.interviewDate) }, new Date(Date.parse(at) + 1000));
    await this.#db.prepPlan.update({ where: { id: planId }, data: { nextReminderAt: next, unsubscribeTokenHash: hash(unsubscribeToken) } });
    const planUrl = this.#url(`/prep/${planId}`);
    const lines = items.length > 0 ? items.map((i) => `- ${i.kind === 'reattempt' ? 'Try again: ' : ''}${questions.get(i.questionId) ?? ''} (${i.competency.replace(/-/g, ' ')})\n  ${this.#url(`/practice/${i.questionId}?prepItem=${i.id}&plan=${planId}`)}`) : ['Nothing scheduled today: a good day to polish a story.'];
    await this.#mailer.send({
      to: plan.user.email,
      subject: `Today's practice for ${plan.role}${plan.company ? ` at ${plan.company}` : ''} (interview ${dateOf(plan.interviewDate)})`,
      text: `${lines.join('\n')}\n\nYour plan: ${planUrl}\nStop these reminders: ${this.#url(`/api/prep-plans/${planId}/unsubscribe?token=${unsubscribeToken}`)}`,
      calendar: { method: 'PUBLISH', content: await this.#calendar(planId) },
    });
    if (next) await this.#jobs.at(REMINDER_JOB, { planId, at: next.toISOString() }, next);
  }

  /** One event per practice day, at the reminder time (or 09:00), with its questions. */
  async #calendar(planId: string): Promise<string> {
    const plan = await this.#db.prepPlan.findUniqueOrThrow({ where: { id: planId } });
    const items = await this.#db.prepPlanItem.findMany({ where: { planId }, orderBy: { date: 'asc' } });
    const questions = new Map((await this.#db.question.findMany({ where: { id: { in: items.map((i) => i.questionId) } }, select: { id: true, text: true } })).map((q) => [q.id, q.text]));
    const host = new URL(this.#publicUrl).hostname;
    const minute = plan.reminderMinute ?? 9 * 60;
    const calendar = ical({ prodId: { company: 'Rehearse', product: 'prep-plan' }, method: ICalCalendarMethod.PUBLISH, name: `Interview prep: ${plan.role}` });
    const byDate = Map.groupBy(items, (i) => dateOf(i.date));
    for (const [date, day] of byDate) {
      const start = DateTime.fromISO(date, { zone: plan.timezone }).set({ hour: Math.floor(minute / 60), minute: minute % 60 });
      calendar.createEvent({
        id: `prep-${plan.id}-${date}@${host}`,
        start: start.toJSDate(),
        end: start.plus({ minutes: SESSION_MINUTES }).toJSDate(),
        summary: `Interview practice: ${day.length} question${day.length === 1 ? '' : 's'}`,
        description: day.map((i) => `${i.kind === 'reattempt' ? 'Try again: ' : ''}${questions.get(i.questionId) ?? ''}`).join('\n'),
        url: this.#url(`/prep/${plan.id}`),
      });
    }
    return calendar.toString();
  }

  #url(path: string): string {
    return new URL(path, this.#publicUrl).href;
  }
}
