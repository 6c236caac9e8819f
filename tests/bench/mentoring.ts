// Benchmark: mentoring.
// 1. Booking under contention: 200 seekers try to book 20 slots of one mentor at once (10 per
//    slot), over HTTP against the API on real PostgreSQL, where the exclusion constraint decides.
//    Baseline in the same run: 200 concurrent authenticated reads of a booking (GET /api/bookings/:id).
//    Bookings made must be exactly 20, with no two overlapping (checked in SQL).
// 2. A 1:1 call with the co-pilot in the running product: two Chromium pages (the candidate's
//    speech is a flite WAV); each page notes when each update of the live transcript was shown.
//    Two delays, on the mentor's page (the co-pilot) next to the candidate's own coaching panel (the
//    baseline), same call, same clock: the engine emitted an update → the page showed it; and, for
//    each update with a new word, the candidate's word → the page showed it (the word's end to the
//    update, on the answer's clock as the page's "ms behind" shows it, plus emitted → shown).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { createSession } from '@rehearse/api/auth/sessions';
import { fliteMicrophoneWav } from '@rehearse/testkit/speech';
import { startApi } from '../support/api.ts';
import { launchChromium } from '../support/browser.ts';
import { bookCall, callParties, makeJobDue, productDb, waitForRoom } from '../support/calls.ts';
import { startProduct } from '../support/product.ts';
import { percentile, table } from './measure.ts';

const SEEKERS = Number(process.env.BENCH_SEEKERS ?? 200);
const SLOTS = Number(process.env.BENCH_SLOTS ?? 20);
const CALL_SECONDS = Number(process.env.BENCH_CALL_SECONDS ?? 25);
const ms = (values: number[], p: number) => `${percentile(values, p).toFixed(0)} ms`;

