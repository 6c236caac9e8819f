// The coach without an OpenAI key (the embedded default): question sets picked from the bank by
// role and job description, the follow-up from the question's follow-ups and the missing part,
// answered as a linked answer; mock interviews from start to combined report; progress; originality
// and off-topic notes on the report; PDF scorecards read back with pdftotext; bad input.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { App } from '@rehearse/api';
import { finishedAnswer, NO_RESULT_STORY, STRONG_STORY } from './support/answers.ts';
import { signUp, useApi } from './support/api.ts';

const TEMPLATE =
  'In my previous role as a project coordinator, I noticed that our team was missing deadlines because tasks were tracked in five different spreadsheets. I took the initiative to set up a single project board, and I trained everyone on how to use it. Within the first month, we cut missed deadlines by half, and my manager asked me to roll the same process out to two other departments. That experience taught me that a simple system, explained well, can change how a whole team works.';
const TEMPLATE_COPY =
  'Um, in my previous role as a project assistant, I noticed that our team was missing deadlines because tasks were tracked in four different spreadsheets. So I took the initiative to set up a single project board, and I trained everyone on how to use it. Within the first two months, we cut missed deadlines by half, and my manager asked me to roll the same process out to three other teams. That experience really taught me that a simple system, explained well, can change how a whole team works.';
