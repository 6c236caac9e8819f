// Prep plans and the story bank through the API on real PostgreSQL: a plan from a pasted job
// description scheduled to the interview date (weak competencies sooner, a weak answer re-attempted),
// the date moving, items done by answers, stories with their feedback mapped to the plan's
// questions; bad input and another user's plan refused; the plan limit per subscription.
import ICAL from 'ical.js';
import { TestClock } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '@rehearse/api';
import { startOpenAiTestServer, type OpenAiTestServer } from '@rehearse/testkit/openaiServer';
import { signUp, startApi, type TestApi } from './support/api.ts';

const JD = 'We want an engineer who takes ownership end to end, works cross-functional with product and design, and communicates clearly with stakeholders. You will debug hard problems and find the root cause.';

describe('prep plans', () => {
  let api: TestApi;
  let app: App;
  let origin: string;
  let me: { cookie: string; id: string };
  let other: { cookie: string; id: string };
  const clock = new TestClock(Date.UTC(2027, 2, 1, 9, 0)); // Monday 2027-03-01

  const call = (method: string, url: string, cookie?: string, payload?: object) =>
    app.inject({ method: method as 'GET', url, headers: { origin, ...(cookie ? { cookie } : {}) }, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    api = await startApi({}, { jobs: { clock } });
    ({ app, origin } = api);
    [me, other] = await Promise.all([signUp(app, origin, 'prep@example.com'), signUp(app, origin, 'prep-other@example.com')]);
    await app.db.user.update({ where: { id: me.id }, data: { timezone: 'Europe/Berlin' } });
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
  });

  it('schedules a plan from a pasted job description to the day before the interview', async () => {
    // A weak answer in ownership (two STAR parts heard, no AI score): it comes back as a re-attempt.
    const question = await app.db.question.findFirstOrThrow({ where: { ownerId: null, competency: 'ownership' } });
    const weak = await app.db.answer.create({ data: { userId: me.id, questionId: question.id, mediaUrl: 'ws://media', status: 'ready', durationMs: 60_000 } });
    await app.db.answerReport.create({ data: { answerId: weak.id, engine: 'pocketsphinx', durationMs: 60_000, words: [], summary: {}, spans: [], starHeard: ['situation', 'task'] } });

    const created = await call('POST', '/api/prep-plans', me.cookie, { role: 'Software engineer', company: 'Acme', interviewDate: '2027-03-12', jobDescription: JD, perDay: 2 });
    expect(created.statusCode, created.body).toBe(201);
    const plan = created.json().plan;
    expect(plan).toMatchObject({ role: 'Software engineer', company: 'Acme', interviewDate: '2027-03-12', timezone: 'Europe/Berlin', today: '2027-03-01' });
    expect(plan.competencies).toEqual(expect.arrayContaining(['ownership', 'collaboration', 'communication', 'problem-solving']));
    const dates = [...new Set(plan.items.map((i: { date: string }) => i.date))];
    expect(dates[0]).toBe('2027-03-01');
    expect(dates.at(-1)).toBe('2027-03-11');
    expect(plan.items.length).toBe(22);
    const reattempt = plan.items.find((i: { kind: string }) => i.kind === 'reattempt');
    expect(reattempt).toMatchObject({ date: '2027-03-02', answerId: weak.id, question: { id: question.id } });
    expect(plan.progress).toMatchObject({ done: 0, total: 22, dueToday: 2, overdue: 0 });
    expect(plan.competenciesWithoutStory).toEqual(plan.competencies);

    // Doing today's first item with an answer to its question moves the progress.
    const first = plan.items[0];
    const answer = await app.db.answer.create({ data: { userId: me.id, questionId: first.question.id, mediaUrl: 'ws://media', status: 'ready', durationMs: 60_000 } });
    const wrong = await app.db.answer.create({ data: { userId: me.id, questionId: question.id === first.question.id ? plan.items[1].question.id : question.id, mediaUrl: 'ws://media', status: 'ready' } });
    expect((await call('POST', `/api/prep-plans/${plan.id}/items/${first.id}/done`, me.cookie, { answerId: wrong.id })).json().error.code).toBe('WRONG_QUESTION');
    const done = (await call('POST', `/api/prep-plans/${plan.id}/items/${first.id}/done`, me.cookie, { answerId: answer.id })).json().plan;
    expect(done.progress).toMatchObject({ done: 1, dueToday: 1 });

    // The interview moves sooner: what is done stays, the rest is planned to the new date.
    const moved = (await call('PATCH', `/api/prep-plans/${plan.id}`, me.cookie, { interviewDate: '2027-03-05' })).json().plan;
    expect(moved.interviewDate).toBe('2027-03-05');
    expect([...new Set(moved.items.map((i: { date: string }) => i.date))].at(-1)).toBe('2027-03-04');
    expect(moved.items.find((i: { id: string }) => i.id === first.id)).toMatchObject({ done: true, doneAnswerId: answer.id });
    expect(moved.progress.total).toBe(1 + 4 * 2 - 1);

    // Moving it into the past (or to today) is refused with a stable code, and nothing is written:
    // not the date, not the rhythm sent with it, not the items.
    for (const interviewDate of ['2027-02-26', '2027-03-01']) {
      const past = await call('PATCH', `/api/prep-plans/${plan.id}`, me.cookie, { interviewDate, perDay: 1, weekdays: [2] });
      expect(past.statusCode, past.body).toBe(400);
      expect(past.json().error.code).toBe('DATE_IN_PAST');
    }
    const row = await app.db.prepPlan.findUniqueOrThrow({ where: { id: plan.id }, include: { items: { orderBy: { id: 'asc' } } } });
    expect(row).toMatchObject({ interviewDate: new Date('2027-03-05T00:00:00Z'), perDay: 2, weekdays: [] });
    expect(row.items.map((i) => i.id).sort()).toEqual(moved.items.map((i: { id: string }) => i.id).sort());
  });

  it('keeps a story bank with feedback before it is spoken, mapped to the plan’s questions', async () => {
    const bad = await call('POST', '/api/stories', me.cookie, { title: 'Checkout', framework: 'star', fields: { situation: 'x', obstacle: 'y' }, competencies: [] });
    expect(bad.json().error.code).toBe('UNKNOWN_STORY_PART');
    const story = await call('POST', '/api/stories', me.cookie, {
      title: 'Checkout outage',
      framework: 'star',
      fields: { situation: 'At my last job checkout timed out during every sale.', task: 'I had to make it reliable within six weeks.', action: 'We talked about it.', result: 'It got better.' },
      competencies: ['Ownership'],
    });
    expect(story.statusCode, story.body).toBe(201);
    const { feedback } = story.json().story;
    // A thin action told as "we", and a thin result with no number.
    expect(feedback.points.filter((p: { kind: string }) => p.kind === 'improvement').map((p: { part: string; message: string }) => `${p.part}: ${p.message.split(/[:;]/)[0]}`)).toEqual([
      'action: The Action is very short',
      'result: The Result is very short',
      'result: No measurable result',
      'action: The actions say "we" more than "I"',
    ]);
    const [plan] = (await call('GET', '/api/prep-plans', me.cookie)).json().plans;
    expect(plan.competenciesWithoutStory).not.toContain('ownership');
    expect(plan.items.find((i: { competency: string }) => i.competency === 'ownership').story).toEqual({ id: story.json().story.id, title: 'Checkout outage' });
    // Without an OpenAI key the AI comments say so (the automatic ones stand).
    expect((await call('POST', `/api/stories/${story.json().story.id}/ai-feedback`, me.cookie)).json().error.code).toBe('AI_NOT_CONFIGURED');
    // Someone else's story: not found.
    expect((await call('GET', `/api/stories/${story.json().story.id}`, other.cookie)).statusCode).toBe(404);
    expect((await call('DELETE', `/api/stories/${story.json().story.id}`, other.cookie)).statusCode).toBe(404);
  });

  it('refuses a date in the past, a 1 MB job description, another user’s plan, and a plan past the subscription’s limit', async () => {
    const before = await app.db.prepPlan.count();
    expect((await call('POST', '/api/prep-plans', other.cookie, { role: 'PM', interviewDate: '2027-02-27' })).json().error.code).toBe('DATE_IN_PAST');
    expect((await call('POST', '/api/prep-plans', other.cookie, { role: 'PM', interviewDate: '2027-03-01' })).json().error.code).toBe('DATE_IN_PAST');
    expect((await call('POST', '/api/prep-plans', other.cookie, { role: 'PM', interviewDate: '2028-03-01' })).json().error.code).toBe('DATE_TOO_FAR');
    const huge = await call('POST', '/api/prep-plans', other.cookie, { role: 'PM', interviewDate: '2027-03-10', jobDescription: 'x'.repeat(1024 * 1024) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await call('POST', '/api/prep-plans', other.cookie, { role: 'PM', interviewDate: '2027-03-10', jobDescription: 'x'.repeat(30_000) })).json().error.code).toBe('VALIDATION_FAILED');
    expect(await app.db.prepPlan.count()).toBe(before);
    const [mine] = (await call('GET', '/api/prep-plans', me.cookie)).json().plans;
    for (const [method, url, body] of [['GET', `/api/prep-plans/${mine.id}`, undefined], ['PATCH', `/api/prep-plans/${mine.id}`, { perDay: 1 }], ['DELETE', `/api/prep-plans/${mine.id}`, undefined], ['POST', `/api/prep-plans/${mine.id}/items/${mine.items[0].id}/done`, { answerId: mine.items[0].doneAnswerId ?? mine.items[0].question.id }]] as const) {
      expect((await call(method, url, other.cookie, body)).statusCode, `${method} ${url}`).toBe(404);
    }
    expect((await call('GET', '/api/prep-plans', other.cookie)).json().plans).toEqual([]);
    // The free plan keeps one prep plan.
    const second = await call('POST', '/api/prep-plans', me.cookie, { role: 'Staff engineer', interviewDate: '2027-04-01' });
    expect(second.statusCode).toBe(402);
    expect(second.json().error.code).toBe('PLAN_LIMIT_REACHED');
  });

  it('keeps the free plan’s one prep plan under a burst of creations', async () => {
    const burster = await signUp(app, origin, 'prep-burst@example.com');
    const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => call('POST', '/api/prep-plans', burster.cookie, { role: `Engineer ${i}`, interviewDate: '2027-03-20', competencies: ['ownership'] })));
    expect(burst.filter((r) => r.statusCode === 201)).toHaveLength(1);
    const refused = burst.filter((r) => r.statusCode !== 201);
    expect(refused).toHaveLength(7);
    for (const r of refused) {
      expect(r.statusCode, r.body).toBe(402);
      expect(r.json().error.code).toBe('PLAN_LIMIT_REACHED');
    }
    expect(await app.db.prepPlan.count({ where: { userId: burster.id } })).toBe(1);
  });
});