// ---- 1. booking under contention ----------------------------------------------------------------
{
  const api = await startApi({ MENTOR_AUTO_APPROVE: 'true' });
  const { app, origin } = api;
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  // Accounts and sessions made directly (password hashing is not what is measured).
  const user = async (email: string) => {
    const row = await app.db.user.create({ data: { email, name: email.split('@')[0]!, roles: { create: [{ role: 'seeker' }] } } });
    const { token } = await createSession(app.db, row.id, { userAgent: 'bench', ipAddress: '127.0.0.1' });
    return { id: row.id, cookie: `rehearse_session=${token}` };
  };
  const mentor = await user('bench-mentor@example.com');
  const headers = (cookie: string) => ({ cookie, origin, 'content-type': 'application/json' });
  await fetch(`${base}/api/mentor/apply`, { method: 'POST', headers: headers(mentor.cookie), body: JSON.stringify({ price30: 5000, timezone: 'UTC' }) });
  const rules = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMinute: 0, endMinute: 24 * 60 }));
  const set = await fetch(`${base}/api/mentor/availability`, { method: 'PUT', headers: headers(mentor.cookie), body: JSON.stringify({ timezone: 'UTC', bufferMinutes: 0, minNoticeMinutes: 0, rules, exceptions: [] }) });
  if (set.status !== 200) throw new Error(`availability: ${await set.text()}`);
  const slots = ((await (await fetch(`${base}/api/mentors/${mentor.id}/slots?minutes=30&days=3`)).json()) as { slots: { startsAt: string }[] }).slots;
  // Every other slot: 30-minute calls on the half hour, none overlapping another.
  const chosen = slots.filter((s) => Date.parse(s.startsAt) % (30 * 60_000) === 0).slice(0, SLOTS);
  const seekers = await Promise.all(Array.from({ length: SEEKERS }, (_, i) => user(`bench-seeker-${i}@example.com`)));

  const timed = async (request: () => Promise<Response>) => {
    const started = performance.now();
    const response = await request();
    await response.arrayBuffer();
    return { status: response.status, ms: performance.now() - started };
  };
  const wall = performance.now();
  const attempts = await Promise.all(
    seekers.map((s, i) => timed(() => fetch(`${base}/api/bookings`, { method: 'POST', headers: headers(s.cookie), body: JSON.stringify({ mentorId: mentor.id, startsAt: chosen[i % chosen.length]!.startsAt, minutes: 30, priceCents: 5000 }) }))),
  );
  const wallMs = performance.now() - wall;
  const booked = attempts.filter((a) => a.status === 201).length;
  const refused = attempts.filter((a) => a.status === 409).length;
  const overlaps = await app.db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM bookings a JOIN bookings b ON a.mentor_id = b.mentor_id AND a.id < b.id
    WHERE a.status IN ('held', 'confirmed', 'completed') AND b.status IN ('held', 'confirmed', 'completed')
      AND tsrange(a.starts_at, a.blocked_until) && tsrange(b.starts_at, b.blocked_until)`;
  const one = (await app.db.booking.findFirstOrThrow({ where: { mentorId: mentor.id } }));
  const owner = seekers.find((s) => s.id === one.seekerId)!;
  const readWall = performance.now();
  const reads = await Promise.all(seekers.map(() => timed(() => fetch(`${base}/api/bookings/${one.id}`, { headers: { cookie: owner.cookie } }))));
  const readWallMs = performance.now() - readWall;
  await api.stop();

  process.stdout.write(`\nBooking under contention: ${SEEKERS} seekers at once over ${chosen.length} slots of one mentor (HTTP, real PostgreSQL, this machine's ${os.availableParallelism()} cores shared with the load)\n`);
  process.stdout.write(
    table(
      ['requests', 'p50', 'p99', 'wall time', 'per second'],
      [
        [`${SEEKERS} booking attempts: ${booked} booked, ${refused} refused (409)`, ms(attempts.map((a) => a.ms), 50), ms(attempts.map((a) => a.ms), 99), `${wallMs.toFixed(0)} ms`, `${((SEEKERS / wallMs) * 1000).toFixed(0)} attempts, ${((booked / wallMs) * 1000).toFixed(0)} bookings`],
        [`${SEEKERS} reads of a booking (baseline)`, ms(reads.map((a) => a.ms), 50), ms(reads.map((a) => a.ms), 99), `${readWallMs.toFixed(0)} ms`, `${((SEEKERS / readWallMs) * 1000).toFixed(0)}`],
      ],
    ),
  );
  process.stdout.write(`Double bookings: ${overlaps[0]!.n} (overlapping pairs in SQL); bookings made ${booked} of ${chosen.length} slots. Attempt p99 is ${(percentile(attempts.map((a) => a.ms), 99) / percentile(reads.map((a) => a.ms), 99)).toFixed(2)}× the read's.\n`);
  if (Number(overlaps[0]!.n) !== 0 || booked !== chosen.length) {
    process.stderr.write('booking benchmark: double bookings or missing bookings — this is a bug\n');
    process.exitCode = 1;
  }
}

