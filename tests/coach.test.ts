// The AI coach through the official OpenAI SDK, pointed at a local server that speaks the API's
// wire protocol: feedback streamed as server-sent events and saved, the plan's monthly allowance
// (under a burst), every failure (429 past the retries, refusal, timeout, malformed output, a dropped
// stream) saved as such, not counted, the answer untouched; generated question sets (cached,
// limited, falling back to the bank); the interviewer's follow-up from the model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '@rehearse/api';
import { startOpenAiTestServer, type OpenAiTestServer } from '@rehearse/testkit/openaiServer';
import { finishedAnswer, STRONG_STORY } from './support/answers.ts';
import { signUp, startApi, type TestApi } from './support/api.ts';

const REPORT = {
  summary: 'A clear story with a measured result.',
  rubric: {
    structure: { score: 4, comment: 'Situation, action and result in order.' },
    specificity: { score: 5, comment: 'Twelve calls, four seconds, eighteen percent.' },
    impact: { score: 4, comment: 'A result the business felt.' },
    delivery: { score: 3, comment: 'Even pace.' },
  },
  strengths: [{ point: 'You measured the result.', quote: 'checkout time dropped from four seconds to under one second', at: 31.5 }],
  improvements: [{ point: 'Say why you chose a cache.', quote: 'I also added a cache', at: 999 }],
  missing: [{ part: 'Task', advice: 'Say what success looked like.' }],
  strongerVersion: { part: 'Task', text: 'My goal was to get checkout under one second before the sale.' },
  onTopic: true,
  offTopicNote: '',
};