describe('answering a plan item with the cheat sheet', () => {
  let api: TestApi;
  let app: App;
  let origin: string;

  beforeAll(async () => {
    api = await startApi();
    ({ app, origin } = api);
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
  });

  it('records the cheat-sheet level on the answer, marks the item done when the answer is, and weans the user off notes', async () => {
    const me = await signUp(app, origin, 'cheat@example.com');
    const other = await signUp(app, origin, 'cheat-other@example.com');
    const call = (method: string, url: string, cookie: string, payload?: object) => app.inject({ method: method as 'GET', url, headers: { origin, cookie }, ...(payload ? { payload } : {}) });
    const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const plan = (await call('POST', '/api/prep-plans', me.cookie, { role: 'Engineer', interviewDate: inAWeek, competencies: ['ownership'], perDay: 1 })).json().plan;
    // The plan suggests the script, but the sheet starts off until the user turns it on.
    expect(plan).toMatchObject({ cheatSheetLevel: 'script', cheatSheetStarts: 'off' });
    const story = (await call('POST', '/api/stories', me.cookie, { title: 'Outage', framework: 'star', fields: { situation: 'Checkout failed during sales, every time, for a year.', task: 'I had to fix it before the next sale.', action: 'I added a cache and load tests.', result: 'Errors fell from 4 % to 0.1 %.' }, competencies: ['ownership'] })).json().story;
    expect(story.cheatSheet.bullets).toEqual([
      { label: 'Situation', text: 'Checkout failed during sales' },
      { label: 'Task', text: 'I had to fix it before the next…' },
      { label: 'Action', text: 'I added a cache and load tests' },
      { label: 'Result', text: 'Errors fell from 4 % to 0.1 %' },
    ]);
    expect(story.cheatSheet.script[3]).toEqual({ label: 'Result', text: 'Errors fell from 4 % to 0.1 %.' });

    const [item] = plan.items;
    // Another user's item, or this item for another question: refused.
    const otherQuestion = await app.db.question.findFirstOrThrow({ where: { ownerId: null, NOT: { id: item.question.id } } });
    expect((await call('POST', '/api/answers', other.cookie, { questionId: item.question.id, prepItemId: item.id })).json().error.code).toBe('ITEM_NOT_FOUND');
    expect((await call('POST', '/api/answers', me.cookie, { questionId: otherQuestion.id, prepItemId: item.id })).json().error.code).toBe('WRONG_QUESTION');
    const started = await call('POST', '/api/answers', me.cookie, { questionId: item.question.id, prepItemId: item.id, cheatSheet: 'bullets' });
    expect(started.statusCode, started.body).toBe(201);
    const answer = started.json().answer;
    expect(answer).toMatchObject({ cheatSheet: 'bullets', prepItemId: item.id });
    // Not done while the answer runs; done once it is saved.
    expect((await call('GET', `/api/prep-plans/${plan.id}`, me.cookie)).json().plan.progress.done).toBe(0);
    await app.db.answer.update({ where: { id: answer.id }, data: { status: 'ready', stoppedAt: new Date(), durationMs: 90_000 } });
    await app.db.answerReport.create({ data: { answerId: answer.id, engine: 'pocketsphinx', durationMs: 90_000, words: [], summary: {}, spans: [], starHeard: ['situation', 'task', 'action', 'result'] } });
    const after = (await call('GET', `/api/prep-plans/${plan.id}`, me.cookie)).json().plan;
    expect(after.progress.done).toBe(1);
    expect(after.items.find((i: { id: string }) => i.id === item.id)).toMatchObject({ done: true, doneAnswerId: answer.id });
    expect((await call('GET', `/api/answers/${answer.id}`, me.cookie)).json().answer.cheatSheet).toBe('bullets');
    // One strong answer is not enough to drop the script; two are enough for bullets. Having used
    // the sheet, the next answer's sheet starts where the plan suggests.
    expect(after).toMatchObject({ cheatSheetLevel: 'script', cheatSheetStarts: 'script' });
    const second = after.items.find((i: { done: boolean }) => !i.done);
    const a2 = (await call('POST', '/api/answers', me.cookie, { questionId: second.question.id, prepItemId: second.id })).json().answer;
    await app.db.answer.update({ where: { id: a2.id }, data: { status: 'ready', stoppedAt: new Date(), durationMs: 90_000 } });
    await app.db.answerReport.create({ data: { answerId: a2.id, engine: 'pocketsphinx', durationMs: 90_000, words: [], summary: {}, spans: [], starHeard: ['situation', 'task', 'action'] } });
    expect((await call('GET', `/api/prep-plans/${plan.id}`, me.cookie)).json().plan.cheatSheetLevel).toBe('bullets');

    // Nothing once the last three answers told all four STAR parts: two more full answers are not
    // enough (the three-part one is still among the last three); the third is.
    let stopped = Date.now() + 60_000;
    const answerNext = async (starHeard: string[]) => {
      const open = (await call('GET', `/api/prep-plans/${plan.id}`, me.cookie)).json().plan.items.find((i: { done: boolean }) => !i.done);
      const started = await call('POST', '/api/answers', me.cookie, { questionId: open.question.id, prepItemId: open.id, cheatSheet: 'bullets' });
      expect(started.statusCode, started.body).toBe(201);
      const a = started.json().answer;
      await app.db.answer.update({ where: { id: a.id }, data: { status: 'ready', stoppedAt: new Date((stopped += 60_000)), durationMs: 90_000 } });
      await app.db.answerReport.create({ data: { answerId: a.id, engine: 'pocketsphinx', durationMs: 90_000, words: [], summary: {}, spans: [], starHeard } });
      return (await call('GET', `/api/prep-plans/${plan.id}`, me.cookie)).json().plan.cheatSheetLevel;
    };
    const allFour = ['situation', 'task', 'action', 'result'];
    expect(await answerNext(allFour)).toBe('bullets');
    expect(await answerNext(allFour)).toBe('bullets');
    expect(await answerNext(allFour)).toBe('off');
    // A weaker answer after that brings the notes back.
    expect(await answerNext(['situation', 'task'])).toBe('script');
  });
});

