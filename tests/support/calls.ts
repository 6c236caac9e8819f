// A booked mentor call set up through the running product's API, for the browser test and the
// co-pilot benchmark: a mentor (applied, available every day), a seeker, a paid booking an hour
// or more off, and its room opened by making the room's queue job due now; and an answer started
// in a page, as a candidate starts one.
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadConfig } from '@rehearse/core/config';
import { createS3Client } from '@rehearse/core/storage';
import { createPrismaClient } from '@rehearse/db';
import type { RunningProduct } from './product.ts';

export type Db = ReturnType<typeof createPrismaClient>;

export function productDb(product: RunningProduct): Db {
  return createPrismaClient(`postgresql://rehearse:rehearse-local@127.0.0.1:${product.ports[3]}/rehearse`);
}

/** The product's embedded S3, on its private socket (the tests run as the user who owns it), and its bucket. */
export function productS3(product: RunningProduct): { s3: S3Client; bucket: string } {
  const { storage } = loadConfig({ NODE_ENV: 'test', DATA_DIR: product.dataDir });
  return { s3: createS3Client({ ...storage, endpoint: `unix://${path.join(product.dataDir, 'run', 's3.sock')}` }), bucket: storage.bucket };
}

export interface CallParties {
  mentor: BrowserContext;
  seeker: BrowserContext;
  mentorId: string;
}

/** A JSON call as the signed-in context (its cookies), with the site's Origin. */
export async function contextApi(context: BrowserContext, origin: string, method: 'GET' | 'POST' | 'PUT', url: string, data?: object) {
  const response = await context.request.fetch(`${origin}${url}`, { method, headers: { origin }, ...(data ? { data } : {}) });
  return { status: response.status(), body: await response.json().catch(() => null) };
}

export async function signedUpContext(browser: Browser, origin: string, email: string, name: string): Promise<BrowserContext> {
  const context = await browser.newContext();
  const response = await context.request.post(`${origin}/api/auth/signup`, { headers: { origin }, data: { email, password: 'a long enough password', name } });
  if (response.status() !== 201) throw new Error(`sign-up of ${email} failed: ${await response.text()}`);
  return context;
}

/** A mentor (needs MENTOR_AUTO_APPROVE) free at every hour, and a seeker. */
export async function callParties(browser: Browser, origin: string, tag: string): Promise<CallParties> {
  const mentor = await signedUpContext(browser, origin, `${tag}-mentor@example.com`, 'Maya Mentor');
  const seeker = await signedUpContext(browser, origin, `${tag}-seeker@example.com`, 'Sam Seeker');
  const applied = await contextApi(mentor, origin, 'POST', '/api/mentor/apply', { headline: 'Engineering manager', price30: 5000, timezone: 'UTC' });
  if (applied.status !== 201) throw new Error(`apply failed: ${JSON.stringify(applied.body)}`);
  const rules = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMinute: 0, endMinute: 24 * 60 }));
  const set = await contextApi(mentor, origin, 'PUT', '/api/mentor/availability', { timezone: 'UTC', bufferMinutes: 0, minNoticeMinutes: 0, rules, exceptions: [] });
  if (set.status !== 200) throw new Error(`availability failed: ${JSON.stringify(set.body)}`);
  return { mentor, seeker, mentorId: applied.body.mentor.id as string };
}

/** Books and pays (test mode) a 30-minute call at least `leadMs` (an hour) off, so its room's job waits in the queue. */
export async function bookCall({ seeker, mentorId }: CallParties, origin: string, leadMs = 3600_000): Promise<string> {
  const { body } = await contextApi(seeker, origin, 'GET', `/api/mentors/${mentorId}/slots?minutes=30&days=2`);
  const slot = body.slots.find((s: { startsAt: string }) => Date.parse(s.startsAt) > Date.now() + leadMs);
  const held = await contextApi(seeker, origin, 'POST', '/api/bookings', { mentorId, startsAt: slot.startsAt, minutes: 30, priceCents: body.priceCents });
  if (held.status !== 201) throw new Error(`booking failed: ${JSON.stringify(held.body)}`);
  const id = held.body.booking.id as string;
  const paid = await contextApi(seeker, origin, 'POST', `/api/bookings/${id}/test-checkout/complete`);
  if (paid.body?.booking?.status !== 'confirmed') throw new Error(`payment failed: ${JSON.stringify(paid.body)}`);
  return id;
}

/** Moves one of a booking's queued jobs to now (the queue's clock, for this job), as if its time had come; the count of jobs moved. */
export function makeJobDue(db: Db, job: string, bookingId: string): Promise<number> {
  return db.$executeRaw`UPDATE pgboss.job SET start_after = now() WHERE name = ${job} AND data->>'bookingId' = ${bookingId} AND state = 'created'`;
}

export async function waitForRoom(db: Db, bookingId: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await db.booking.findUniqueOrThrow({ where: { id: bookingId } })).roomOpenedAt === null) {
    if (Date.now() > deadline) throw new Error('the room did not open');
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Opens the practice page of the bank's first question in `context` and starts an answer, waiting
 * until it records; returns the page and the answer's id.
 */
export async function startAnswerInPage(context: BrowserContext, origin: string, db: Db): Promise<{ page: Page; answerId: string }> {
  const page = await context.newPage();
  const question = await db.question.findFirstOrThrow({ where: { ownerId: null, source: 'bank' }, orderBy: { slug: 'asc' } });
  await page.goto(`${origin}/practice/${question.id}`);
  await page.waitForFunction(() => {
    const start = document.querySelector<HTMLButtonElement>('[data-testid=start-answer]');
    return start !== null && !start.disabled;
  });
  const started = page.waitForResponse((r) => r.url().endsWith('/api/answers') && r.request().method() === 'POST');
  await page.getByTestId('start-answer').click();
  const { answer } = (await (await started).json()) as { answer: { id: string } };
  await page.waitForFunction(() => document.querySelector('[data-testid=recording-state]')?.getAttribute('data-state') === 'recording', null, { timeout: 30_000 });
  return { page, answerId: answer.id };
}
