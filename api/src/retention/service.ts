// Retention: once a day (a pg-boss cron job), owners of recordings due within a week are mailed
// (one mail per person, with a link to keep them longer), and recordings past their date whose
// owner was warned at least a week before are deleted from S3. The answer's report and transcript
// stay, so history and progress keep their figures; the answer says the recording was deleted.
import type { PrismaClient } from '@rehearse/db';
import type { Mailer } from '../mail/mailer.ts';
import type { JobQueue } from '../plugins/jobs.ts';
import { audit } from '../audit/log.ts';
import { DAY_MS, RETENTION_WARNING_DAYS } from './policy.ts';

export const RETENTION_JOB = 'retention-sweep';
/** Most answers warned or deleted per sweep (the next sweep takes the rest). */
const SWEEP_BATCH = 500;

export class RetentionService {
  readonly #db: PrismaClient;
  readonly #mailer: Mailer;
  readonly #deletePrefix: (prefix: string) => Promise<number>;
  readonly #publicUrl: string;
  readonly #now: () => Date;

  constructor({ db, jobs, mailer, deletePrefix, publicUrl, now = () => new Date() }: { db: PrismaClient; jobs: JobQueue; mailer: Mailer; deletePrefix: (prefix: string) => Promise<number>; publicUrl: string; now?: () => Date }) {
    this.#db = db;
    this.#mailer = mailer;
    this.#deletePrefix = deletePrefix;
    this.#publicUrl = publicUrl;
    this.#now = now;
    jobs.define(RETENTION_JOB, async () => void (await this.sweep()));
    jobs.every(RETENTION_JOB, '17 3 * * *');
  }

  /** Warns and deletes what is due; returns what it did. */
  async sweep(): Promise<{ warned: number; deleted: number }> {
    const now = this.#now();
    const warned = await this.#warn(now);
    const deleted = await this.#delete(now);
    return { warned, deleted };
  }

  async #warn(now: Date): Promise<number> {
    const due = await this.#db.answer.findMany({
      where: { recordingKey: { not: null }, recordingDeletedAt: null, retentionWarnedAt: null, retainUntil: { lte: new Date(now.getTime() + RETENTION_WARNING_DAYS * DAY_MS) } },
      include: { question: { select: { text: true } }, user: { select: { email: true } } },
      orderBy: { retainUntil: 'asc' },
      take: SWEEP_BATCH,
    });
    const byUser = new Map<string, typeof due>();
    for (const a of due) byUser.set(a.userId, [...(byUser.get(a.userId) ?? []), a]);
    for (const [userId, answers] of byUser) {
      const email = answers[0]!.user.email;
      // A guest has no address: their recordings go at the date without a mail (the page says when).
      if (email) {
        const lines = answers.map((a) => `- ${a.question.text} (deleted after ${deletionDate(a.retainUntil!, now).toISOString().slice(0, 10)})\n  Keep it: ${this.#publicUrl}/answers/${a.id}`);
        await this.#mailer.send({
          to: email,
          subject: answers.length === 1 ? 'A recording of yours will be deleted soon' : `${answers.length} recordings of yours will be deleted soon`,
          text: `These recordings have not been watched or shared for a while and will be deleted:\n\n${lines.join('\n')}\n\nOpen one and choose "Keep it longer" to keep it. Transcripts and reports stay either way.`,
        });
      }
      await this.#db.answer.updateMany({ where: { id: { in: answers.map((a) => a.id) }, userId }, data: { retentionWarnedAt: now } });
    }
    return due.length;
  }

  async #delete(now: Date): Promise<number> {
    const due = await this.#db.answer.findMany({
      where: { recordingKey: { not: null }, recordingDeletedAt: null, retainUntil: { lte: now }, retentionWarnedAt: { lte: new Date(now.getTime() - RETENTION_WARNING_DAYS * DAY_MS) } },
      select: { id: true, userId: true, retainUntil: true },
      take: SWEEP_BATCH,
    });
    for (const a of due) {
      const objects = await this.#deletePrefix(`users/${a.userId}/answers/${a.id}/`);
      await this.#db.answer.update({ where: { id: a.id }, data: { recordingKey: null, recordingBytes: null, recordingDeletedAt: now, recordingNote: `The recording was deleted on ${now.toISOString().slice(0, 10)} after the plan's retention time; the transcript and report are kept.` } });
      await audit(this.#db, null, { action: 'retention.delete', targetType: 'answer', targetId: a.id, details: { ownerId: a.userId, objects, retainUntil: a.retainUntil?.toISOString() } });
    }
    return due.length;
  }
}

/** When a warned recording actually goes: its date, but never sooner than the warning period after the mail. */
function deletionDate(retainUntil: Date, warnedAt: Date): Date {
  return new Date(Math.max(retainUntil.getTime(), warnedAt.getTime() + RETENTION_WARNING_DAYS * DAY_MS));
}
