// Mentoring through the API over real PostgreSQL and S3, in the local billing test mode: becoming a
// mentor, the directory, availability, holding and booking slots (the exclusion constraint against
// concurrent seekers), paying, the call's timeline on the PostgreSQL job queue with its clock
// driven by the test (room open and close, no-shows, the saved card charged, the mentor paid after
// the dispute window), cancellations with refunds, reviews, and the calendar invites mailed.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import ICAL from 'ical.js';
import { TestClock } from 'pg-boss';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '@rehearse/api';
import { startStripeServer, type StripeTestServer } from '@rehearse/testkit/stripeServer';
import { PNG, signUp, startApi, type TestApi } from './support/api.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** A request to the API as `cookie`'s user from the site's origin. */
function injectAs(app: App, origin: string, method: string, url: string, cookie?: string, payload?: object) {
  return app.inject({ method: method as 'GET', url, headers: { origin, ...(cookie ? { cookie } : {}) }, ...(payload ? { payload } : {}) });
}

/** Moves the queue's clock (and the API's, which reads it) and waits until `done` holds. */
async function advanceQueueClock(clock: TestClock, ms: number, done: () => Promise<boolean>) {
  await clock.setTime(ms);
  await vi.waitFor(async () => {
    await clock.tick(1_000);
    if (!(await done())) throw new Error(`not yet at ${new Date(ms).toISOString()}`);
  }, { timeout: 20_000, interval: 200 });
}