describe('prep plan reminders', () => {
  let api: TestApi;
  let app: App;
  let origin: string;
  // Thursday 2027-03-25, a few days before Europe's spring change (Sunday 28th, 02:00 → 03:00).
  const clock = new TestClock(Date.UTC(2027, 2, 25, 12, 0));

  beforeAll(async () => {
    api = await startApi({}, { jobs: { clock, pollSeconds: 0.5 } });
    ({ app, origin } = api);
    await app.ready();
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
  });

  it('mails the day’s items at 07:30 local time across the daylight-saving change, with a calendar, until unsubscribed', async () => {
    const me = await signUp(app, origin, 'remind@example.com');
    const other = await signUp(app, origin, 'remind-other@example.com');
    await app.db.user.update({ where: { id: me.id }, data: { timezone: 'Europe/Berlin' } });
    const call = (method: string, url: string, cookie?: string, payload?: object) => app.inject({ method: method as 'GET', url, headers: { origin, ...(cookie ? { cookie } : {}) }, ...(payload ? { payload } : {}) });
    const plan = (await call('POST', '/api/prep-plans', me.cookie, { role: 'Engineer', company: 'Acme', interviewDate: '2027-04-02', competencies: ['ownership', 'leadership'], perDay: 1 })).json().plan;
    expect((await call('PUT', `/api/prep-plans/${plan.id}/reminders`, other.cookie, { minute: 450, days: [] })).statusCode).toBe(404);
    const set = (await call('PUT', `/api/prep-plans/${plan.id}/reminders`, me.cookie, { minute: 7 * 60 + 30, days: [] })).json();
    // Friday 07:30 in Berlin (CET, UTC+1).
    expect(set.nextReminderAt).toBe('2027-03-26T06:30:00.000Z');
    const mails = () => app.db.outboxEmail.findMany({ where: { to: 'remind@example.com', subject: { startsWith: "Today's practice" } }, orderBy: { createdAt: 'asc' } });
    const advanceTo = async (ms: number, count: number) => {
      await clock.setTime(ms);
      await vi.waitFor(async () => {
        await clock.tick(1_000);
        expect(await mails()).toHaveLength(count);
      }, { timeout: 20_000, interval: 200 });
    };
    await advanceTo(Date.parse('2027-03-26T06:30:01Z'), 1);
    const [friday] = await mails();
    const fridayItem = plan.items.find((i: { date: string }) => i.date === '2027-03-26');
    expect(friday!.text).toContain(fridayItem.question.text);
    expect(friday!.text).toContain(`/practice/${fridayItem.question.id}?prepItem=${fridayItem.id}&plan=${plan.id}`);
    // The calendar: one session per practice day, at 07:30 local time on both sides of the change.
    const events = new ICAL.Component(ICAL.parse(friday!.calendar!)).getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
    expect(events).toHaveLength(8);
    const start = (date: string) => events.find((e) => e.uid === `prep-${plan.id}-${date}@localhost`)!.startDate.toJSDate().toISOString();
    expect(start('2027-03-27')).toBe('2027-03-27T06:30:00.000Z');
    expect(start('2027-03-29')).toBe('2027-03-29T05:30:00.000Z');
    // Saturday, then Sunday the 28th after the change: 07:30 CEST is 05:30 UTC.
    await advanceTo(Date.parse('2027-03-27T06:30:01Z'), 2);
    await clock.setTime(Date.parse('2027-03-28T05:29:00Z'));
    await clock.tick(2_000);
    expect(await mails()).toHaveLength(2);
    await advanceTo(Date.parse('2027-03-28T05:30:01Z'), 3);

    // The feed needs its secret; the unsubscribe link in the mail turns reminders off.
    const feedToken = new URL(set.feedUrl).searchParams.get('token')!;
    expect((await app.inject({ method: 'GET', url: `/api/prep-plans/${plan.id}/calendar.ics?token=${'x'.repeat(32)}` })).statusCode).toBe(404);
    const feed = await app.inject({ method: 'GET', url: `/api/prep-plans/${plan.id}/calendar.ics?token=${feedToken}` });
    expect(feed.headers['content-type']).toMatch(/^text\/calendar/);
    expect(new ICAL.Component(ICAL.parse(feed.body)).getAllSubcomponents('vevent')).toHaveLength(8);
    const link = /Stop these reminders: (\S+)/.exec((await mails()).at(-1)!.text)![1]!;
    const path = new URL(link).pathname + new URL(link).search;
    expect((await app.inject({ method: 'GET', url: path.replace(/token=[^&]+/, `token=${'y'.repeat(32)}`) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: path })).statusCode).toBe(200);
    await clock.setTime(Date.parse('2027-03-29T05:30:01Z'));
    await clock.tick(2_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await mails()).toHaveLength(3);

    // A deleted plan gets no more mail (its job finds nothing).
    const again = (await call('PUT', `/api/prep-plans/${plan.id}/reminders`, me.cookie, { minute: 7 * 60 + 30, days: [] })).json();
    expect(again.nextReminderAt).toBe('2027-03-30T05:30:00.000Z');
    expect((await call('DELETE', `/api/prep-plans/${plan.id}`, me.cookie)).statusCode).toBe(204);
    await clock.setTime(Date.parse('2027-03-30T05:30:01Z'));
    await clock.tick(2_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await mails()).toHaveLength(3);
  });

  const mailsTo = (to: string) => app.db.outboxEmail.findMany({ where: { to, subject: { startsWith: "Today's practice" } }, orderBy: { createdAt: 'asc' } });
  const call = (method: string, url: string, cookie?: string, payload?: object) => app.inject({ method: method as 'GET', url, headers: { origin, ...(cookie ? { cookie } : {}) }, ...(payload ? { payload } : {}) });
  /** Moves the clock to `ms` and waits until `to` has `count` reminder mails. */
  const advanceTo = async (ms: number, to: string, count: number) => {
    await clock.setTime(ms);
    await vi.waitFor(async () => {
      await clock.tick(1_000);
      expect(await mailsTo(to)).toHaveLength(count);
    }, { timeout: 20_000, interval: 200 });
  };
  /** Moves the clock past `ms`, gives the queue time to run what is due, and expects `to` still at `count`. */
  const quietPast = async (ms: number, to: string, count: number) => {
    await clock.setTime(ms);
    await clock.tick(2_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await mailsTo(to)).toHaveLength(count);
  };

  it('sends nothing to a deleted account', async () => {
    // Two accounts with reminders at the same time; one is deleted: only the other is mailed.
    await clock.setTime(Date.parse('2027-04-01T10:00:00Z'));
    const [quitter, stayer] = await Promise.all([signUp(app, origin, 'remind-quit@example.com'), signUp(app, origin, 'remind-stay@example.com')]);
    for (const who of [quitter, stayer]) {
      const plan = (await call('POST', '/api/prep-plans', who.cookie, { role: 'Engineer', interviewDate: '2027-04-06', competencies: ['ownership'], perDay: 1 })).json().plan;
      expect((await call('PUT', `/api/prep-plans/${plan.id}/reminders`, who.cookie, { minute: 8 * 60, days: [] })).json().nextReminderAt).toBe('2027-04-02T08:00:00.000Z');
    }
    expect((await call('DELETE', '/api/me', quitter.cookie, { password: 'a long enough password' })).statusCode).toBe(204);
    expect(await app.db.prepPlan.count({ where: { userId: quitter.id } })).toBe(0);
    await advanceTo(Date.parse('2027-04-02T08:00:01Z'), 'remind-stay@example.com', 1);
    await quietPast(Date.parse('2027-04-02T08:00:03Z'), 'remind-quit@example.com', 0);
  });

  it('moves the reminders with the interview: again after they ran out, none after an earlier date', async () => {
    // Monday 5 April 2027, 12:00 in Berlin (CEST); the interview on Wednesday the 7th.
    await clock.setTime(Date.parse('2027-04-05T10:00:00Z'));
    const me = await signUp(app, origin, 'remind-move@example.com');
    const to = 'remind-move@example.com';
    await app.db.user.update({ where: { id: me.id }, data: { timezone: 'Europe/Berlin' } });
    const plan = (await call('POST', '/api/prep-plans', me.cookie, { role: 'Engineer', interviewDate: '2027-04-07', competencies: ['ownership'], perDay: 1 })).json().plan;
    expect((await call('PUT', `/api/prep-plans/${plan.id}/reminders`, me.cookie, { minute: 7 * 60 + 30, days: [] })).json().nextReminderAt).toBe('2027-04-06T05:30:00.000Z');
    await advanceTo(Date.parse('2027-04-06T05:30:01Z'), to, 1);
    // The interview day's morning mail is the last: then they have run out.
    await advanceTo(Date.parse('2027-04-07T05:30:01Z'), to, 2);
    const view = async () => (await call('GET', `/api/prep-plans/${plan.id}`, me.cookie)).json().plan;
    await vi.waitFor(async () => expect((await view()).reminders.nextAt).toBeNull(), { timeout: 5_000, interval: 200 });

    // The interview moves to Monday the 12th: the mails start again tomorrow, at the same time.
    const later = await call('PATCH', `/api/prep-plans/${plan.id}`, me.cookie, { interviewDate: '2027-04-12' });
    expect(later.statusCode, later.body).toBe(200);
    expect(later.json().plan.reminders).toMatchObject({ minute: 7 * 60 + 30, days: [], nextAt: '2027-04-08T05:30:00.000Z' });
    await advanceTo(Date.parse('2027-04-08T05:30:01Z'), to, 3);
    expect((await mailsTo(to)).at(-1)!.subject).toContain('(interview 2027-04-12)');

    // Mondays only: the next is the interview day, the 12th. The interview then moves to Saturday
    // the 10th: no Monday is left before it, and the mail queued for the 12th is not sent.
    expect((await call('PUT', `/api/prep-plans/${plan.id}/reminders`, me.cookie, { minute: 7 * 60 + 30, days: [1] })).json().nextReminderAt).toBe('2027-04-12T05:30:00.000Z');
    const sooner = (await call('PATCH', `/api/prep-plans/${plan.id}`, me.cookie, { interviewDate: '2027-04-10' })).json().plan;
    expect(sooner.reminders).toMatchObject({ days: [1], nextAt: null });
    await quietPast(Date.parse('2027-04-12T05:30:01Z'), to, 3);
  });
});