// ---- 2. a call with the co-pilot ------------------------------------------------------------------
{
  const SCRIPT =
    'In my last role our billing system kept failing every night, and customers noticed before we did. ' +
    'My task was to find out why and to make sure it stopped. I traced the failures to the import job, rewrote it ' +
    'in smaller steps, and added alerts so the team heard about problems first. As a result, failures dropped to zero ' +
    'within a month, and support tickets about billing halved.';
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-bench-call-'));
  const wav = await fliteMicrophoneWav(SCRIPT, path.join(dir, 'speech.wav'));
  const [product, browser] = await Promise.all([startProduct({ MENTOR_AUTO_APPROVE: 'true' }), launchChromium({ fakeAudioFile: wav })]);
  const origin = new URL(product.url).origin;
  const db = productDb(product);
  const delays: Record<'mentor' | 'candidate', number[]> = { mentor: [], candidate: [] };
  const wordDelays: Record<'mentor' | 'candidate', number[]> = { mentor: [], candidate: [] };
  try {
    const parties = await callParties(browser, origin, 'bench');
    const id = await bookCall(parties, origin);
    await makeJobDue(db, 'booking.open-room', id);
    await waitForRoom(db, id);
    const pages: Record<'mentor' | 'candidate', Page> = { mentor: await parties.mentor.newPage(), candidate: await parties.seeker.newPage() };
    for (const page of Object.values(pages)) {
      // Every change of the transcript's engine time is one update shown: note when.
      await page.addInitScript(() => {
        const seen: { engineAt: number; shownAt: number; wordEnd: number; behindMs: number }[] = [];
        (window as unknown as { __shown: typeof seen }).__shown = seen;
        new MutationObserver(() => {
          const transcript = document.querySelector('[data-testid=live-transcript]');
          const engineAt = Number(transcript?.getAttribute('data-engine-at'));
          if (!engineAt || seen.at(-1)?.engineAt === engineAt) return;
          const wordEnd = Number(transcript?.getAttribute('data-latest-word-end') || NaN);
          const behindMs = Number(document.querySelector('[data-testid=live-delay-ms]')?.getAttribute('data-delay-ms') || NaN);
          seen.push({ engineAt, shownAt: Date.now(), wordEnd, behindMs });
        }).observe(document, { subtree: true, attributes: true, childList: true });
      });
      await page.goto(`${product.url}/calls/${id}`);
      await page.getByTestId('consent').check();
    }
    await pages.candidate.getByTestId('join-call').click();
    await pages.mentor.getByTestId('join-call').click();
    await pages.mentor.waitForSelector('[data-testid=call-status][data-recording=recording]', { timeout: 30_000 });
    await new Promise((r) => setTimeout(r, CALL_SECONDS * 1000));
    for (const [role, page] of Object.entries(pages) as ['mentor' | 'candidate', Page][]) {
      const shown = await page.evaluate(() => (window as unknown as { __shown: { engineAt: number; shownAt: number; wordEnd: number; behindMs: number }[] }).__shown);
      delays[role] = shown.map((s) => s.shownAt - s.engineAt);
      // Only updates that brought a new word say how far that word is behind.
      wordDelays[role] = shown.filter((s, i) => Number.isFinite(s.wordEnd) && Number.isFinite(s.behindMs) && s.wordEnd !== shown[i - 1]?.wordEnd).map((s) => s.behindMs + (s.shownAt - s.engineAt));
    }
    await pages.mentor.getByTestId('end-call').click();
    await pages.mentor.waitForURL(`**/calls/${id}/summary`, { timeout: 60_000 });
  } finally {
    await db.$disconnect();
    await browser.close();
    await product.stop();
    await rm(dir, { recursive: true, force: true });
  }
  process.stdout.write(`\nA 1:1 call with the co-pilot (${CALL_SECONDS} s, Chromium ×2, PocketSphinx)\n`);
  process.stdout.write(
    table(
      ['page', "candidate's word → shown p50", 'p95', 'new words', 'engine emitted → shown p50', 'p95', 'updates'],
      [
        ["the candidate's own coaching panel (baseline)", ms(wordDelays.candidate, 50), ms(wordDelays.candidate, 95), String(wordDelays.candidate.length), ms(delays.candidate, 50), ms(delays.candidate, 95), String(delays.candidate.length)],
        ["the mentor's co-pilot", ms(wordDelays.mentor, 50), ms(wordDelays.mentor, 95), String(wordDelays.mentor.length), ms(delays.mentor, 50), ms(delays.mentor, 95), String(delays.mentor.length)],
      ],
    ),
  );
  process.stdout.write(`The co-pilot's p95 is ${(percentile(delays.mentor, 95) / Math.max(1, percentile(delays.candidate, 95))).toFixed(2)}× the candidate's own.\n`);
}