describe('mentoring', () => {
  let api: TestApi;
  let app: App;
  let origin: string;
  const clock = new TestClock(Date.UTC(2027, 2, 1, 8, 0)); // Monday 2027-03-01 08:00 UTC
  let mentor: { cookie: string; id: string };
  let other: { cookie: string; id: string };
  let seeker: { cookie: string; id: string };

  const call = (method: string, url: string, cookie?: string, payload?: object) => injectAs(app, origin, method, url, cookie, payload);
  const at = (ms: number) => new Date(clock.now() + ms).toISOString();
  const advanceTo = (ms: number, done: () => Promise<boolean>) => advanceQueueClock(clock, ms, done);
  /** A weekday (Monday–Friday) at least `days` ahead of the queue's clock, at `hour` UTC. */
  const weekday = (days: number, hour: number) => {
    const d = new Date(clock.now() + days * DAY);
    while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), hour)).toISOString();
  };
  const row = (id: string) => app.db.booking.findUniqueOrThrow({ where: { id } });
  /** Whether every open-room job of a booking has run (the queue has done what was due). */
  const payoutOrOpenJobsSettled = async (id: string) =>
    (await app.db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pgboss.job WHERE name = 'booking.open-room' AND data->>'bookingId' = ${id} AND state = 'created' AND start_after <= ${new Date(clock.now())}`)[0]!.n === 0n;
  async function becomeMentor(user: { cookie: string; id: string }, body: object) {
    const applied = await call('POST', '/api/mentor/apply', user.cookie, body);
    expect(applied.statusCode, applied.body).toBe(201);
    return applied.json().mentor;
  }
  async function book(cookie: string, mentorId: string, startsAt: string, minutes = 30, priceCents = 6000) {
    return call('POST', '/api/bookings', cookie, { mentorId, startsAt, minutes, priceCents });
  }
  async function bookAndPay(cookie: string, mentorId: string, startsAt: string, minutes = 30, priceCents = 6000) {
    const held = await book(cookie, mentorId, startsAt, minutes, priceCents);
    expect(held.statusCode, held.body).toBe(201);
    const id = held.json().booking.id as string;
    const paid = await call('POST', `/api/bookings/${id}/test-checkout/complete`, cookie);
    expect(paid.statusCode, paid.body).toBe(200);
    return paid.json().booking;
  }

  beforeAll(async () => {
    api = await startApi({ MENTOR_AUTO_APPROVE: 'false', MENTOR_FEE_PERCENT: '20' }, { jobs: { clock, pollSeconds: 0.5 } });
    ({ app, origin } = api);
    await app.ready();
    [mentor, other, seeker] = await Promise.all([signUp(app, origin, 'mentor@example.com'), signUp(app, origin, 'other-mentor@example.com'), signUp(app, origin, 'seeker@example.com')]);
    await app.db.user.update({ where: { id: mentor.id }, data: { name: 'Maya Mentor' } });
    await app.db.user.update({ where: { id: seeker.id }, data: { name: 'Sam Seeker' } });
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
  });

  it('lets anyone apply, and only an admin-approved mentor use the mentor routes', async () => {
    const profile = await becomeMentor(mentor, { headline: 'Staff engineer, 200+ interviews run', bio: 'I run system design loops.', topics: ['System Design', 'behavioural'], languages: ['en', 'de'], price15: 2500, price30: 6000, price45: null, timezone: 'Europe/Berlin' });
    expect(profile).toMatchObject({ status: 'applied', topics: ['system design', 'behavioural'], prices: { 15: 2500, 30: 6000, 45: null } });
    // Not approved yet: mentor routes refuse, nothing changes, the directory does not list them.
    const refused = await call('PUT', '/api/mentor/availability', mentor.cookie, { timezone: 'UTC', bufferMinutes: 0, minNoticeMinutes: 0, rules: [{ weekday: 1, startMinute: 0, endMinute: 1440 }], exceptions: [] });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('NOT_A_MENTOR');
    expect(await app.db.availabilityRule.count()).toBe(0);
    expect((await call('GET', '/api/mentors')).json().mentors).toEqual([]);
    expect((await call('GET', `/api/mentors/${mentor.id}`)).statusCode).toBe(404);
    expect((await call('POST', '/api/mentor/apply', mentor.cookie, {})).json().error.code).toBe('ALREADY_APPLIED');
    // Only an admin approves.
    expect((await call('POST', `/api/admin/mentors/${mentor.id}/approve`, seeker.cookie)).statusCode).toBe(403);
    const admin = await signUp(app, origin, 'admin@example.com');
    await app.db.userRole.create({ data: { userId: admin.id, role: 'admin' } });
    expect((await call('GET', '/api/admin/mentors?status=applied', admin.cookie)).json().mentors.map((m: { id: string }) => m.id)).toEqual([mentor.id]);
    expect((await call('POST', `/api/admin/mentors/${mentor.id}/approve`, admin.cookie)).json().mentor.status).toBe('approved');

    // Monday to Friday 09:00–17:00 Berlin time, 10 minutes between calls, an hour's notice.
    const rules = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 9 * 60, endMinute: 17 * 60 }));
    const set = await call('PUT', '/api/mentor/availability', mentor.cookie, { timezone: 'Europe/Berlin', bufferMinutes: 10, minNoticeMinutes: 60, rules, exceptions: [{ date: '2027-03-03', kind: 'off', startMinute: null, endMinute: null }] });
    expect(set.statusCode, set.body).toBe(200);
    // Bad availability: a clear error, nothing replaced.
    for (const [body, code] of [
      [{ timezone: 'Mars/Olympus', bufferMinutes: 0, minNoticeMinutes: 0, rules: [], exceptions: [] }, 'INVALID_TIMEZONE'],
      [{ timezone: 'UTC', bufferMinutes: 0, minNoticeMinutes: 0, rules: [{ weekday: 1, startMinute: 600, endMinute: 540 }], exceptions: [] }, 'INVALID_WINDOW'],
      [{ timezone: 'UTC', bufferMinutes: 0, minNoticeMinutes: 0, rules: [{ weekday: 8, startMinute: 0, endMinute: 60 }], exceptions: [] }, 'VALIDATION_FAILED'],
    ] as const) {
      const bad = await call('PUT', '/api/mentor/availability', mentor.cookie, body);
      expect(bad.json().error?.code, JSON.stringify(body)).toBe(code);
    }
    expect(await app.db.availabilityRule.count({ where: { mentorId: mentor.id } })).toBe(5);

    // A non-mentor calling mentor routes: refused, nothing written.
    for (const [method, url, body] of [
      ['PATCH', '/api/mentor/profile', { bio: 'x' }],
      ['GET', '/api/mentor/availability', undefined],
      ['PUT', '/api/mentor/availability', { timezone: 'UTC', bufferMinutes: 0, minNoticeMinutes: 0, rules: [], exceptions: [] }],
      ['POST', '/api/mentor/payouts/onboard', undefined],
      ['POST', '/api/mentor/payouts/test-onboarding/complete', undefined],
      ['GET', '/api/mentor/earnings', undefined],
    ] as const) {
      const response = await call(method, url, seeker.cookie, body);
      expect(response.statusCode, `${method} ${url}`).toBe(403);
    }
    expect(await app.db.mentorProfile.count({ where: { userId: seeker.id } })).toBe(0);
  });

  it('lists approved mentors with filters, search, price, rating and the next free slot', async () => {
    await becomeMentor(other, { headline: 'Product leader', topics: ['product sense'], languages: ['es'], price45: 15000 });
    await app.db.userRole.create({ data: { userId: other.id, role: 'mentor' } });
    await app.db.mentorProfile.update({ where: { userId: other.id }, data: { status: 'approved' } });
    // The profile's photo is the account's picture, public once the mentor is approved.
    const photo = (id: string) => app.inject({ method: 'GET', url: `/api/mentors/${id}/photo` });
    expect((await photo(mentor.id)).json().error.code).toBe('NO_PHOTO');
    for (const user of [mentor, seeker]) expect((await app.inject({ method: 'PUT', url: '/api/me/avatar', headers: { cookie: user.cookie, origin, 'content-type': 'image/png' }, payload: PNG })).statusCode).toBeLessThan(300);
    const shown = await photo(mentor.id);
    expect(shown.statusCode).toBe(200);
    expect(shown.headers['content-type']).toBe('image/webp');
    expect(shown.rawPayload.subarray(8, 12).toString()).toBe('WEBP');
    expect((await photo(seeker.id)).statusCode).toBe(404); // not a mentor: the picture stays private
    expect((await photo(other.id)).json().error.code).toBe('NO_PHOTO');
    const list = async (query = '') => ((await call('GET', `/api/mentors${query}`)).json().mentors as { id: string; nextFreeSlot: string | null }[]).map((m) => m.id);
    expect(await list()).toEqual([mentor.id, other.id]);
    expect(await list('?topic=System%20Design')).toEqual([mentor.id]);
    expect(await list('?language=es')).toEqual([other.id]);
    expect(await list('?maxPrice=3000')).toEqual([mentor.id]);
    expect(await list('?minutes=45')).toEqual([other.id]);
    expect(await list('?q=staff')).toEqual([mentor.id]);
    expect(await list('?q=nobody-matches-this')).toEqual([]);
    // The other mentor has no availability: no next slot, and a "free within a week" filter drops them.
    expect(await list('?freeWithinDays=7')).toEqual([mentor.id]);
    const [first] = (await call('GET', '/api/mentors?topic=behavioural')).json().mentors;
    // Monday 08:00 UTC = 09:00 Berlin; an hour's notice: 10:00 Berlin = 09:00 UTC.
    expect(first.nextFreeSlot).toBe('2027-03-01T09:00:00.000Z');
    expect((await call('GET', '/api/mentors?maxPrice=-1')).json().error.code).toBe('VALIDATION_FAILED');
  });

  it('lists slots in the mentor’s week, without the day off, and refuses lengths not offered', async () => {
    const slots = await call('GET', `/api/mentors/${mentor.id}/slots?minutes=30&days=3`);
    expect(slots.statusCode, slots.body).toBe(200);
    const body = slots.json();
    expect(body).toMatchObject({ minutes: 30, priceCents: 6000, currency: 'usd' });
    const days = new Set((body.slots as { startsAt: string }[]).map((s) => s.startsAt.slice(0, 10)));
    expect([...days]).toEqual(['2027-03-01', '2027-03-02']); // Wednesday the 3rd is off
    expect(body.slots[0].startsAt).toBe('2027-03-01T09:00:00.000Z');
    expect(body.slots.at(-1).startsAt).toBe('2027-03-02T15:30:00.000Z'); // 16:30 Berlin, ends 17:00
    expect((await call('GET', `/api/mentors/${mentor.id}/slots?minutes=45`)).json().error.code).toBe('LENGTH_NOT_OFFERED');
    expect((await call('GET', `/api/mentors/${seeker.id}/slots?minutes=30`)).json().error.code).toBe('MENTOR_NOT_FOUND');
  });

  it('books one slot for exactly one of 50 seekers trying at once', async () => {
    const seekers = await Promise.all(Array.from({ length: 50 }, (_, i) => signUp(app, origin, `crowd-${i}@example.com`)));
    const startsAt = '2027-03-02T10:00:00.000Z';
    const responses = await Promise.all(seekers.map((s) => book(s.cookie, mentor.id, startsAt)));
    const codes = responses.map((r) => (r.statusCode === 201 ? 'booked' : `${r.statusCode} ${r.json().error.code}`));
    expect(codes.filter((c) => c === 'booked'), codes.join(', ')).toHaveLength(1);
    expect(codes.filter((c) => c === '409 SLOT_TAKEN'), codes.join(', ')).toHaveLength(49);
    expect(await app.db.booking.count({ where: { mentorId: mentor.id, startsAt: new Date(startsAt) } })).toBe(1);
    // Overlaps of other lengths are refused too, buffer included: a 15-minute call at 10:30 would
    // start inside the 10-minute buffer, and one at 09:45 would run into the booked call.
    expect((await book(seeker.cookie, mentor.id, '2027-03-02T10:30:00.000Z', 15, 2500)).json().error.code).toBe('SLOT_TAKEN');
    expect((await book(seeker.cookie, mentor.id, '2027-03-02T09:45:00.000Z', 15, 2500)).json().error.code).toBe('SLOT_TAKEN');
    // The database refuses an overlapping insert that skipped every check.
    const winner = await app.db.booking.findFirstOrThrow({ where: { mentorId: mentor.id, startsAt: new Date(startsAt) } });
    await expect(app.db.booking.create({ data: { ...winner, id: undefined, seekerId: seeker.id, startsAt: new Date('2027-03-02T10:20:00Z'), endsAt: new Date('2027-03-02T10:35:00Z'), blockedUntil: new Date('2027-03-02T10:45:00Z') } })).rejects.toThrow(/bookings_no_overlap|23P01|exclusion/i);
    const slots = (await call('GET', `/api/mentors/${mentor.id}/slots?minutes=15&from=2027-03-02T09:00:00.000Z&days=1`)).json().slots.map((s: { startsAt: string }) => s.startsAt.slice(11, 16));
    expect(slots).not.toContain('10:00');
    expect(slots).not.toContain('10:30');
    expect(slots).toContain('10:45');
    expect(slots).not.toContain('09:45');
    expect(slots).toContain('09:30');
  }, 120_000);

  it('refuses bad bookings with clear errors and writes nothing', async () => {
    const before = await app.db.booking.count();
    const cases: [object, number, string][] = [
      [{ mentorId: mentor.id, startsAt: '2027-02-28T10:00:00.000Z', minutes: 30, priceCents: 6000 }, 400, 'BOOKING_IN_PAST'],
      [{ mentorId: mentor.id, startsAt: '2027-03-01T08:30:00.000Z', minutes: 30, priceCents: 6000 }, 409, 'SLOT_NOT_AVAILABLE'], // inside the notice
      [{ mentorId: mentor.id, startsAt: '2027-03-03T10:00:00.000Z', minutes: 30, priceCents: 6000 }, 409, 'SLOT_NOT_AVAILABLE'], // the day off
      [{ mentorId: mentor.id, startsAt: '2027-03-01T10:05:00.000Z', minutes: 30, priceCents: 6000 }, 409, 'SLOT_NOT_AVAILABLE'], // off the quarter hour
      [{ mentorId: other.id, startsAt: '2027-03-01T10:00:00.000Z', minutes: 45, priceCents: 15000 }, 409, 'SLOT_NOT_AVAILABLE'], // another mentor's time
      [{ mentorId: mentor.id, startsAt: '2027-03-01T10:00:00.000Z', minutes: 30, priceCents: 1 }, 409, 'PRICE_CHANGED'], // a tampered price
      [{ mentorId: mentor.id, startsAt: '2027-03-01T10:00:00.000Z', minutes: 45, priceCents: 0 }, 409, 'LENGTH_NOT_OFFERED'],
      [{ mentorId: mentor.id, startsAt: '2027-03-01T10:00:00.000Z', minutes: 20, priceCents: 6000 }, 400, 'VALIDATION_FAILED'],
      [{ mentorId: mentor.id, startsAt: '2027-03-01T10:00:00.000Z', minutes: 30, priceCents: 6000, feeCents: 0 }, 400, 'VALIDATION_FAILED'],
      [{ mentorId: '00000000-0000-4000-8000-000000000000', startsAt: '2027-03-01T10:00:00.000Z', minutes: 30, priceCents: 6000 }, 404, 'MENTOR_NOT_FOUND'],
      [{ mentorId: mentor.id, startsAt: '2028-03-01T10:00:00.000Z', minutes: 30, priceCents: 6000 }, 400, 'BOOKING_TOO_FAR'],
    ];
    for (const [body, status, code] of cases) {
      const response = await call('POST', '/api/bookings', seeker.cookie, body);
      expect(`${response.statusCode} ${response.json().error?.code}`, JSON.stringify(body)).toBe(`${status} ${code}`);
    }
    expect((await book(mentor.cookie, mentor.id, '2027-03-01T10:00:00.000Z')).json().error.code).toBe('OWN_CALENDAR');
    expect((await call('POST', '/api/bookings', undefined, cases[0]![0])).statusCode).toBe(401);
    expect(await app.db.booking.count()).toBe(before);
  });

  it('caps unpaid holds per seeker, and lets a hold run out so the slot is free again', async () => {
    const flood = await signUp(app, origin, 'flood@example.com');
    const starts = ['2027-03-01T11:00:00.000Z', '2027-03-01T12:00:00.000Z', '2027-03-01T13:00:00.000Z', '2027-03-01T14:00:00.000Z'];
    const held = [];
    for (const s of starts) held.push(await book(flood.cookie, mentor.id, s));
    expect(held.map((r) => r.statusCode)).toEqual([201, 201, 201, 429]);
    expect(held[3]!.json().error.code).toBe('TOO_MANY_HOLDS');
    const first = held[0]!.json().booking;
    expect(first).toMatchObject({ status: 'held', paid: false, holdExpiresAt: at(30 * 60_000) });
    // 31 minutes later the queue's job has expired the holds, the slot is free, and paying is refused.
    await advanceTo(clock.now() + 31 * 60_000, async () => (await row(first.id)).status === 'expired');
    expect((await call('POST', `/api/bookings/${first.id}/checkout`, flood.cookie)).json().error.code).toBe('NOT_PAYABLE');
    const again = await book(seeker.cookie, mentor.id, starts[0]!);
    expect(again.statusCode, again.body).toBe(201);
    expect((await call('POST', `/api/bookings/${again.json().booking.id}/cancel`, seeker.cookie)).json().booking.status).toBe('canceled');
  });

  it('runs a paid call from booking to the mentor’s payout on the job queue, with invites, a review and the rating', async () => {
    const booking = await bookAndPay(seeker.cookie, mentor.id, '2027-03-02T13:00:00.000Z');
    expect(booking).toMatchObject({ status: 'confirmed', paid: true, testMode: true, priceCents: 6000, room: { open: false } });
    const paidRow = await row(booking.id);
    expect(paidRow).toMatchObject({ feeCents: 1200, paymentIntentId: expect.stringMatching(/^pi_test_/) });
    // Both got the booking mail with a calendar invite: one UID, sequence 0, the right times.
    const mails = await app.db.outboxEmail.findMany({ where: { subject: { startsWith: 'Booked:' } } });
    expect(mails.map((m) => m.to).sort()).toEqual(['mentor@example.com', 'seeker@example.com']);
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(mails[0]!.calendar!)).getFirstSubcomponent('vevent')!);
    expect(event.uid).toBe(`booking-${booking.id}@localhost`);
    expect(event.startDate.toJSDate().toISOString()).toBe('2027-03-02T13:00:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2027-03-02T13:30:00.000Z');
    expect(event.component.getFirstPropertyValue('sequence')).toBe(0);
    expect(event.component.getAllSubcomponents('valarm')).toHaveLength(2);
    // A REQUEST names its attendees (RFC 5546), so calendars treat a later one as an update.
    expect(event.component.getFirstPropertyValue('organizer')).toMatch(/^mailto:/);
    expect(event.attendees.map((a) => String(a.getFirstValue()).toLowerCase()).sort()).toEqual(['mailto:mentor@example.com', 'mailto:seeker@example.com']);

    // The day before and 15 minutes before: the reminders; five minutes before: the room opens.
    const start = Date.parse(booking.startsAt);
    const reminders = (prefix: string) => app.db.outboxEmail.findMany({ where: { subject: { startsWith: prefix }, text: { contains: booking.id } } });
    await advanceTo(start - 24 * HOUR + 1_000, async () => (await reminders('Tomorrow:')).length === 2);
    expect((await call('POST', `/api/bookings/${booking.id}/review`, seeker.cookie, { rating: 5 })).json().error.code).toBe('CALL_NOT_COMPLETED');
    await clock.setTime(start - 15 * 60_000 - 60_000);
    await clock.tick(2_000);
    expect(await reminders('In 15 minutes:')).toHaveLength(0);
    await advanceTo(start - 15 * 60_000 + 1_000, async () => (await reminders('In 15 minutes:')).length === 2);
    expect((await reminders('In 15 minutes:')).map((m) => m.to).sort()).toEqual(['mentor@example.com', 'seeker@example.com']);
    await advanceTo(start - 4 * 60_000, async () => (await row(booking.id)).roomOpenedAt !== null);
    expect((await call('GET', `/api/bookings/${booking.id}`, seeker.cookie)).json().booking.room.open).toBe(true);
    expect((await call('POST', `/api/bookings/${booking.id}/cancel`, seeker.cookie)).json().error).toBeUndefined(); // not yet started: allowed…
    // …so book another to carry on (the cancelled one refunded nothing: less than 24 h before).
    const cancelled = await row(booking.id);
    expect(cancelled).toMatchObject({ status: 'canceled', canceledBy: 'seeker', refundedCents: 0 });

    const live = await bookAndPay(seeker.cookie, mentor.id, '2027-03-02T15:00:00.000Z');
    const liveStart = Date.parse(live.startsAt);
    await advanceTo(liveStart - 4 * 60_000, async () => (await row(live.id)).roomOpenedAt !== null);
    // The mentor is in the room (the media server records presence on the booking), the seeker not
    // yet: the mentor cannot end the call (and be paid for it); the no-show rule would decide.
    await app.db.booking.update({ where: { id: live.id }, data: { mentorJoinedAt: new Date(liveStart - 60_000) } });
    const endEarly = await call('POST', `/api/calls/${live.id}/end`, mentor.cookie);
    expect(endEarly.json().error.code, endEarly.body).toBe('OTHER_PARTY_NOT_JOINED');
    expect(await row(live.id)).toMatchObject({ status: 'confirmed' });
    // Both are in.
    await app.db.booking.update({ where: { id: live.id }, data: { seekerJoinedAt: new Date(liveStart + 30_000) } });
    await clock.setTime(liveStart + 60_000);
    // The mentor's notes: theirs to write, the seeker's to read in the summary.
    expect((await call('PUT', `/api/calls/${live.id}/notes`, seeker.cookie, { notes: 'mine now' })).json().error.code).toBe('MENTOR_ONLY');
    expect((await call('PUT', `/api/calls/${live.id}/notes`, mentor.cookie, { notes: '  Lead with the result.  ' })).statusCode).toBe(204);
    expect((await call('PUT', `/api/calls/${live.id}/notes`, mentor.cookie, { notes: 'x'.repeat(10_001) })).statusCode).toBe(400);
    expect((await call('PUT', `/api/calls/${live.id}/notes`, other.cookie, { notes: 'not my call' })).statusCode).toBe(404);
    expect((await call('GET', `/api/calls/${live.id}/summary`, seeker.cookie)).json().mentorNotes).toBe('Lead with the result.');
    expect((await call('POST', `/api/bookings/${live.id}/cancel`, seeker.cookie)).json().error.code).toBe('CALL_STARTED');
    await advanceTo(Date.parse(live.endsAt) + 11 * 60_000, async () => (await row(live.id)).status === 'completed');
    expect((await row(live.id)).noShow).toBeNull();

    // After the call: one review, the rating on the profile.
    expect((await call('POST', `/api/bookings/${live.id}/review`, mentor.cookie, { rating: 5 })).json().error.code).toBe('NOT_YOUR_BOOKING');
    expect((await call('POST', `/api/bookings/${live.id}/review`, seeker.cookie, { rating: 4, comment: 'Sharp, kind feedback.' })).statusCode).toBe(204);
    expect((await call('POST', `/api/bookings/${live.id}/review`, seeker.cookie, { rating: 1 })).json().error.code).toBe('ALREADY_REVIEWED');
    expect((await call('POST', `/api/bookings/${live.id}/review`, seeker.cookie, { rating: 6 })).statusCode).toBe(400);
    const page = (await call('GET', `/api/mentors/${mentor.id}`)).json();
    expect(page.mentor.rating).toEqual({ average: 4, count: 1 });
    expect(page.reviews).toEqual([expect.objectContaining({ rating: 4, comment: 'Sharp, kind feedback.', seekerName: 'Sam' })]);

    // The dispute window passes; the mentor has no payout account yet, so it waits as owed…
    const payoutJob = async () => (await app.db.$queryRaw<{ state: string }[]>`SELECT state::text FROM pgboss.job WHERE name = 'booking.payout' AND data->>'bookingId' = ${live.id}`)[0]?.state;
    await advanceTo(Date.parse(live.endsAt) + 48 * HOUR + 60_000, async () => (await payoutJob()) === 'completed');
    expect((await call('GET', '/api/mentor/earnings', mentor.cookie)).json().owed.map((o: { bookingId: string }) => o.bookingId)).toContain(live.id);
    expect((await row(live.id)).transferId).toBeNull();
    // …and is paid when onboarding completes (account.updated through the webhook).
    const onboard = (await call('POST', '/api/mentor/payouts/onboard', mentor.cookie)).json();
    expect(onboard).toMatchObject({ testMode: true, url: expect.stringContaining('/mentor/payouts/test-onboarding') });
    expect((await call('POST', '/api/mentor/payouts/test-onboarding/complete', mentor.cookie)).json()).toEqual({ payoutsEnabled: true });
    // Both calls it is owed are paid: this one, and the one the seeker cancelled under 24 h before
    // (no refund, so the mentor keeps the pay), each price less the 20 % fee.
    await advanceTo(clock.now() + 1_000, async () => (await row(live.id)).transferId !== null && (await row(booking.id)).transferId !== null);
    const earnings = (await call('GET', '/api/mentor/earnings', mentor.cookie)).json();
    expect(earnings).toMatchObject({ testMode: true, onboarded: true, payoutsEnabled: true, available: [{ amount: 2 * 4800, currency: 'usd' }], owed: [] });
  }, 120_000);

  it('refunds per the policy: in full until 24 h before, nothing after; always when the mentor cancels; the invite is withdrawn', async () => {
    const slot = weekday;
    const early = await bookAndPay(seeker.cookie, mentor.id, slot(4, 10));
    expect(early.refundIfCanceled).toBe(6000);
    const cancelled = (await call('POST', `/api/bookings/${early.id}/cancel`, seeker.cookie)).json().booking;
    expect(cancelled).toMatchObject({ status: 'canceled', canceledBy: 'seeker', refundedCents: 6000 });
    expect((await row(early.id)).refundId).toMatch(/^re_test_/);
    const cancelMail = await app.db.outboxEmail.findFirstOrThrow({ where: { to: 'seeker@example.com', subject: { startsWith: 'Cancelled:' }, text: { contains: '60 USD is refunded' } } });
    const vevent = new ICAL.Component(ICAL.parse(cancelMail.calendar!));
    expect(vevent.getFirstPropertyValue('method')).toBe('CANCEL');
    const ev = new ICAL.Event(vevent.getFirstSubcomponent('vevent')!);
    expect(ev.uid).toBe(`booking-${early.id}@localhost`);
    expect(ev.component.getFirstPropertyValue('sequence')).toBe(1);
    expect(ev.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    // Cancelling twice, or someone else's booking: refused, nothing refunded twice.
    expect((await call('POST', `/api/bookings/${early.id}/cancel`, seeker.cookie)).json().error.code).toBe('CANNOT_CANCEL');
    expect((await call('POST', `/api/bookings/${early.id}/cancel`, other.cookie)).json().error.code).toBe('BOOKING_NOT_FOUND');

    const byMentor = await bookAndPay(seeker.cookie, mentor.id, slot(4, 11));
    expect((await call('POST', `/api/bookings/${byMentor.id}/cancel`, mentor.cookie)).json().booking).toMatchObject({ canceledBy: 'mentor', refundedCents: 6000 });

    // Under 24 h before: nothing back.
    const late = await bookAndPay(seeker.cookie, mentor.id, slot(4, 12));
    await clock.setTime(Date.parse(late.startsAt) - 23 * HOUR);
    expect((await call('GET', `/api/bookings/${late.id}`, seeker.cookie)).json().booking.refundIfCanceled).toBe(0);
    expect((await call('POST', `/api/bookings/${late.id}/cancel`, seeker.cookie)).json().booking).toMatchObject({ refundedCents: 0 });
  });

  it('moves a call to another free slot until 24 h before: the same invite UID with a higher SEQUENCE, the room opening at the new time', async () => {
    const booking = await bookAndPay(seeker.cookie, mentor.id, weekday(3, 9));
    const to = weekday(3, 14);
    // Someone else's booking, a time the mentor does not offer, the mentor moving it: refused, nothing moved.
    expect((await call('POST', `/api/bookings/${booking.id}/reschedule`, other.cookie, { startsAt: to })).json().error.code).toBe('BOOKING_NOT_FOUND');
    expect((await call('POST', `/api/bookings/${booking.id}/reschedule`, mentor.cookie, { startsAt: to })).json().error.code).toBe('NOT_YOUR_BOOKING');
    expect((await call('POST', `/api/bookings/${booking.id}/reschedule`, seeker.cookie, { startsAt: weekday(3, 20) })).json().error.code).toBe('SLOT_NOT_AVAILABLE');
    const taken = await bookAndPay((await signUp(app, origin, 'taker@example.com')).cookie, mentor.id, weekday(3, 15));
    expect((await call('POST', `/api/bookings/${booking.id}/reschedule`, seeker.cookie, { startsAt: taken.startsAt })).json().error.code).toBe('SLOT_TAKEN');
    expect((await row(booking.id)).startsAt.toISOString()).toBe(booking.startsAt);

    const moved = await call('POST', `/api/bookings/${booking.id}/reschedule`, seeker.cookie, { startsAt: to });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().booking).toMatchObject({ startsAt: to, status: 'confirmed' });
    const mail = await app.db.outboxEmail.findFirstOrThrow({ where: { to: 'mentor@example.com', subject: { startsWith: 'Moved:' } }, orderBy: { createdAt: 'desc' } });
    const calendar = new ICAL.Component(ICAL.parse(mail.calendar!));
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
    expect(event.uid).toBe(`booking-${booking.id}@localhost`);
    expect(event.component.getFirstPropertyValue('sequence')).toBe(1);
    expect(event.startDate.toJSDate().toISOString()).toBe(to);
    // The old start passes with the room shut; it opens five minutes before the new one.
    await advanceTo(Date.parse(booking.startsAt) - 4 * 60_000, async () => (await payoutOrOpenJobsSettled(booking.id)));
    expect((await row(booking.id)).roomOpenedAt).toBeNull();
    await advanceTo(Date.parse(to) - 4 * 60_000, async () => (await row(booking.id)).roomOpenedAt !== null);
    // Within 24 h it can no longer move.
    expect((await call('POST', `/api/bookings/${booking.id}/reschedule`, seeker.cookie, { startsAt: weekday(5, 10) })).json().error.code).toBe('TOO_LATE_TO_RESCHEDULE');
  });

  it('decides no-shows ten minutes in from room presence, refunding when the mentor was absent', async () => {
    const day = (hour: number) => weekday(2, hour);
    const noMentor = await bookAndPay(seeker.cookie, mentor.id, day(9));
    const noSeeker = await bookAndPay(seeker.cookie, mentor.id, day(11));
    // The mentor looked in at the start and left a minute later, not to come back: absent too.
    await app.db.booking.update({ where: { id: noMentor.id }, data: { seekerJoinedAt: new Date(Date.parse(noMentor.startsAt)), mentorJoinedAt: new Date(Date.parse(noMentor.startsAt)), mentorLeftAt: new Date(Date.parse(noMentor.startsAt) + 60_000) } });
    // The status is claimed first, then the refund is made: wait for both.
    await advanceTo(Date.parse(noMentor.startsAt) + 11 * 60_000, async () => (await row(noMentor.id)).refundId !== null);
    expect(await row(noMentor.id)).toMatchObject({ noShow: 'mentor', refundedCents: 6000 });
    await app.db.booking.update({ where: { id: noSeeker.id }, data: { mentorJoinedAt: new Date(Date.parse(noSeeker.startsAt) - 120_000) } });
    await advanceTo(Date.parse(noSeeker.startsAt) + 11 * 60_000, async () => (await row(noSeeker.id)).status === 'no_show');
    expect(await row(noSeeker.id)).toMatchObject({ noShow: 'seeker', refundedCents: 0 });
    // The absent seeker's call is the mentor's to be paid for, after the window.
    await advanceTo(Date.parse(noSeeker.endsAt) + 48 * HOUR + 60_000, async () => (await row(noSeeker.id)).transferId !== null);
    expect((await row(noMentor.id)).transferId).toBeNull();
    for (const b of [noMentor, noSeeker]) expect(await app.db.outboxEmail.count({ where: { subject: { startsWith: 'Missed:' }, text: { contains: b.id } } })).toBe(2);
  });

  it('saves the card for a call more than six days off and charges it 48 hours before', async () => {
    const startsAt = weekday(10, 10);
    const far = await bookAndPay(seeker.cookie, mentor.id, startsAt);
    expect(far).toMatchObject({ status: 'confirmed', paid: false, cardSaved: true });
    expect(await row(far.id)).toMatchObject({ paymentMethodId: 'pm_test_card_visa', paymentIntentId: null });
    await advanceTo(Date.parse(startsAt) - 48 * HOUR + 1_000, async () => (await row(far.id)).paidAt !== null);
    expect((await row(far.id)).paymentIntentId).toMatch(/^pi_test_/);
  });

  it('sells reviews of recorded answers: paid, commented at moments, rated per competency in time — or refunded at the deadline', async () => {
    const patched = await call('PATCH', '/api/mentor/profile', mentor.cookie, { reviewPrice: 3000, reviewHours: 24 });
    expect(patched.json().mentor.review).toEqual({ price: 3000, hours: 24 });
    expect((await call('GET', '/api/mentors?reviews=true')).json().mentors.map((m: { id: string }) => m.id)).toEqual([mentor.id]);
    // A recorded practice answer of the seeker's, with its report.
    const question = await app.db.question.findFirstOrThrow({ where: { ownerId: null } });
    const makeAnswer = async (userId: string) => {
      const answer = await app.db.answer.create({ data: { userId, questionId: question.id, mediaUrl: 'ws://media', status: 'ready', durationMs: 60_000, container: 'webm' } });
      const key = `users/${userId}/answers/${answer.id}/answer.webm`;
      await app.s3.send(new PutObjectCommand({ Bucket: app.bucket, Key: key, Body: Buffer.alloc(2048, 1) }));
      await app.db.answer.update({ where: { id: answer.id }, data: { recordingKey: key, recordingBytes: 2048n } });
      await app.db.answerReport.create({ data: { answerId: answer.id, engine: 'pocketsphinx', durationMs: 60_000, words: [{ text: 'in', start: 0.5, end: 0.7, confidence: 1 }, { text: 'my', start: 0.7, end: 0.9, confidence: 1 }], summary: {}, spans: [] } });
      return answer.id;
    };
    const answerId = await makeAnswer(seeker.id);
    const othersAnswer = await makeAnswer(other.id);
    const ask = (cookie: string, body: object) => call('POST', '/api/answer-reviews', cookie, body);
    // Bad requests: someone else's answer, a tampered price, a mentor who does not review.
    expect((await ask(seeker.cookie, { answerId: othersAnswer, mentorId: mentor.id, priceCents: 3000 })).json().error.code).toBe('ANSWER_NOT_FOUND');
    expect((await ask(seeker.cookie, { answerId, mentorId: mentor.id, priceCents: 1 })).json().error.code).toBe('PRICE_CHANGED');
    expect((await ask(seeker.cookie, { answerId, mentorId: other.id, priceCents: 3000 })).json().error.code).toBe('REVIEWS_NOT_OFFERED');
    expect(await app.db.answerReview.count()).toBe(0);

    const asked = await ask(seeker.cookie, { answerId, mentorId: mentor.id, priceCents: 3000, request: 'Is my result convincing?' });
    expect(asked.statusCode, asked.body).toBe(201);
    const review = asked.json().review;
    expect(review).toMatchObject({ status: 'requested', as: 'seeker', priceCents: 3000, hours: 24 });
    expect((await ask(seeker.cookie, { answerId, mentorId: mentor.id, priceCents: 3000 })).json().error.code).toBe('ALREADY_REQUESTED');
    // Unpaid: the mentor sees no recording yet.
    expect((await call('GET', `/api/answer-reviews/${review.id}`, mentor.cookie)).json().review.answer.recordingUrl).toBeNull();
    expect((await call('GET', `/api/answer-reviews/${review.id}/recording`, mentor.cookie)).json().error.code).toBe('NOT_PAID');
    expect((await call('POST', `/api/answer-reviews/${review.id}/test-checkout/complete`, seeker.cookie)).json().review).toMatchObject({ status: 'open', dueAt: at(24 * HOUR) });
    expect(await app.db.outboxEmail.count({ where: { to: 'mentor@example.com', subject: 'A recorded answer to review' } })).toBe(1);

    // The mentor watches and comments; only the two of them see it.
    const recording = await app.inject({ method: 'GET', url: `/api/answer-reviews/${review.id}/recording`, headers: { cookie: mentor.cookie, range: 'bytes=0-99' } });
    expect(recording.statusCode).toBe(206);
    for (const cookie of [other.cookie, (await signUp(app, origin, 'review-stranger@example.com')).cookie]) {
      expect((await call('GET', `/api/answer-reviews/${review.id}`, cookie)).statusCode).toBe(404);
      expect((await call('GET', `/api/answer-reviews/${review.id}/recording`, cookie)).statusCode).toBe(404);
    }
    expect((await call('POST', `/api/answer-reviews/${review.id}/comments`, mentor.cookie, { atMs: 5_000, text: 'Name the result earlier' })).statusCode).toBe(201);
    expect((await call('POST', `/api/answer-reviews/${review.id}/comments`, mentor.cookie, { atMs: 70_000, text: 'past the end' })).json().error.code).toBe('OUTSIDE_RECORDING');
    expect((await call('POST', `/api/answer-reviews/${review.id}/comments`, seeker.cookie, { atMs: 1_000, text: 'me' })).json().error.code).toBe('MENTOR_ONLY');
    const ratings = [{ competency: 'Communication', score: 4 }, { competency: 'ownership', score: 5, note: 'Clear ownership' }];
    expect((await call('POST', `/api/answer-reviews/${review.id}/deliver`, mentor.cookie, { ratings: [...ratings, { competency: 'communication', score: 2 }], summary: 'x' })).json().error.code).toBe('DUPLICATE_COMPETENCY');
    const delivered = await call('POST', `/api/answer-reviews/${review.id}/deliver`, mentor.cookie, { ratings, summary: 'A solid story; lead with the result.' });
    expect(delivered.statusCode, delivered.body).toBe(200);
    const seen = (await call('GET', `/api/answer-reviews/${review.id}`, seeker.cookie)).json().review;
    expect(seen).toMatchObject({ status: 'delivered', summary: 'A solid story; lead with the result.', ratings: [{ competency: 'communication', score: 4 }, { competency: 'ownership', score: 5, note: 'Clear ownership' }], comments: [{ atMs: 5_000, text: 'Name the result earlier' }] });
    expect(seen.answer.transcript.map((w: { text: string }) => w.text)).toEqual(['in', 'my']);
    expect((await call('POST', `/api/answer-reviews/${review.id}/deliver`, mentor.cookie, { ratings, summary: 'again' })).json().error.code).toBe('REVIEW_NOT_OPEN');
    // Paid to the (onboarded) mentor after the dispute window: price − the 20 % fee.
    await advanceTo(clock.now() + 48 * HOUR + 60_000, async () => (await app.db.answerReview.findUniqueOrThrow({ where: { id: review.id } })).transferId !== null);

    // A review not delivered in time is refunded, and delivering late is refused.
    const late = (await ask(seeker.cookie, { answerId, mentorId: mentor.id, priceCents: 3000 })).json().review;
    await call('POST', `/api/answer-reviews/${late.id}/test-checkout/complete`, seeker.cookie);
    // A review keeps at most 100 comments.
    await app.db.answerReviewComment.createMany({ data: Array.from({ length: 100 }, (_, i) => ({ reviewId: late.id, atMs: i * 100, text: `c${i}` })) });
    expect((await call('POST', `/api/answer-reviews/${late.id}/comments`, mentor.cookie, { atMs: 1_000, text: 'one too many' })).json().error.code).toBe('TOO_MANY_COMMENTS');
    expect((await call('POST', `/api/answer-reviews/${late.id}/comments`, mentor.cookie, { atMs: 1_000, text: 'x'.repeat(1001) })).statusCode).toBe(400);
    const refundMail = () => app.db.outboxEmail.count({ where: { to: 'seeker@example.com', subject: 'Your answer review was refunded' } });
    await advanceTo(clock.now() + 24 * HOUR + 60_000, async () => (await refundMail()) === 1);
    expect(await app.db.answerReview.findUniqueOrThrow({ where: { id: late.id } })).toMatchObject({ refundedCents: 3000, refundId: expect.stringMatching(/^re_test_/), transferId: null });
    expect((await call('POST', `/api/answer-reviews/${late.id}/deliver`, mentor.cookie, { ratings, summary: 'late' })).json().error.code).toBe('REVIEW_OVERDUE');
    expect(await refundMail()).toBe(1);
  });

  it('lets both parties join a call at the same instant: one room, both recordings', async () => {
    const both = await bookAndPay(seeker.cookie, mentor.id, weekday(6, 14));
    await app.db.booking.update({ where: { id: both.id }, data: { roomOpenedAt: new Date(clock.now()) } });
    const joins = await Promise.all([seeker.cookie, mentor.cookie].map((cookie) => call('POST', `/api/calls/${both.id}/join`, cookie, { consent: true })));
    expect(joins.map((r) => r.statusCode), joins.map((r) => r.body).join('\n')).toEqual([200, 200]);
    const rows = await app.db.answer.findMany({ where: { bookingId: both.id }, orderBy: { callRole: 'asc' } });
    expect(rows.map((r) => r.callRole)).toEqual(['candidate', 'mentor']);
    expect(new Set(rows.map((r) => r.mediaUrl)).size).toBe(1);
  });

  it('caps markers per call, and rate-limits booking attempts and directory reads per visitor', async () => {
    // A call in progress (its room open), 200 markers: the 201st is refused.
    const live = await bookAndPay(seeker.cookie, mentor.id, weekday(6, 10));
    await app.db.booking.update({ where: { id: live.id }, data: { roomOpenedAt: new Date(clock.now()) } });
    await app.db.callMarker.createMany({ data: Array.from({ length: 199 }, (_, i) => ({ bookingId: live.id, authorId: mentor.id, atMs: i * 1000, note: `m${i}` })) });
    expect((await call('POST', `/api/calls/${live.id}/markers`, mentor.cookie, { note: 'the 200th' })).statusCode).toBe(201);
    expect((await call('POST', `/api/calls/${live.id}/markers`, mentor.cookie, { note: 'one more' })).json().error.code).toBe('TOO_MANY_MARKERS');
    expect((await call('POST', `/api/calls/${live.id}/markers`, mentor.cookie, { note: 'x'.repeat(501) })).statusCode).toBe(400);
    expect(await app.db.callMarker.count({ where: { bookingId: live.id } })).toBe(200);
    // 30 booking attempts per seeker per 10 minutes, whatever they ask for.
    const flooder = await signUp(app, origin, 'booking-flood@example.com');
    const attempts = await Promise.all(Array.from({ length: 32 }, () => call('POST', '/api/bookings', flooder.cookie, { mentorId: mentor.id, startsAt: '2027-03-01T00:00:00.000Z', minutes: 30, priceCents: 6000 })));
    expect(attempts.filter((r) => r.statusCode === 429).length).toBe(2);
    expect(attempts.find((r) => r.statusCode === 429)!.json().error.code).toBe('RATE_LIMITED');
    // 120 directory reads a minute per address; another address is not affected.
    const read = (ip: string) => app.inject({ method: 'GET', url: `/api/mentors/${mentor.id}/slots?minutes=15&days=1`, remoteAddress: ip });
    const reads = [];
    for (let i = 0; i < 121; i++) reads.push((await read('10.77.0.1')).statusCode);
    expect(reads.filter((s) => s === 429)).toHaveLength(1);
    expect((await read('10.77.0.2')).statusCode).toBe(200);
  });

  it('keeps bookings private to their seeker and mentor', async () => {
    const [mine] = (await call('GET', '/api/bookings', seeker.cookie)).json().bookings;
    for (const cookie of [other.cookie, (await signUp(app, origin, 'stranger@example.com')).cookie]) {
      for (const [method, url] of [['GET', `/api/bookings/${mine.id}`], ['POST', `/api/bookings/${mine.id}/cancel`], ['POST', `/api/bookings/${mine.id}/checkout`], ['GET', `/api/bookings/${mine.id}/invite.ics`], ['POST', `/api/bookings/${mine.id}/test-checkout/complete`]] as const) {
        expect((await call(method, url, cookie)).statusCode, `${method} ${url}`).toBe(404);
      }
      expect((await call('GET', '/api/bookings', cookie)).json().bookings.map((b: { id: string }) => b.id)).not.toContain(mine.id);
    }
    // An account with a call booked cannot be deleted until it is cancelled (someone else's time and money).
    const quitter = await signUp(app, origin, 'quitter@example.com');
    const pendingCall = await bookAndPay(quitter.cookie, mentor.id, weekday(4, 11));
    const remove = () => call('DELETE', '/api/me', quitter.cookie, { password: 'a long enough password' });
    expect((await remove()).json().error.code).toBe('ACTIVE_BOOKINGS');
    expect(await app.db.user.count({ where: { id: quitter.id } })).toBe(1);
    await call('POST', `/api/bookings/${pendingCall.id}/cancel`, quitter.cookie);
    expect((await remove()).statusCode).toBe(204);
    // The invite names the site's own address, whatever Host the request claims.
    const ics = await app.inject({ method: 'GET', url: `/api/bookings/${mine.id}/invite.ics`, headers: { cookie: mentor.cookie, host: 'attacker.example', 'x-forwarded-host': 'attacker.example' } });
    expect(ics.headers['content-type']).toMatch(/^text\/calendar/);
    const downloaded = new ICAL.Event(new ICAL.Component(ICAL.parse(ics.body)).getFirstSubcomponent('vevent')!);
    expect(downloaded.uid).toBe(`booking-${mine.id}@localhost`);
    expect(String(downloaded.component.getFirstPropertyValue('url'))).toMatch(new RegExp(`^${origin}/bookings/${mine.id}$`));
    expect(ics.body).not.toContain('attacker.example');
  });

  it('hides a reported review from the mentor’s profile and rating at once', async () => {
    const before = (await call('GET', `/api/mentors/${mentor.id}`)).json();
    const review = before.reviews.find((r: { comment: string }) => r.comment === 'Sharp, kind feedback.');
    expect(review).toBeDefined();
    const moderator = await signUp(app, origin, 'moderator@example.com');
    await app.db.userRole.create({ data: { userId: moderator.id, role: 'admin' } });
    const row = await app.db.mentorReview.findFirstOrThrow({ where: { mentorId: mentor.id, comment: 'Sharp, kind feedback.' } });
    const report = await call('POST', '/api/reports', other.cookie, { targetType: 'mentor_review', targetId: row.bookingId, reason: 'harassment' });
    expect(report.statusCode, report.body).toBe(201);
    expect((await call('POST', `/api/admin/reports/${report.json().report.id}/decision`, moderator.cookie, { action: 'hide' })).json().report).toMatchObject({ status: 'actioned', action: 'hide' });
    const after = (await call('GET', `/api/mentors/${mentor.id}`)).json();
    expect(after.reviews.map((r: { comment: string }) => r.comment)).not.toContain('Sharp, kind feedback.');
    expect(after.mentor.rating.count).toBe(before.mentor.rating.count - 1);
    expect(await app.db.auditLog.count({ where: { action: 'moderation.hide', targetType: 'mentor_review', targetId: row.bookingId, actorId: moderator.id } })).toBe(1);
  });
});

describe('mentoring with Stripe Connect', () => {
  const WEBHOOK_SECRET = 'whsec_connect_test';
  const signer = new Stripe('sk_test_signer');
  let stripe: StripeTestServer;
  let api: TestApi;
  let app: App;
  let origin: string;
  const clock = new TestClock(Date.UTC(2027, 2, 1, 8, 0));
  let mentor: { cookie: string; id: string };
  let seeker: { cookie: string; id: string };
  let admin: { cookie: string; id: string };

  const CONNECT_WEBHOOK_SECRET = 'whsec_connect_endpoint';
  const call = (method: string, url: string, cookie?: string, payload?: object) => injectAs(app, origin, method, url, cookie, payload);
  const deliver = (type: string, object: object, { secret = WEBHOOK_SECRET, id = `evt_${crypto.randomUUID().replaceAll('-', '')}` } = {}) => {
    const payload = JSON.stringify({ id, object: 'event', type, created: Math.floor(clock.now() / 1000), data: { object } });
    return app.inject({ method: 'POST', url: '/api/billing/webhook', headers: { 'content-type': 'application/json', 'stripe-signature': signer.webhooks.generateTestHeaderString({ payload, secret }) }, payload });
  };
  const row = (id: string) => app.db.booking.findUniqueOrThrow({ where: { id } });
  const last = (path: string | RegExp) => [...stripe.requests].reverse().find((r) => (typeof path === 'string' ? r.path === path : path.test(r.path)));
  const advanceTo = (ms: number, done: () => Promise<boolean>) => advanceQueueClock(clock, ms, done);
  async function holdAndCheckout(startsAt: string) {
    const held = await call('POST', '/api/bookings', seeker.cookie, { mentorId: mentor.id, startsAt, minutes: 30, priceCents: 8000 });
    expect(held.statusCode, held.body).toBe(201);
    const id = held.json().booking.id as string;
    const checkout = await call('POST', `/api/bookings/${id}/checkout`, seeker.cookie);
    expect(checkout.json()).toEqual({ url: expect.stringMatching(/^https:\/\/checkout\.stripe\.test\//), testMode: false });
    return { id, session: last('/v1/checkout/sessions')! };
  }

  beforeAll(async () => {
    stripe = await startStripeServer();
    api = await startApi({ STRIPE_SECRET_KEY: 'sk_test_rehearse', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_WEBHOOK_SECRET, STRIPE_API_URL: stripe.url, MENTOR_AUTO_APPROVE: 'true', MENTOR_FEE_PERCENT: '15' }, { jobs: { clock, pollSeconds: 0.5 } });
    ({ app, origin } = api);
    await app.ready();
    [mentor, seeker, admin] = await Promise.all([signUp(app, origin, 'connect-mentor@example.com'), signUp(app, origin, 'connect-seeker@example.com'), signUp(app, origin, 'connect-admin@example.com')]);
    await app.db.userRole.create({ data: { userId: admin.id, role: 'admin' } });
    expect((await call('POST', '/api/mentor/apply', mentor.cookie, { price30: 8000, timezone: 'UTC' })).json().mentor.status).toBe('approved');
    const rules = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 9 * 60, endMinute: 17 * 60 }));
    expect((await call('PUT', '/api/mentor/availability', mentor.cookie, { timezone: 'UTC', bufferMinutes: 0, minNoticeMinutes: 60, rules, exceptions: [] })).statusCode).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await stripe?.close();
  });

  it('onboards the mentor with an Express account and an account link; account.updated enables payouts', async () => {
    const onboard = await call('POST', '/api/mentor/payouts/onboard', mentor.cookie);
    expect(onboard.json()).toEqual({ url: expect.stringMatching(/^https:\/\/connect\.stripe\.test\/setup\//), testMode: false });
    expect(last('/v1/accounts')!.body).toMatchObject({ type: 'express', email: 'connect-mentor@example.com', 'capabilities[transfers][requested]': 'true', 'metadata[userId]': mentor.id });
    const { stripeAccountId } = await app.db.mentorProfile.findUniqueOrThrow({ where: { userId: mentor.id } });
    expect(last('/v1/account_links')!.body).toMatchObject({ account: stripeAccountId, type: 'account_onboarding' });
    // Onboarding again reuses the account.
    await call('POST', '/api/mentor/payouts/onboard', mentor.cookie);
    expect(stripe.requests.filter((r) => r.path === '/v1/accounts')).toHaveLength(1);
    expect((await deliver('account.updated', { id: stripeAccountId, object: 'account', payouts_enabled: true, charges_enabled: false })).statusCode).toBe(200);
    expect((await app.db.mentorProfile.findUniqueOrThrow({ where: { userId: mentor.id } })).payoutsEnabled).toBe(true);
    // A test-mode route does not exist with Stripe keys.
    expect((await call('POST', '/api/mentor/payouts/test-onboarding/complete', mentor.cookie)).statusCode).toBe(404);
  });

  it('charges through Checkout, transfers price − fee after the window, and an admin refund reverses the transfer', async () => {
    const { id, session } = await holdAndCheckout('2027-03-02T10:00:00.000Z');
    expect(session.body).toMatchObject({
      mode: 'payment',
      client_reference_id: id,
      'metadata[bookingId]': id,
      'line_items[0][price_data][unit_amount]': '8000',
      'line_items[0][price_data][currency]': 'usd',
      'payment_intent_data[transfer_group]': id,
    });
    // The session lasts as long as the hold (Stripe's minimum: 30 minutes).
    expect(Number(session.body.expires_at)).toBeGreaterThanOrEqual(Math.floor(clock.now() / 1000) + 30 * 60);
    expect((await call('POST', `/api/bookings/${id}/test-checkout/complete`, seeker.cookie)).statusCode).toBe(404);
    const completed = { id: `cs_test_${id.slice(0, 8)}`, object: 'checkout.session', mode: 'payment', payment_status: 'paid', subscription: null, payment_intent: 'pi_paid_1', customer: 'cus_1', metadata: { bookingId: id } };
    expect((await deliver('checkout.session.completed', completed)).json().outcome).toBe('handled');
    expect(await row(id)).toMatchObject({ status: 'confirmed', paymentIntentId: 'pi_paid_1', feeCents: 1200 });

    const booking = await row(id);
    await app.db.booking.update({ where: { id }, data: { mentorJoinedAt: booking.startsAt, seekerJoinedAt: booking.startsAt } });
    await advanceTo(booking.endsAt.getTime() + 48 * 3600_000 + 60_000, async () => (await row(id)).transferId !== null);
    const transfer = last('/v1/transfers')!;
    const { stripeAccountId } = await app.db.mentorProfile.findUniqueOrThrow({ where: { userId: mentor.id } });
    expect(transfer.body).toMatchObject({ amount: '6800', currency: 'usd', destination: stripeAccountId, transfer_group: id });
    expect(transfer.idempotencyKey).toBe(`booking-transfer-${id}`);

    // The earnings page reads the connected account's balance and payouts from Stripe.
    stripe.payouts.set(stripeAccountId!, [{ id: 'po_1', object: 'payout', amount: 5000, currency: 'usd', status: 'paid', arrival_date: 1_900_000_000 }]);
    const earnings = (await call('GET', '/api/mentor/earnings', mentor.cookie)).json();
    expect(earnings).toMatchObject({ testMode: false, available: [{ amount: 6800, currency: 'usd' }], payouts: [{ id: 'po_1', amount: 5000, status: 'paid' }] });
    expect(last('/v1/balance')!.account).toBe(stripeAccountId);

    // Support refunds half: half the mentor's share is reversed, then the seeker refunded.
    expect((await call('POST', `/api/admin/bookings/${id}/refund`, mentor.cookie, { cents: 4000 })).statusCode).toBe(403);
    const refunded = await call('POST', `/api/admin/bookings/${id}/refund`, admin.cookie, { cents: 4000 });
    expect(refunded.json().booking.refundedCents, refunded.body).toBe(4000);
    expect(last(/\/v1\/transfers\/tr_\w+\/reversals$/)!.body).toMatchObject({ amount: '3400' });
    expect(last('/v1/refunds')!.body).toMatchObject({ payment_intent: 'pi_paid_1', amount: '4000' });
    expect((await call('POST', `/api/admin/bookings/${id}/refund`, admin.cookie, {})).json().error.code).toBe('ALREADY_REFUNDED');
  });

  it('saves the card for a far-off call, charges it off-session 48 h before, and cancels the call if the card is declined', async () => {
    const far = await holdAndCheckout('2027-03-15T10:00:00.000Z');
    const declined = await holdAndCheckout('2027-03-15T12:00:00.000Z');
    expect(far.session.body).toMatchObject({ mode: 'setup', currency: 'usd', 'setup_intent_data[metadata][bookingId]': far.id });
    stripe.setupIntents.set('seti_far', { id: 'seti_far', object: 'setup_intent', payment_method: 'pm_good' });
    stripe.setupIntents.set('seti_bad', { id: 'seti_bad', object: 'setup_intent', payment_method: 'pm_declines' });
    stripe.declining.add('pm_declines');
    for (const [b, seti] of [[far, 'seti_far'], [declined, 'seti_bad']] as const) {
      const event = { id: `cs_setup_${seti}`, object: 'checkout.session', mode: 'setup', subscription: null, setup_intent: seti, customer: 'cus_far', metadata: { bookingId: b.id } };
      expect((await deliver('checkout.session.completed', event)).json().outcome).toBe('handled');
    }
    expect(await row(far.id)).toMatchObject({ status: 'confirmed', paymentMethodId: 'pm_good', paidAt: null });
    // Each job's last step is its mail: wait for that.
    const declinedMail = () => app.db.outboxEmail.count({ where: { to: 'connect-seeker@example.com', subject: { contains: 'declined' } } });
    await advanceTo(Date.parse('2027-03-13T12:00:01.000Z'), async () => (await row(far.id)).paidAt !== null && (await declinedMail()) === 1);
    const charge = stripe.requests.find((r) => r.path === '/v1/payment_intents' && r.body.payment_method === 'pm_good')!;
    expect(charge.body).toMatchObject({ amount: '8000', currency: 'usd', customer: 'cus_far', off_session: 'true', confirm: 'true', transfer_group: far.id });
    expect(await row(declined.id)).toMatchObject({ canceledBy: 'system', paidAt: null });
    expect(await declinedMail()).toBe(1);
  });

  it('expires the Checkout of a hold that ran out, and refunds a payment that arrives for a slot taken since', async () => {
    const { id, session } = await holdAndCheckout('2027-03-16T10:00:00.000Z');
    // The hold is marked expired, then its Checkout expired at Stripe.
    await advanceTo(clock.now() + 31 * 60_000, async () => (await row(id)).status === 'expired' && last(/\/v1\/checkout\/sessions\/cs_\w+\/expire$/) !== undefined);
    const sessionId = (await row(id)).checkoutSessionId;
    expect(last(/\/v1\/checkout\/sessions\/cs_\w+\/expire$/)!.path).toBe(`/v1/checkout/sessions/${sessionId}/expire`);
    expect(session.body['metadata[bookingId]']).toBe(id);
    // Someone else books the time; then the late payment lands: refunded, not double-booked.
    const rival = await signUp(app, origin, 'rival@example.com');
    expect((await call('POST', '/api/bookings', rival.cookie, { mentorId: mentor.id, startsAt: '2027-03-16T10:00:00.000Z', minutes: 30, priceCents: 8000 })).statusCode).toBe(201);
    const late = { id: sessionId, object: 'checkout.session', mode: 'payment', payment_status: 'paid', subscription: null, payment_intent: 'pi_late', customer: 'cus_late', metadata: { bookingId: id } };
    expect((await deliver('checkout.session.completed', late)).json().outcome).toBe('handled');
    expect(await row(id)).toMatchObject({ status: 'expired', refundedCents: 8000 });
    expect(last('/v1/refunds')!.body).toMatchObject({ payment_intent: 'pi_late', amount: '8000' });
  });

  it('takes connected-account events signed by the Connect endpoint, applies a repeated delivery once, and confirms a delayed payment only when it succeeds', async () => {
    const { stripeAccountId } = await app.db.mentorProfile.findUniqueOrThrow({ where: { userId: mentor.id } });
    const paused = { id: stripeAccountId, object: 'account', payouts_enabled: false, charges_enabled: false };
    // Signed with neither endpoint's secret: refused, nothing changed.
    expect((await deliver('account.updated', paused, { secret: 'whsec_someone_else' })).json().error.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    expect((await app.db.mentorProfile.findUniqueOrThrow({ where: { userId: mentor.id } })).payoutsEnabled).toBe(true);
    // Stripe signs a connected account's events with the Connect endpoint's secret.
    expect((await deliver('account.updated', paused, { secret: CONNECT_WEBHOOK_SECRET })).json().outcome).toBe('handled');
    expect((await app.db.mentorProfile.findUniqueOrThrow({ where: { userId: mentor.id } })).payoutsEnabled).toBe(false);
    expect((await deliver('account.updated', { ...paused, payouts_enabled: true }, { secret: CONNECT_WEBHOOK_SECRET })).json().outcome).toBe('handled');

    // A bank debit: the session completes unpaid; the booking stays held until the payment succeeds.
    const { id } = await holdAndCheckout('2027-03-16T14:00:00.000Z');
    const session = { id: `cs_delayed_${id.slice(0, 8)}`, object: 'checkout.session', mode: 'payment', payment_status: 'unpaid', subscription: null, payment_intent: 'pi_delayed', customer: 'cus_delayed', metadata: { bookingId: id } };
    expect((await deliver('checkout.session.completed', session)).json().outcome).toBe('handled');
    expect(await row(id)).toMatchObject({ status: 'held', paidAt: null });
    // The success, delivered twice (Stripe retries until it gets a 2xx): confirmed once, mailed once.
    const succeeded = { ...session, payment_status: 'paid' };
    const eventId = `evt_async_${id.replaceAll('-', '')}`;
    const deliveries = await Promise.all([1, 2].map(() => deliver('checkout.session.async_payment_succeeded', succeeded, { id: eventId })));
    const outcomes = deliveries.map((d) => d.json().outcome ?? d.json().error.code);
    expect(outcomes.filter((o) => o === 'handled'), outcomes.join()).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'handled')).toEqual([expect.stringMatching(/^(duplicate|WEBHOOK_IN_PROGRESS)$/)]);
    expect((await deliver('checkout.session.async_payment_succeeded', succeeded, { id: eventId })).json().outcome).toBe('duplicate');
    expect(await row(id)).toMatchObject({ status: 'confirmed', paymentIntentId: 'pi_delayed' });
    expect(await app.db.outboxEmail.count({ where: { subject: { startsWith: 'Booked:' }, text: { contains: id } } })).toBe(2);
  });

  it('holds the payout of a disputed charge until the dispute is won', async () => {
    const { id } = await holdAndCheckout('2027-03-16T15:00:00.000Z');
    const completed = { id: `cs_disputed_${id.slice(0, 8)}`, object: 'checkout.session', mode: 'payment', payment_status: 'paid', subscription: null, payment_intent: 'pi_disputed', customer: 'cus_disputed', metadata: { bookingId: id } };
    expect((await deliver('checkout.session.completed', completed)).json().outcome).toBe('handled');
    const booking = await row(id);
    await app.db.booking.update({ where: { id }, data: { mentorJoinedAt: booking.startsAt, seekerJoinedAt: booking.startsAt } });
    // The seeker's bank disputes the charge before the window ends: the payout job finds it held.
    const dispute = { id: 'dp_1', object: 'dispute', payment_intent: 'pi_disputed', charge: 'ch_1', status: 'needs_response', amount: 8000 };
    expect((await deliver('charge.dispute.created', dispute)).json().outcome).toBe('handled');
    const payoutJobsDone = async () =>
      (await app.db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pgboss.job WHERE name = 'booking.payout' AND data->>'bookingId' = ${id} AND state IN ('created', 'active', 'retry')`)[0]!.n === 0n;
    await advanceTo(booking.endsAt.getTime() + 48 * HOUR + 60_000, async () => (await row(id)).status === 'completed' && (await payoutJobsDone()));
    expect(await row(id)).toMatchObject({ transferId: null, disputedAt: expect.any(Date) });
    expect(stripe.requests.filter((r) => r.path === '/v1/transfers' && r.body.transfer_group === id)).toHaveLength(0);
    // A lost or pending dispute changes nothing; a won one pays the mentor what is due.
    expect((await deliver('charge.dispute.closed', { ...dispute, status: 'lost' })).json().outcome).toBe('handled');
    expect((await row(id)).disputedAt).not.toBeNull();
    expect((await deliver('charge.dispute.closed', { ...dispute, status: 'won' })).json().outcome).toBe('handled');
    await advanceTo(clock.now() + 1_000, async () => (await row(id)).transferId !== null);
    expect(last('/v1/transfers')!.body).toMatchObject({ amount: '6800', transfer_group: id });
  });
});