const CLICHES =
  'I am a team player and a hard worker, and I always go above and beyond. I am passionate about results and I think outside the box. At the end of the day I am detail oriented and results driven, and I hit the ground running in every role. I wear many hats and I give one hundred and ten percent, because synergy matters to me and I am a fast learner who thrives under pressure.';

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'scorecard-'));
  const file = path.join(dir, 'card.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

describe('the coach offline (no OpenAI key)', () => {
  const api = useApi();
  let app: App;
  let origin: string;
  let questionId: string;

  beforeAll(async () => {
    ({ app, origin } = api);
    questionId = (await app.db.question.findFirstOrThrow({ where: { slug: 'disagreement' } })).id;
  });
  const get = (url: string, cookie: string) => app.inject({ method: 'GET', url, headers: { cookie } });
  const post = (url: string, cookie: string, payload?: object) => app.inject({ method: 'POST', url, headers: { cookie, origin }, ...(payload ? { payload } : {}) });

  it('picks question sets from the bank by the role and the competencies in the job description, labelled', async () => {
    const me = await signUp(app, origin, 'offline.sets@example.com');
    const jobDescription = 'You will manage stakeholders across sales and engineering, prioritise the roadmap, and use data and metrics to decide. Stakeholder alignment is key.';
    const created = await post('/api/question-sets', me.cookie, { role: 'Senior Product Manager', company: 'Acme <script>alert(1)</script>', jobDescription });
    expect(created.statusCode).toBe(201);
    const set = created.json().questionSet;
    expect(set).toMatchObject({ source: 'bank', cached: false, company: 'Acme <script>alert(1)</script>', note: expect.stringContaining('question bank') });
    expect(set.competencies).toEqual(expect.arrayContaining(['stakeholder-management', 'analytics', 'prioritization']));
    expect(set.questions).toHaveLength(8);
    // For the role (or every role), and led by the competencies the description asks for.
    for (const q of set.questions) expect(q.roles.length === 0 || q.roles.includes('product-manager')).toBe(true);
    expect(set.questions.slice(0, 3).every((q: { competency: string }) => set.competencies.includes(q.competency))).toBe(true);
    expect(await app.db.question.count({ where: { ownerId: me.id } })).toBe(0);
    const cached = await post('/api/question-sets', me.cookie, { role: 'senior product manager', company: 'Acme <script>alert(1)</script>', jobDescription });
    expect(cached.statusCode).toBe(200);
    expect(cached.json().questionSet.id).toBe(set.id);
    // No key: AI feedback says it is not available, with a stable code.
    const answerId = await finishedAnswer(app, { userId: me.id, questionId, script: STRONG_STORY });
    const ai = await post(`/api/answers/${answerId}/feedback`, me.cookie);
    expect(ai.statusCode).toBe(409);
    expect(ai.json().error.code).toBe('AI_NOT_CONFIGURED');
    expect((await get(`/api/answers/${answerId}/feedback`, me.cookie)).json()).toMatchObject({ available: false, feedbacks: [] });
  });

  it("asks the follow-up about the part the answer missed, and links the answer to it; nobody else's", async () => {
    const me = await signUp(app, origin, 'offline.follow@example.com');
    const other = await signUp(app, origin, 'offline.follow.other@example.com');
    const answerId = await finishedAnswer(app, { userId: me.id, questionId, script: NO_RESULT_STORY });
    const report = await app.db.answerReport.findUniqueOrThrow({ where: { answerId } });
    expect(report.starHeard).not.toContain('result'); // the fixture's premise
    const asked = await post(`/api/answers/${answerId}/follow-up`, me.cookie);
    expect(asked.statusCode).toBe(200);
    const { followUp } = asked.json();
    expect(followUp.source).toBe('bank');
    expect(followUp.question.text).toMatch(/result|outcome|differently|change|know/i);
    expect((await post(`/api/answers/${answerId}/follow-up`, me.cookie)).json().followUp.question.id).toBe(followUp.question.id);
    // Not among my own questions on the practice list.
    const mine = (await get('/api/questions?mine=true', me.cookie)).json().questions;
    expect(mine.map((q: { id: string }) => q.id)).not.toContain(followUp.question.id);

    const started = await post('/api/answers', me.cookie, { questionId: followUp.question.id, parentAnswerId: answerId });
    expect(started.statusCode).toBe(201);
    expect(started.json().answer).toMatchObject({ parentAnswerId: answerId, question: { id: followUp.question.id } });
    await post(`/api/answers/${started.json().answer.id}/stop`, me.cookie);
    await app.db.answer.update({ where: { id: started.json().answer.id }, data: { status: 'ready' } });
    expect((await post(`/api/answers/${answerId}/follow-up`, me.cookie)).json().followUp.answerIds).toEqual([started.json().answer.id]);

    // The wrong question for that parent; someone else's answer; their follow-up question.
    const wrong = await post('/api/answers', me.cookie, { questionId, parentAnswerId: answerId });
    expect(wrong.json().error.code).toBe('NOT_THE_FOLLOW_UP');
    const theirs = await finishedAnswer(app, { userId: other.id, questionId, script: NO_RESULT_STORY });
    expect((await post(`/api/answers/${theirs}/follow-up`, me.cookie)).statusCode).toBe(404);
    const theirFollowUp = (await post(`/api/answers/${theirs}/follow-up`, other.cookie)).json().followUp;
    const stolen = await post('/api/answers', me.cookie, { questionId: theirFollowUp.question.id, parentAnswerId: theirs });
    expect(stolen.statusCode).toBe(404);
  });

  it('runs a mock interview: questions by role, answers in order, follow-ups, a combined report and its PDF', async () => {
    const me = await signUp(app, origin, 'offline.mock@example.com');
    const other = await signUp(app, origin, 'offline.mock.other@example.com');
    const created = await post('/api/mock-interviews', me.cookie, { role: 'software-engineer', competencies: ['ownership', 'collaboration'], questions: 3, minutes: 15 });
    expect(created.statusCode).toBe(201);
    const mock = created.json().mockInterview;
    expect(mock).toMatchObject({ status: 'active', current: 0, minutes: 15 });
    expect(mock.items).toHaveLength(3);
    expect(new Set(mock.items.map((i: { question: { id: string } }) => i.question.id)).size).toBe(3);
    for (const item of mock.items) expect(item.question.roles.length === 0 || item.question.roles.includes('software-engineer')).toBe(true);
    expect(mock.thinkSeconds).toBeGreaterThanOrEqual(5);

    // Someone else's interview, a question not in it.
    expect((await get(`/api/mock-interviews/${mock.id}`, other.cookie)).statusCode).toBe(404);
    expect((await post('/api/answers', other.cookie, { questionId: mock.items[0].question.id, mockInterviewId: mock.id })).statusCode).toBe(404);
    const outside = await app.db.question.findFirstOrThrow({ where: { ownerId: null, id: { notIn: mock.items.map((i: { question: { id: string } }) => i.question.id) } } });
    expect((await post('/api/answers', me.cookie, { questionId: outside.id, mockInterviewId: mock.id })).json().error.code).toBe('NOT_IN_MOCK');

    // Answers given in order move it on (a page reloaded anywhere sees the same state).
    const first = await finishedAnswer(app, { userId: me.id, questionId: mock.items[0].question.id, script: STRONG_STORY, mockInterviewId: mock.id, mockPosition: 0 });
    expect((await get(`/api/mock-interviews/${mock.id}`, me.cookie)).json().mockInterview.current).toBe(1);
    const follow = (await post(`/api/answers/${first}/follow-up`, me.cookie)).json().followUp;
    const followAnswer = await post('/api/answers', me.cookie, { questionId: follow.question.id, parentAnswerId: first, mockInterviewId: mock.id });
    expect(followAnswer.statusCode).toBe(201);
    expect(await app.db.answer.findUniqueOrThrow({ where: { id: followAnswer.json().answer.id } })).toMatchObject({ mockInterviewId: mock.id, mockPosition: 0 });
    await app.db.answer.update({ where: { id: followAnswer.json().answer.id }, data: { status: 'failed' } });
    await finishedAnswer(app, { userId: me.id, questionId: mock.items[1].question.id, script: NO_RESULT_STORY, mockInterviewId: mock.id, mockPosition: 1 });
    await finishedAnswer(app, { userId: me.id, questionId: mock.items[2].question.id, script: STRONG_STORY, mockInterviewId: mock.id, mockPosition: 2 });
    const state = (await get(`/api/mock-interviews/${mock.id}`, me.cookie)).json().mockInterview;
    expect(state.current).toBeNull();
    expect(state.items[0].followUpAnswer).toMatchObject({ status: 'failed' });

    const finished = await post(`/api/mock-interviews/${mock.id}/finish`, me.cookie);
    expect(finished.json().mockInterview.status).toBe('finished');
    expect((await post('/api/answers', me.cookie, { questionId: mock.items[0].question.id, mockInterviewId: mock.id })).json().error.code).toBe('MOCK_FINISHED');
    const report = (await get(`/api/mock-interviews/${mock.id}/report`, me.cookie)).json();
    expect(report.overall).toMatchObject({ answered: 3, questions: 3 });
    expect(report.overall.wpm).toBeGreaterThan(100);
    expect(report.items[0].followUp).toMatchObject({ question: follow.question.text });
    expect(report.items[1].answer.improvements.length).toBeGreaterThan(0);

    const pdf = await get(`/api/mock-interviews/${mock.id}/scorecard.pdf`, me.cookie);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = pdfText(pdf.rawPayload);
    for (const item of mock.items) expect(text.replace(/\s+/g, ' ')).toContain(item.question.text.slice(0, 30));
    expect((await get(`/api/mock-interviews/${mock.id}/scorecard.pdf`, other.cookie)).statusCode).toBe(404);
  });

  it('shows progress over time from my answers only, and prints it', async () => {
    const me = await signUp(app, origin, 'offline.progress@example.com');
    const other = await signUp(app, origin, 'offline.progress.other@example.com');
    for (let day = 1; day <= 4; day++) {
      await finishedAnswer(app, { userId: me.id, questionId, script: day % 2 ? STRONG_STORY : NO_RESULT_STORY, createdAt: new Date(Date.UTC(2026, 10, day, 9)) });
    }
    await finishedAnswer(app, { userId: other.id, questionId, script: STRONG_STORY, createdAt: new Date(Date.UTC(2026, 10, 2)) });
    const all = (await get('/api/progress', me.cookie)).json();
    expect(all.points).toHaveLength(4);
    expect(all.points.map((p: { at: string }) => p.at)).toEqual([1, 2, 3, 4].map((d) => new Date(Date.UTC(2026, 10, d, 9)).toISOString()));
    expect(all.points[0].starCompleteness).toBeGreaterThan(all.points[1].starCompleteness);
    expect(all.competencies).toEqual([expect.objectContaining({ competency: 'collaboration', answers: 4 })]);
    const period = (await get(`/api/progress?from=${encodeURIComponent('2026-11-02T00:00:00Z')}&to=${encodeURIComponent('2026-11-03T23:00:00Z')}`, me.cookie)).json();
    expect(period.points).toHaveLength(2);
    const backwards = await get(`/api/progress?from=${encodeURIComponent('2026-11-05T00:00:00Z')}&to=${encodeURIComponent('2026-11-01T00:00:00Z')}`, me.cookie);
    expect(backwards.statusCode).toBe(400);
    expect((await get('/api/progress?from=yesterday', me.cookie)).statusCode).toBe(400);
    const pdf = await get('/api/progress/scorecard.pdf', me.cookie);
    expect(pdf.statusCode).toBe(200);
    const text = pdfText(pdf.rawPayload);
    expect(text).toMatch(/Collaboration/);
    expect(text).toMatch(/\b4\b/);
  });

  it('flags a memorised answer like another user’s, and a generic one, without showing anyone’s text', async () => {
    const first = await signUp(app, origin, 'offline.original.a@example.com');
    const second = await signUp(app, origin, 'offline.original.b@example.com');
    const theirs = await finishedAnswer(app, { userId: first.id, questionId, script: TEMPLATE });
    expect((await get(`/api/answers/${theirs}/report`, first.cookie)).json().report.originality).toMatchObject({ flagged: false, similar: { count: 0 } });
    const copy = await finishedAnswer(app, { userId: second.id, questionId, script: TEMPLATE_COPY });
    const flagged = (await get(`/api/answers/${copy}/report`, second.cookie)).json().report.originality;
    expect(flagged).toMatchObject({ flagged: true, similar: { count: 1 } });
    expect(flagged.similar.score).toBeGreaterThan(0.5);
    expect(flagged.message).not.toContain('five different spreadsheets');
    // My own earlier take of the same story is not "someone else's".
    const again = await finishedAnswer(app, { userId: second.id, questionId, script: TEMPLATE_COPY });
    expect((await get(`/api/answers/${again}/report`, second.cookie)).json().report.originality.similar.count).toBe(1);
    const strong = await finishedAnswer(app, { userId: second.id, questionId, script: STRONG_STORY });
    expect((await get(`/api/answers/${strong}/report`, second.cookie)).json().report.originality.flagged).toBe(false);
    const generic = await finishedAnswer(app, { userId: second.id, questionId, script: CLICHES });
    const stock = (await get(`/api/answers/${generic}/report`, second.cookie)).json().report.originality;
    expect(stock).toMatchObject({ flagged: true, generic: { generic: true } });
    expect(stock.generic.stockPhrases.length).toBeGreaterThanOrEqual(5);
  });

  it('notes an answer that does not address the question, and not one that does', async () => {
    const me = await signUp(app, origin, 'offline.topic@example.com');
    const strengths = await app.db.question.findFirstOrThrow({ where: { ownerId: null, text: { contains: 'disagreed' } } });
    const offTopic = await finishedAnswer(app, {
      userId: me.id,
      questionId: strengths.id,
      script:
        'My favourite holiday was a trip to Portugal with my family. We rented a small flat in Lisbon, walked up the hills every morning, ate grilled sardines by the river, and took the tram to the beach. The weather was warm, the museums were quiet, and the pastries were the best I have ever had. I would love to go back in the spring and see the north of the country as well.',
    });
    const report = (await get(`/api/answers/${offTopic}/report`, me.cookie)).json().report;
    expect(report.offTopic).toMatchObject({ overlap: 0, message: expect.stringContaining('does not seem to address') });
    const onTopic = await finishedAnswer(app, { userId: me.id, questionId: strengths.id, script: NO_RESULT_STORY.replace('had a client', 'disagreed with a client') });
    expect((await get(`/api/answers/${onTopic}/report`, me.cookie)).json().report.offTopic).toBeNull();
  });

  it('prints an answer’s scorecard with its transcript and figures; markup stays text; not for others', async () => {
    const me = await signUp(app, origin, 'offline.pdf@example.com');
    const other = await signUp(app, origin, 'offline.pdf.other@example.com');
    const own = await post('/api/questions', me.cookie, { text: 'Tell me about <script>alert("x")</script> a launch you led.' });
    const answerId = await finishedAnswer(app, { userId: me.id, questionId: own.json().question.id, script: STRONG_STORY });
    const pdf = await get(`/api/answers/${answerId}/scorecard.pdf`, me.cookie);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-disposition']).toMatch(/^attachment; filename="rehearse-answer-\d{4}-\d{2}-\d{2}\.pdf"$/);
    const text = pdfText(pdf.rawPayload);
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain('<script>alert("x")</script>'.replace(/\s+/g, ''));
    expect(text).toContain('checkout service');
    const { report } = (await get(`/api/answers/${answerId}/report`, me.cookie)).json();
    expect(text).toContain(`${Math.round(report.summary.pace.overall.wpm)} wpm`);
    expect(text).toMatch(/Automatic feedback/);
    expect((await get(`/api/answers/${answerId}/scorecard.pdf`, other.cookie)).statusCode).toBe(404);
  });

  it('copes with a silent answer and a twenty-minute one', async () => {
    const me = await signUp(app, origin, 'offline.extremes@example.com');
    const silent = await finishedAnswer(app, { userId: me.id, questionId, script: '' });
    const quiet = (await get(`/api/answers/${silent}/report`, me.cookie)).json().report;
    expect(quiet.feedback.points[0].message).toMatch(/No speech was heard/);
    expect(quiet.originality.flagged).toBe(false);
    expect((await get(`/api/answers/${silent}/scorecard.pdf`, me.cookie)).statusCode).toBe(200);
    const follow = (await post(`/api/answers/${silent}/follow-up`, me.cookie)).json().followUp;
    expect(follow.question.text.length).toBeGreaterThan(10);

    // About 3,000 words (twenty minutes at 150 wpm).
    const long = await finishedAnswer(app, { userId: me.id, questionId, script: Array.from({ length: 37 }, () => STRONG_STORY).join(' ') });
    const big = (await get(`/api/answers/${long}/report`, me.cookie)).json().report;
    expect(big.words.length).toBeGreaterThan(3000);
    expect(big.feedback.points.some((p: { topic: string }) => p.topic === 'length')).toBe(true);
    const pdf = await get(`/api/answers/${long}/scorecard.pdf`, me.cookie);
    expect(pdf.statusCode).toBe(200);
    expect(pdfText(pdf.rawPayload)).toMatch(/excerpt/i);
  });

  it('caps the coach per user: mock interviews in progress, and the rate of coach requests', async () => {
    const me = await signUp(app, origin, 'offline.caps@example.com');
    const mocks = [];
    for (let i = 0; i < 4; i++) mocks.push(await post('/api/mock-interviews', me.cookie, { questions: 1, minutes: 5 }));
    expect(mocks.map((r) => r.statusCode)).toEqual([201, 201, 201, 409]);
    expect(mocks[3]!.json().error.code).toBe('MOCKS_IN_PROGRESS');
    // Out-of-range settings are refused by the schema.
    for (const bad of [{ questions: 0, minutes: 10 }, { questions: 11, minutes: 10 }, { questions: 3, minutes: 1000 }, { questions: 3, minutes: 10, thinkSeconds: -1 }, { questions: 3, minutes: 10, extra: true }]) {
      const refused = await post('/api/mock-interviews', me.cookie, bad);
      expect(refused.statusCode, JSON.stringify(bad)).toBe(400);
    }
    // Starting mock interviews: 20 requests per 10 minutes per user, whatever they answer (nine so far).
    const more: number[] = [];
    for (let i = 0; i < 12; i++) more.push((await post('/api/mock-interviews', me.cookie, { questions: 1, minutes: 5 })).statusCode);
    expect(more.slice(0, 11)).toEqual(Array(11).fill(409));
    expect(more[11]).toBe(429);
    // So do AI feedback and question sets.
    const answerId = await finishedAnswer(app, { userId: me.id, questionId, script: STRONG_STORY });
    for (const [url, body] of [[`/api/answers/${answerId}/feedback`, undefined], ['/api/question-sets', { role: 'Tester' }]] as const) {
      const statuses: number[] = [];
      for (let i = 0; i < 21; i++) statuses.push((await post(url, me.cookie, body ? { role: `${body.role} ${i}` } : undefined)).statusCode);
      expect(statuses.slice(0, 20).every((status) => status !== 429), url).toBe(true);
      expect(statuses[20], url).toBe(429);
    }
    const other = await signUp(app, origin, 'offline.caps.other@example.com');
    expect((await post('/api/question-sets', other.cookie, { role: 'Tester' })).statusCode).toBe(201);
  });
});
