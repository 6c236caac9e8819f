// Finished answers as the media server leaves them (status, duration, a report with the transcript,
// its summary and key figures, and, for the browser, a real recording in S3), for tests that need
// history without recording any.
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { reportFigures, summarizeAnswer, type TimedWord } from '@rehearse/analysis';
import type { App } from '@rehearse/api';

/** Timed words for a script: ~150 words a minute, a longer gap after each sentence. */
export function spoken(script: string, { start = 0.5, wordSeconds = 0.3, gap = 0.1 } = {}): TimedWord[] {
  let t = start;
  return script
    .split(/\s+/)
    .filter(Boolean)
    .map((token) => {
      const text = token.toLowerCase().replace(/[^a-z0-9']/g, '');
      const word: TimedWord = { text, start: t, end: t + wordSeconds, confidence: 0.9, punctuated: token };
      t += wordSeconds + (/[.!?]$/.test(token) ? 0.6 : gap);
      return word;
    })
    .filter((w) => w.text.length > 0);
}

export interface FinishedAnswerOptions {
  userId: string;
  questionId: string;
  script: string;
  createdAt?: Date;
  status?: 'ready' | 'interrupted' | 'recording';
  mockInterviewId?: string;
  mockPosition?: number;
  parentAnswerId?: string;
}

export async function finishedAnswer({ db }: Pick<App, 'db'>, { userId, questionId, script, createdAt = new Date(), status = 'ready', ...link }: FinishedAnswerOptions): Promise<string> {
  const words = spoken(script);
  const duration = Math.max(1, (words.at(-1)?.end ?? 0) + 1);
  const answer = await db.answer.create({
    data: { userId, questionId, mediaUrl: 'ws://media.invalid', status, createdAt, startedAt: createdAt, stoppedAt: createdAt, durationMs: Math.round(duration * 1000), ...link },
  });
  if (status === 'recording') return answer.id;
  const summary = summarizeAnswer(words, { duration });
  await db.answerReport.create({
    data: { answerId: answer.id, engine: 'pocketsphinx', durationMs: Math.round(duration * 1000), words: words as object[], summary: summary as object, spans: [{ engine: 'pocketsphinx', from: 0, to: duration }], ...reportFigures(summary) },
  });
  return answer.id;
}

/**
 * A finished answer whose recording is `webm` (a real, playable file of `durationMs`) in the
 * product's bucket, where the media server would have written it.
 */
export async function recordedAnswer({ db }: Pick<App, 'db'>, { s3, bucket }: { s3: S3Client; bucket: string }, options: FinishedAnswerOptions & { webm: Buffer; durationMs: number }): Promise<string> {
  const { webm, durationMs, ...answer } = options;
  const answerId = await finishedAnswer({ db }, answer);
  const key = `users/${answer.userId}/answers/${answerId}/answer.webm`;
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: webm, ContentType: 'video/webm' }));
  await db.answer.update({ where: { id: answerId }, data: { recordingKey: key, recordingBytes: BigInt(webm.length), container: 'webm', durationMs } });
  return answerId;
}

/** A story with every STAR part, numbers and "I": the kind of answer the coach praises. */
export const STRONG_STORY =
  'Last spring our checkout service kept timing out during sales, and customers abandoned their carts. I was asked to fix it before the summer sale in three weeks. ' +
  'I profiled the service, found that each request made twelve database calls, and I rewrote the pricing query into one. I also added a cache and load tested it with my teammate. ' +
  'As a result, checkout time dropped from four seconds to under one second, and abandoned carts fell by eighteen percent during the sale.';

/** A story without a result: the coach should ask what came of it. */
export const NO_RESULT_STORY =
  'Last year my team at the agency had a client who kept changing the brief for their website. I was the account lead, and my job was to keep the project on schedule. ' +
  'I set up a weekly call with the client, I wrote down every change request, and I showed them what each change would cost in time before we agreed to it. ' +
  'I also asked our designer to prepare two options for each page so the client could choose quickly.';