describe('the AI coach (OpenAI SDK against a local wire-protocol server)', () => {
  let openai: OpenAiTestServer;
  let api: TestApi;
  let app: App;
  let origin: string;
  let base: string;
  let questionId: string;

  beforeAll(async () => {
    openai = await startOpenAiTestServer({ apiKey: 'sk-test-coach' });
    api = await startApi({ OPENAI_API_KEY: 'sk-test-coach', OPENAI_BASE_URL: openai.url, OPENAI_MAX_RETRIES: '1', OPENAI_TIMEOUT_MS: '1500', OPENAI_MODEL: 'gpt-test' });
    ({ app, origin } = api);
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    questionId = (await app.db.question.findFirstOrThrow({ where: { slug: 'disagreement' } })).id;
  });
  afterAll(async () => {
    await api?.stop();
    await openai?.close();
  });

  const post = (url: string, cookie: string, payload?: object) => app.inject({ method: 'POST', url, headers: { cookie, origin }, ...(payload ? { payload } : {}) });

  /** Follows a feedback's stream over a real socket; each event with when it arrived. */
  async function follow(cookie: string, streamUrl: string) {
    const response = await fetch(new URL(streamUrl, base), { headers: { cookie } });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events: { type: string; data: Record<string, unknown>; at: number }[] = [];
    const decoder = new TextDecoder();
    let buffer = '';
    let reads = 0;
    for await (const chunk of response.body!) {
      reads++;
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const type = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (type && data) events.push({ type, data: JSON.parse(data) as Record<string, unknown>, at: performance.now() });
      }
    }
    return { events, reads };
  }

  it('streams the AI feedback as it is written, saves it when complete and counts it', async () => {
    const me = await signUp(app, origin, 'coach.stream@example.com');
    const answerId = await finishedAnswer(app, { userId: me.id, questionId, script: STRONG_STORY });
    openai.enqueue({ kind: 'content', content: REPORT, chunkSize: 60, chunkDelayMs: 25 });

    const asked = await post(`/api/answers/${answerId}/feedback`, me.cookie);
    expect(asked.statusCode).toBe(201);
    const { feedback } = asked.json();
    expect(feedback).toMatchObject({ status: 'streaming', model: 'gpt-test', report: null, streamUrl: `/api/answers/${answerId}/feedback/${feedback.id}/stream` });
    // Asking again while it streams returns the same one, it does not start (or charge) a second.
    const again = await post(`/api/answers/${answerId}/feedback`, me.cookie);
    expect(again.statusCode).toBe(200);
    expect(again.json().feedback.id).toBe(feedback.id);

    const { events, reads } = await follow(me.cookie, feedback.streamUrl);
    const deltas = events.filter((e) => e.type === 'delta');
    expect(deltas.length).toBeGreaterThan(5);
    expect(reads).toBeGreaterThan(3); // arrived piece by piece, not in one buffered body
    const text = (events.find((e) => e.type === 'text')?.data.text as string) + deltas.map((d) => d.data.delta).join('');
    expect(JSON.parse(text)).toEqual(REPORT);
    const done = events.at(-1)!;
    expect(done.type).toBe('done');
    const saved = done.data.feedback as { status: string; report: typeof REPORT; score: number; streamUrl: string | null };
    expect(saved.status).toBe('complete');
    expect(saved.score).toBe(4); // (4 + 5 + 4 + 3) / 4
    expect(saved.streamUrl).toBeNull();
    // A quote's time is kept inside the answer.
    const durationSeconds = (await app.db.answer.findUniqueOrThrow({ where: { id: answerId } })).durationMs! / 1000;
    expect(saved.report.improvements[0]!.at).toBe(durationSeconds);

    // What the model was asked: the question, the timed transcript, a strict JSON schema.
    const request = openai.requests.at(-1)!.body as unknown as { model: string; stream: boolean; messages: { content: string }[]; response_format: { type: string; json_schema: { name: string; strict: boolean; schema: { required: string[] } } } };
    expect(request).toMatchObject({ model: 'gpt-test', stream: true, response_format: { type: 'json_schema', json_schema: { name: 'answer_feedback', strict: true } } });
    expect(request.response_format.json_schema.schema.required).toEqual(expect.arrayContaining(['rubric', 'strengths', 'improvements', 'missing', 'strongerVersion', 'onTopic']));
    const user = request.messages.at(-1)!.content;
    expect(user).toContain('Tell me about a time you disagreed with a teammate');
    expect(user).toMatch(/\[0:00\] Last spring our checkout service/);

    const list = await app.inject({ method: 'GET', url: `/api/answers/${answerId}/feedback`, headers: { cookie: me.cookie } });
    expect(list.json()).toMatchObject({ available: true, used: 1, allowed: 5, feedbacks: [{ id: feedback.id, status: 'complete', score: 4 }] });
    // A finished feedback's stream answers `done` at once.
    const replay = await follow(me.cookie, feedback.streamUrl);
    expect(replay.events.map((e) => e.type)).toEqual(['done']);
    const billing = await app.inject({ method: 'GET', url: '/api/billing/usage', headers: { cookie: me.cookie } });
    expect(billing.json().usage.aiFeedback).toBe(1);
  });

  it('saves every failure as such, charges nothing, and leaves the answer and its automatic feedback', async () => {
    const me = await signUp(app, origin, 'coach.failures@example.com');
    const answerId = await finishedAnswer(app, { userId: me.id, questionId, script: STRONG_STORY });
    const cases = [
      { behaviours: [{ kind: 'rateLimit', retryAfterSeconds: 0 }, { kind: 'rateLimit', retryAfterSeconds: 0 }], code: 'AI_RATE_LIMITED', requests: 2 },
      { behaviours: [{ kind: 'refusal', text: 'I cannot help with that.' }], code: 'AI_REFUSED', requests: 1 },
      { behaviours: [{ kind: 'malformed' }], code: 'AI_MALFORMED', requests: 1 },
      { behaviours: [{ kind: 'dropMidStream', afterChunks: 3 }], code: 'AI_UNREACHABLE', requests: 1 },
      // Headers, then nothing: the whole-answer timeout (OPENAI_TIMEOUT_MS) ends it.
      { behaviours: [{ kind: 'content', content: REPORT, firstChunkDelayMs: 5000 }], code: 'AI_TIMEOUT', requests: 1 },
      { behaviours: [{ kind: 'hang' }, { kind: 'hang' }], code: 'AI_TIMEOUT', requests: 2 },
      { behaviours: [{ kind: 'error', status: 500 }, { kind: 'error', status: 503 }], code: 'AI_FAILED', requests: 2 },
    ] as const;
    for (const { behaviours, code, requests } of cases) {
      const before = openai.requests.length;
      openai.enqueue(...behaviours);
      const asked = await post(`/api/answers/${answerId}/feedback`, me.cookie);
      expect(asked.statusCode, code).toBe(201);
      const { events } = await follow(me.cookie, asked.json().feedback.streamUrl);
      const done = events.at(-1)!.data.feedback as { status: string; error: { code: string; message: string } };
      expect(done.status, code).toBe('failed');
      expect(done.error.code).toBe(code);
      expect(done.error.message).not.toMatch(/sk-test|stack|Error:/);
      expect(openai.requests.length - before, code).toBe(requests);
    }
    const list = (await app.inject({ method: 'GET', url: `/api/answers/${answerId}/feedback`, headers: { cookie: me.cookie } })).json();
    expect(list.used).toBe(0);
    expect(list.feedbacks).toHaveLength(cases.length);
    const report = await app.inject({ method: 'GET', url: `/api/answers/${answerId}/report`, headers: { cookie: me.cookie } });
    expect(report.statusCode).toBe(200);
    expect(report.json().report.feedback.points.length).toBeGreaterThan(0);
    expect((await app.db.answer.findUniqueOrThrow({ where: { id: answerId } })).status).toBe('ready');
  });

  it("holds the plan's monthly allowance under a burst, with the upgrade in the 402", async () => {
    const me = await signUp(app, origin, 'coach.burst@example.com');
    const answers = await Promise.all(Array.from({ length: 8 }, () => finishedAnswer(app, { userId: me.id, questionId, script: STRONG_STORY })));
    openai.setResponder(() => ({ kind: 'content', content: REPORT, chunkSize: 200, chunkDelayMs: 5 }));
    const results = await Promise.all(answers.map((id) => post(`/api/answers/${id}/feedback`, me.cookie)));
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([201, 201, 201, 201, 201, 402, 402, 402]);
    const refused = results.find((r) => r.statusCode === 402)!.json().error;
    expect(refused).toMatchObject({ code: 'PLAN_LIMIT_REACHED', details: { limit: 'aiFeedbackPerMonth', allowed: 5, used: 5, plan: 'free', upgrade: { plan: 'pro', allowed: 200 } } });
    expect(await app.db.answerFeedback.count({ where: { userId: me.id } })).toBe(5);
  });

  it('refuses feedback on an answer that is not mine, or has nothing to review', async () => {
    const me = await signUp(app, origin, 'coach.owner@example.com');
    const other = await signUp(app, origin, 'coach.other@example.com');
    const theirs = await finishedAnswer(app, { userId: other.id, questionId, script: STRONG_STORY });
    const asked = await post(`/api/answers/${theirs}/feedback`, me.cookie);
    expect(asked.statusCode).toBe(404);
    expect(asked.json().error.code).toBe('ANSWER_NOT_FOUND');
    const mine = await finishedAnswer(app, { userId: other.id, questionId, script: STRONG_STORY });
    const feedback = (await post(`/api/answers/${mine}/feedback`, other.cookie)).json().feedback;
    const stolen = await fetch(new URL(`/api/answers/${mine}/feedback/${feedback.id}/stream`, base), { headers: { cookie: me.cookie } });
    expect(stolen.status).toBe(404);
    const silent = await finishedAnswer(app, { userId: me.id, questionId, script: '' });
    const nothing = await post(`/api/answers/${silent}/feedback`, me.cookie);
    expect(nothing.statusCode).toBe(409);
    expect(nothing.json().error.code).toBe('NOTHING_TO_REVIEW');
  });

  it('writes question sets for a role and a job description, cached by input, within the plan', async () => {
    const me = await signUp(app, origin, 'coach.sets@example.com');
    const generated = {
      competencies: ['Stakeholder management', 'analytics'],
      questions: [
        { text: 'Tell me about a time you aligned <b>three</b> teams on one roadmap.', kind: 'behavioural', competency: 'Stakeholder management', framework: 'star', difficulty: 2, followUps: ['Who disagreed most?'] },
        { text: 'Why do you want to work at Acme?', kind: 'motivation', competency: 'motivation', framework: 'star', difficulty: 1, followUps: [] },
      ],
    };
    openai.enqueue({ kind: 'content', content: generated });
    const input = { role: 'Product manager', company: 'Acme', jobDescription: 'You will work with stakeholders across sales and engineering and use data to decide.' };
    const created = await post('/api/question-sets', me.cookie, input);
    expect(created.statusCode).toBe(201);
    const set = created.json().questionSet;
    expect(set).toMatchObject({ source: 'ai', role: 'Product manager', company: 'Acme', cached: false, competencies: ['stakeholder-management', 'analytics'] });
    expect(set.questions.map((q: { text: string }) => q.text)).toEqual(generated.questions.map((q) => q.text));
    expect(set.questions[0]).toMatchObject({ own: true, competency: 'stakeholder-management', roles: ['product-manager'], followUps: ['Who disagreed most?'] });
    const request = openai.requests.at(-1)!.body as unknown as { messages: { content: string }[]; response_format: { json_schema: { name: string } } };
    expect(request.response_format.json_schema.name).toBe('question_set');
    expect(request.messages.at(-1)!.content).toContain('use data to decide');
    // They are mine now: in my list, answerable.
    const mine = (await app.inject({ method: 'GET', url: '/api/questions?mine=true', headers: { cookie: me.cookie } })).json().questions;
    expect(mine.map((q: { id: string }) => q.id)).toEqual(expect.arrayContaining(set.questions.map((q: { id: string }) => q.id)));

    // The same input (spacing and case aside) is the cache: no request, no charge.
    const requests = openai.requests.length;
    const cached = await post('/api/question-sets', me.cookie, { ...input, role: '  product   MANAGER ' });
    expect(cached.statusCode).toBe(200);
    expect(cached.json().questionSet).toMatchObject({ id: set.id, cached: true });
    expect(openai.requests.length).toBe(requests);

    // Free: three generated sets a month.
    openai.setResponder(() => ({ kind: 'content', content: generated }));
    expect((await post('/api/question-sets', me.cookie, { role: 'Data analyst' })).statusCode).toBe(201);
    expect((await post('/api/question-sets', me.cookie, { role: 'Designer' })).statusCode).toBe(201);
    const over = await post('/api/question-sets', me.cookie, { role: 'Sales lead' });
    expect(over.statusCode).toBe(402);
    expect(over.json().error).toMatchObject({ code: 'PLAN_LIMIT_REACHED', details: { limit: 'aiQuestionSetsPerMonth', allowed: 3, upgrade: { plan: 'pro' } } });
  });

  it("holds the plan's generated sets under a burst, and writes one input once", async () => {
    const me = await signUp(app, origin, 'coach.sets.burst@example.com');
    openai.setResponder(() => ({ kind: 'content', content: { competencies: [], questions: [{ text: 'Tell me about a hard call you made.', kind: 'behavioural', competency: 'judgement', framework: 'star', difficulty: 2, followUps: [] }] }, chunkDelayMs: 5 }));
    const before = openai.requests.length;
    const burst = await Promise.all(['A', 'B', 'C', 'D', 'E', 'F'].map((role) => post('/api/question-sets', me.cookie, { role: `Role ${role}` })));
    expect(burst.map((r) => r.statusCode).sort()).toEqual([201, 201, 201, 402, 402, 402]);
    expect(openai.requests.length - before).toBe(3);
    expect(await app.db.questionSet.count({ where: { userId: me.id, source: 'ai' } })).toBe(3);
    // The same input twice at once: written once, the other asked to wait or served from the cache.
    const other = await signUp(app, origin, 'coach.sets.twice@example.com');
    const twice = await Promise.all([1, 2].map(() => post('/api/question-sets', other.cookie, { role: 'Data engineer' })));
    expect(twice.map((r) => r.statusCode).sort()).toEqual(expect.arrayContaining([201]));
    for (const r of twice.filter((x) => x.statusCode !== 201)) expect([200, 409]).toContain(r.statusCode);
    expect(await app.db.questionSet.count({ where: { userId: other.id } })).toBe(1);
  });

  it('falls back to the bank when the model fails, and says so', async () => {
    const me = await signUp(app, origin, 'coach.sets.fail@example.com');
    openai.enqueue({ kind: 'error', status: 500 }, { kind: 'error', status: 500 });
    const created = await post('/api/question-sets', me.cookie, { role: 'Software engineer', jobDescription: 'Own services end to end, debug production problems.' });
    expect(created.statusCode).toBe(201);
    const set = created.json().questionSet;
    expect(set.source).toBe('bank');
    expect(set.note).toMatch(/AI service failed/);
    expect(set.questions.length).toBe(8);
    expect(set.questions.every((q: { own: boolean }) => !q.own)).toBe(true);
    // Not counted against the allowance.
    expect(await app.db.questionSet.count({ where: { userId: me.id, source: 'ai' } })).toBe(0);
  });

  it('refuses an oversized job description with a clear error', async () => {
    const me = await signUp(app, origin, 'coach.sets.big@example.com');
    const requests = openai.requests.length;
    const huge = await post('/api/question-sets', me.cookie, { role: 'Engineer', jobDescription: 'x'.repeat(1024 * 1024) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    const long = await post('/api/question-sets', me.cookie, { role: 'Engineer', jobDescription: 'word '.repeat(4001) });
    expect(long.statusCode).toBe(400);
    expect(long.json().error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('jobDescription') });
    expect(openai.requests.length).toBe(requests);
  });

  it("asks the model's follow-up over the transcript, once per answer", async () => {
    const me = await signUp(app, origin, 'coach.follow@example.com');
    const answerId = await finishedAnswer(app, { userId: me.id, questionId, script: STRONG_STORY });
    openai.enqueue({ kind: 'content', content: { question: 'How did you decide the cache was safe for prices that change?' } });
    const asked = await post(`/api/answers/${answerId}/follow-up`, me.cookie);
    expect(asked.statusCode).toBe(200);
    expect(asked.json().followUp).toMatchObject({ answerId, source: 'ai', question: { text: 'How did you decide the cache was safe for prices that change?', own: true }, answerIds: [] });
    const request = openai.requests.at(-1)!.body as unknown as { messages: { content: string }[]; response_format: { json_schema: { name: string } } };
    expect(request.response_format.json_schema.name).toBe('follow_up');
    expect(request.messages.at(-1)!.content).toContain('checkout service');
    const requests = openai.requests.length;
    const again = await post(`/api/answers/${answerId}/follow-up`, me.cookie);
    expect(again.json().followUp.question.id).toBe(asked.json().followUp.question.id);
    expect(openai.requests.length).toBe(requests);
  });
});