describe('AI comments on a story', () => {
  let api: TestApi;
  let app: App;
  let origin: string;
  let openai: OpenAiTestServer;

  beforeAll(async () => {
    openai = await startOpenAiTestServer({ apiKey: 'sk-test-story' });
    api = await startApi({ OPENAI_API_KEY: 'sk-test-story', OPENAI_BASE_URL: openai.url, OPENAI_MAX_RETRIES: '1', OPENAI_TIMEOUT_MS: '1500', OPENAI_MODEL: 'gpt-test' });
    ({ app, origin } = api);
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
    await openai?.close();
  });

  it('has the model read a pasted job description: its competencies and its questions make the plan', async () => {
    const me = await signUp(app, origin, 'plan-ai@example.com');
    const call = (method: string, url: string, cookie: string, payload?: object) => app.inject({ method: method as 'GET', url, headers: { origin, cookie }, ...(payload ? { payload } : {}) });
    const q = (text: string, competency: string) => ({ text, kind: 'behavioural', competency, framework: 'star', difficulty: 2, followUps: [] });
    openai.enqueue({ kind: 'content', content: { competencies: ['Customer Obsession', 'Bias for Action'], questions: [q('Tell me about a time you went beyond for a customer.', 'customer obsession'), q('Tell me about a decision you made with little data.', 'bias for action')] } });
    const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const created = await call('POST', '/api/prep-plans', me.cookie, { role: 'Product manager', company: 'Acme', interviewDate: inAWeek, jobDescription: 'Obsess over customers and act fast with incomplete data.', perDay: 1 });
    expect(created.statusCode, created.body).toBe(201);
    const plan = created.json().plan;
    expect(plan.competencies).toEqual(['customer-obsession', 'bias-for-action']);
    expect(plan.items.map((i: { question: { text: string } }) => i.question.text)).toEqual(expect.arrayContaining(['Tell me about a time you went beyond for a customer.', 'Tell me about a decision you made with little data.']));
    expect(openai.requests.at(-1)!.body.response_format).toMatchObject({ json_schema: { name: 'question_set' } });
  });

  it('asks the model through the official SDK with the story’s parts, and says why when it fails', async () => {
    const me = await signUp(app, origin, 'story-ai@example.com');
    const other = await signUp(app, origin, 'story-ai-other@example.com');
    const call = (method: string, url: string, cookie: string, payload?: object) => app.inject({ method: method as 'GET', url, headers: { origin, cookie }, ...(payload ? { payload } : {}) });
    const story = (await call('POST', '/api/stories', me.cookie, { title: 'Outage', framework: 'carl', fields: { context: 'Checkout failed during sales.', action: 'We added a cache.', result: 'It got better.', learning: 'Test under load.' }, competencies: ['ownership'] })).json().story;
    openai.enqueue({ kind: 'content', content: { comments: [{ part: 'action', kind: 'improvement', message: 'Say what you did: "I added a cache", not "we".' }, { part: 'nonsense', kind: 'strength', message: 'Clear lesson.' }], rewrite: { part: 'result', text: 'Checkout errors fell from 4 % to 0.1 % in the next sale.' } } });
    const response = await call('POST', `/api/stories/${story.id}/ai-feedback`, me.cookie);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().feedback).toEqual({
      model: 'gpt-test',
      comments: [{ part: 'action', kind: 'improvement', message: 'Say what you did: "I added a cache", not "we".' }, { part: null, kind: 'strength', message: 'Clear lesson.' }],
      rewrite: { part: 'result', text: 'Checkout errors fell from 4 % to 0.1 % in the next sale.' },
    });
    const request = openai.requests.at(-1)!.body as unknown as { model: string; messages: { content: string }[]; response_format: { json_schema: { name: string; strict: boolean } } };
    expect(request.response_format.json_schema).toMatchObject({ name: 'story_feedback', strict: true });
    expect(request.messages[1]!.content).toContain('[action] Action: We added a cache.');
    expect(request.messages[0]!.content).toContain('CARL');
    // The model rate-limited twice (the SDK's retry included): a clear code, the automatic comments stand.
    openai.enqueue({ kind: 'rateLimit', retryAfterSeconds: 0 }, { kind: 'rateLimit', retryAfterSeconds: 0 });
    const limited = await call('POST', `/api/stories/${story.id}/ai-feedback`, me.cookie);
    expect(limited.statusCode).toBe(502);
    expect(limited.json().error.code).toBe('AI_RATE_LIMITED');
    // Someone else's story: not found, and the model is not asked.
    const before = openai.requests.length;
    expect((await call('POST', `/api/stories/${story.id}/ai-feedback`, other.cookie)).statusCode).toBe(404);
    expect(openai.requests.length).toBe(before);
    // Ten AI comments an hour per user (two used above); the eleventh is refused before the model is asked.
    const more = [];
    for (let i = 0; i < 8; i++) more.push((await call('POST', `/api/stories/${story.id}/ai-feedback`, me.cookie)).statusCode);
    expect(more.every((code) => code === 200)).toBe(true);
    const asked = openai.requests.length;
    expect((await call('POST', `/api/stories/${story.id}/ai-feedback`, me.cookie)).statusCode).toBe(429);
    expect(openai.requests.length).toBe(asked);
  });
});
