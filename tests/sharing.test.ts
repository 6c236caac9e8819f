// Share links and video resumes through the API on real PostgreSQL and S3: the authorization
// matrix over every route (owner, another candidate, a recruiter without the named access, a
// named recruiter, a named address that was never verified, an admin, nobody) for open, named,
// expired and revoked links; media refused after revocation to a player that already has the URL;
// views and recruiter feedback back to the candidate; the plan's active-link limit under a burst;
// forged tokens, other users' ids and floods.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '@rehearse/api';
import { recordedAnswer } from './support/answers.ts';
import { signUp, startApi, type TestApi } from './support/api.ts';

type Actor = 'owner' | 'candidate' | 'recruiter' | 'named' | 'unverified' | 'admin' | 'nobody';
const WEBM = Buffer.alloc(4096, 7);

describe('share links', () => {
  let api: TestApi;
  let app: App;
  let origin: string;
  const who: Record<Exclude<Actor, 'nobody'>, { cookie: string; id: string }> = {} as never;
  let answerId: string;
  let otherAnswerId: string;
  let n = 0;

  const call = (method: string, url: string, actor: Actor, payload?: object, headers: Record<string, string> = {}) =>
    app.inject({ method: method as 'GET', url, remoteAddress: `10.77.${(n >> 8) & 255}.${n++ & 255}`, headers: { origin, ...(actor !== 'nobody' ? { cookie: who[actor].cookie } : {}), ...headers }, ...(payload ? { payload } : {}) });
  const share = async (payload: object, actor: Actor = 'owner') => {
    const res = await call('POST', '/api/shares', actor, payload);
    expect(res.statusCode, res.body).toBe(201);
    return { ...res.json(), token: new URL(res.json().url).pathname.split('/').at(-1) as string };
  };

  beforeAll(async () => {
    api = await startApi();
    ({ app, origin } = api);
    const emails = { owner: 'owner@share.test', candidate: 'candidate@share.test', recruiter: 'recruiter@share.test', named: 'named@share.test', unverified: 'unverified@share.test', admin: 'admin@share.test' };
    for (const [k, email] of Object.entries(emails)) who[k as keyof typeof who] = await signUp(app, origin, email);
    await app.db.user.updateMany({ where: { email: { in: Object.values(emails).filter((e) => e !== emails.unverified) } }, data: { emailVerifiedAt: new Date() } });
    await app.db.user.update({ where: { id: who.owner.id }, data: { name: 'Olivia Owner', headline: 'Backend engineer' } });
    await app.db.userRole.createMany({ data: [{ userId: who.recruiter.id, role: 'recruiter' }, { userId: who.named.id, role: 'recruiter' }, { userId: who.unverified.id, role: 'recruiter' }, { userId: who.admin.id, role: 'admin' }] });
    // The owner is on Pro (25 active links); the other candidate on Free (1).
    await app.db.subscription.create({ data: { userId: who.owner.id, plan: 'pro', status: 'active', currentPeriodEnd: new Date(Date.now() + 30 * 86_400_000) } });
    const question = await app.db.question.findFirstOrThrow({ where: { ownerId: null, competency: 'ownership' } });
    const storage = { s3: app.s3, bucket: app.bucket };
    answerId = await recordedAnswer(app, storage, { userId: who.owner.id, questionId: question.id, script: 'When our deploys kept failing I took ownership. I rewrote the pipeline and we cut failures by half.', webm: WEBM, durationMs: 9000 });
    otherAnswerId = await recordedAnswer(app, storage, { userId: who.candidate.id, questionId: question.id, script: 'Someone else answered this one.', webm: WEBM, durationMs: 3000 });
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
  });

  it('follows the authorization matrix for open, named, expired and revoked links, pages and media alike', async () => {
    const open = await share({ kind: 'answer', id: answerId, expiresInDays: 7, include: { metrics: true, feedback: true, originality: true } });
    const named = await share({ kind: 'answer', id: answerId, expiresInDays: 7, recipients: ['Named@Share.test', 'unverified@share.test'] });
    const expired = await share({ kind: 'answer', id: answerId, expiresInDays: 1 });
    await app.db.shareLink.update({ where: { id: expired.link.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const revoked = await share({ kind: 'answer', id: answerId, expiresInDays: 7 });
    expect((await call('POST', `/api/shares/${revoked.link.id}/revoke`, 'owner')).json().link.state).toBe('revoked');

    const expected: Record<string, Record<Actor, number>> = {
      open: { owner: 200, candidate: 200, recruiter: 200, named: 200, unverified: 200, admin: 200, nobody: 200 },
      named: { owner: 200, candidate: 403, recruiter: 403, named: 200, unverified: 403, admin: 403, nobody: 401 },
      expired: { owner: 410, candidate: 410, recruiter: 410, named: 410, unverified: 410, admin: 410, nobody: 410 },
      revoked: { owner: 410, candidate: 410, recruiter: 410, named: 410, unverified: 410, admin: 410, nobody: 410 },
    };
    const tokens = { open: open.token, named: named.token, expired: expired.token, revoked: revoked.token };
    const leaks: string[] = [];
    for (const [kind, token] of Object.entries(tokens)) {
      for (const [actor, status] of Object.entries(expected[kind]!) as [Actor, number][]) {
        const page = await call('GET', `/api/s/${token}`, actor);
        const media = await call('GET', `/api/s/${token}/answers/${answerId}/recording`, actor, undefined, { range: 'bytes=0-99' });
        const mediaStatus = status === 200 ? 206 : status;
        if (page.statusCode !== status) leaks.push(`${kind} page as ${actor}: ${page.statusCode} (expected ${status})`);
        if (media.statusCode !== mediaStatus) leaks.push(`${kind} media as ${actor}: ${media.statusCode} (expected ${mediaStatus})`);
        if (status !== 200 && (page.body.includes('deploys') || media.rawPayload.includes(WEBM.subarray(0, 64)))) leaks.push(`${kind} as ${actor} leaked content`);
      }
    }
    expect(leaks).toEqual([]);
    expect((await call('GET', `/api/s/${expired.token}`, 'nobody')).json().error.code).toBe('SHARE_EXPIRED');
    expect((await call('GET', `/api/s/${revoked.token}`, 'nobody')).json().error.code).toBe('SHARE_REVOKED');
    expect((await call('GET', `/api/s/${named.token}`, 'unverified')).json().error.code).toBe('SHARE_NOT_FOR_YOU');

    // What the open link shows: the candidate's choice, with the transcript and no internal ids of other answers.
    const shown = (await call('GET', `/api/s/${open.token}`, 'recruiter')).json();
    expect(shown).toMatchObject({ kind: 'answer', candidate: { name: 'Olivia Owner', headline: 'Backend engineer' }, canGiveFeedback: true });
    expect(shown.answers).toHaveLength(1);
    expect(shown.answers[0].transcript.map((w: { text: string }) => w.text).join(' ')).toContain('ownership');
    expect(shown.answers[0].metrics.words).toBeGreaterThan(10);
    expect(shown.answers[0].feedback).not.toBeNull();
    expect(shown.answers[0].originality).toMatchObject({ flagged: expect.any(Boolean) });
    // The named link left out feedback and originality (the defaults).
    const namedView = (await call('GET', `/api/s/${named.token}`, 'named')).json();
    expect(namedView.answers[0]).toMatchObject({ feedback: null, originality: null });
    expect(namedView.answers[0].metrics).not.toBeNull();
    // The link's answer only: another candidate's answer id through a valid link is unknown.
    expect((await call('GET', `/api/s/${open.token}/answers/${otherAnswerId}/recording`, 'recruiter')).statusCode).toBe(404);
  });

  it('stops a player that already has the media URL the moment the link is revoked', async () => {
    const link = await share({ kind: 'answer', id: answerId, expiresInDays: 30 });
    const media = `/api/s/${link.token}/answers/${answerId}/recording`;
    const before = await call('GET', media, 'nobody', undefined, { range: 'bytes=0-1023' });
    expect(before.statusCode).toBe(206);
    expect(before.headers['cache-control']).toBe('private, no-store');
    expect(before.headers['referrer-policy']).toBe('no-referrer');
    await call('POST', `/api/shares/${link.link.id}/revoke`, 'owner');
    const after = await call('GET', media, 'nobody', undefined, { range: 'bytes=1024-2047' });
    expect(after.statusCode).toBe(410);
    expect(after.json().error.code).toBe('SHARE_REVOKED');
    // A conditional request with the old ETag is not a way around it either.
    expect((await call('GET', media, 'nobody', undefined, { 'if-none-match': String(before.headers.etag) })).statusCode).toBe(410);
  });

  it("refuses everyone but the owner on the owner's routes, with the same 404 as a made-up id", async () => {
    const link = await share({ kind: 'answer', id: answerId, expiresInDays: 7 });
    const resume = (await call('POST', '/api/resumes', 'owner', { headline: 'Olivia, backend', profile: 'Pipelines.', answerIds: [answerId] })).json().resume;
    const routes: [string, string, object?][] = [
      ['GET', `/api/shares/${link.link.id}`],
      ['POST', `/api/shares/${link.link.id}/revoke`],
      ['GET', `/api/resumes/${resume.id}`],
      ['PUT', `/api/resumes/${resume.id}`, { headline: 'mine now', profile: '', answerIds: [answerId] }],
      ['DELETE', `/api/resumes/${resume.id}`],
    ];
    for (const actor of ['candidate', 'recruiter', 'named', 'admin'] as const) {
      for (const [method, url, body] of routes) expect({ actor, url, status: (await call(method, url, actor, body)).statusCode }).toEqual({ actor, url, status: 404 });
    }
    for (const [method, url, body] of routes) expect((await call(method, url, 'nobody', body)).statusCode).toBe(401);
    // Nobody can share what is not theirs: another's answer in a link or a resume.
    expect((await call('POST', '/api/shares', 'candidate', { kind: 'answer', id: answerId, expiresInDays: 7 })).statusCode).toBe(404);
    expect((await call('POST', '/api/shares', 'candidate', { kind: 'resume', id: resume.id, expiresInDays: 7 })).statusCode).toBe(404);
    expect((await call('POST', '/api/resumes', 'candidate', { headline: 'x', profile: '', answerIds: [answerId] })).statusCode).toBe(404);
    expect((await call('GET', `/api/shares/${link.link.id}`, 'owner')).statusCode).toBe(200);
    // Bad input: a link for a year, too many recipients, a link to nothing.
    expect((await call('POST', '/api/shares', 'owner', { kind: 'answer', id: answerId, expiresInDays: 365 })).statusCode).toBe(400);
    expect((await call('POST', '/api/shares', 'owner', { kind: 'answer', id: answerId, expiresInDays: 7, recipients: Array.from({ length: 21 }, (_, i) => `r${i}@x.test`) })).statusCode).toBe(400);
    expect((await call('POST', '/api/shares', 'owner', { kind: 'video', id: answerId, expiresInDays: 7 })).statusCode).toBe(400);
    expect((await call('POST', '/api/shares', 'owner', { kind: 'answer', id: answerId, expiresInDays: 0 })).statusCode).toBe(400);
    // A resume holds at most ten answers, each once.
    expect((await call('POST', '/api/resumes', 'owner', { headline: 'x', profile: '', answerIds: Array.from({ length: 11 }, () => crypto.randomUUID()) })).statusCode).toBe(400);
    expect((await call('POST', '/api/resumes', 'owner', { headline: 'x', profile: '', answerIds: [answerId, answerId] })).statusCode).toBe(400);
  });

  it('answers forged, encoded and oversized tokens with a plain 404, and floods with 429', async () => {
    for (const token of ['x', 'A'.repeat(43), '%2e%2e%2fapi%2fanswers', '..%2F..%2Fapi%2Fadmin%2Fusers', 'A'.repeat(42) + '%00']) {
      const res = await call('GET', `/api/s/${token}`, 'nobody');
      expect([400, 404], `${token}: ${res.body}`).toContain(res.statusCode);
    }
    expect([400, 414]).toContain((await call('GET', `/api/s/${'A'.repeat(101)}`, 'nobody')).statusCode);
    // One address opening links over and over (guessing tokens, inflating a count) is cut off.
    let limited = 0;
    for (let i = 0; i < 70; i++) {
      const res = await app.inject({ method: 'GET', url: `/api/s/${'B'.repeat(43)}`, remoteAddress: '10.99.0.1' });
      if (res.statusCode === 429) limited++;
    }
    expect(limited).toBeGreaterThanOrEqual(10);
  });

  it("records each view (who, when, how long watched) and the recruiter's feedback, and shows both to the candidate", async () => {
    const link = await share({ kind: 'answer', id: answerId, expiresInDays: 7, recipients: ['named@share.test'] });
    const view = (await call('GET', `/api/s/${link.token}`, 'named')).json();
    expect(view.viewId).toEqual(expect.any(String));
    // A page cannot claim more play than time has passed since the view began: a day, 1 s in, is
    // kept to about that second.
    expect((await call('POST', `/api/s/${link.token}/views/${view.viewId}`, 'named', { watchedMs: 86_400_000 })).statusCode).toBe(204);
    expect((await app.db.shareView.findUniqueOrThrow({ where: { id: view.viewId } })).watchedMs).toBeLessThan(10_000);
    await app.db.shareView.update({ where: { id: view.viewId }, data: { startedAt: new Date(Date.now() - 60_000), watchedMs: 0 } });
    expect((await call('POST', `/api/s/${link.token}/views/${view.viewId}`, 'named', { watchedMs: 4200 })).statusCode).toBe(204);
    // Only grows; another viewer cannot write to this view.
    expect((await call('POST', `/api/s/${link.token}/views/${view.viewId}`, 'named', { watchedMs: 100 })).statusCode).toBe(204);
    expect((await call('POST', `/api/s/${link.token}/views/${view.viewId}`, 'owner', { watchedMs: 999_999 })).statusCode).toBe(404);
    // The owner's own look is a preview, not a view.
    expect((await call('GET', `/api/s/${link.token}`, 'owner')).json().viewId).toBeNull();

    const feedback = { ratings: [{ competency: 'ownership', rating: 4 }, { competency: 'communication', rating: 5 }], comment: 'Clear story, numbers at the end.' };
    expect((await call('POST', `/api/s/${link.token}/feedback`, 'owner', feedback)).json().error.code).toBe('OWN_SHARE');
    const open = await share({ kind: 'answer', id: answerId, expiresInDays: 7 });
    expect((await call('POST', `/api/s/${open.token}/feedback`, 'candidate', feedback)).json().error.code).toBe('RECRUITER_ONLY');
    expect((await call('POST', `/api/s/${open.token}/feedback`, 'nobody', feedback)).json().error.code).toBe('SIGN_IN_REQUIRED');
    expect((await call('POST', `/api/s/${link.token}/feedback`, 'recruiter', feedback)).json().error.code).toBe('SHARE_NOT_FOR_YOU');
    expect((await call('POST', `/api/s/${link.token}/feedback`, 'named', { ratings: [{ competency: 'ownership', rating: 9 }], comment: '' })).statusCode).toBe(400);
    const sent = await call('POST', `/api/s/${link.token}/feedback`, 'named', feedback);
    expect(sent.statusCode, sent.body).toBe(200);

    const detail = (await call('GET', `/api/shares/${link.link.id}`, 'owner')).json();
    expect(detail.link).toMatchObject({ viewCount: 1, state: 'active' });
    expect(detail.views).toEqual([expect.objectContaining({ viewer: { email: 'named@share.test', name: '' }, watchedMs: 4200 })]);
    expect(detail.feedback).toEqual([expect.objectContaining({ recruiter: { name: '', email: 'named@share.test' }, ratings: feedback.ratings, comment: feedback.comment })]);
    expect((await call('GET', '/api/recruiter-feedback', 'owner')).json().feedback.length).toBeGreaterThanOrEqual(1);
    // Every view is in the audit log, with where it came from.
    const logged = await app.db.auditLog.findMany({ where: { action: 'share.view', targetId: link.link.id } });
    expect(logged).toEqual([expect.objectContaining({ actorId: who.named.id, actorEmail: 'named@share.test', ipAddress: expect.stringMatching(/^10\.77\./) })]);
  });

  it('builds a video resume in the chosen order and shares it as one link', async () => {
    const question = await app.db.question.findFirstOrThrow({ where: { ownerId: null, competency: 'collaboration' } });
    const second = await recordedAnswer(app, { s3: app.s3, bucket: app.bucket }, { userId: who.owner.id, questionId: question.id, script: 'I paired with design every week and we shipped together.', webm: WEBM, durationMs: 4000 });
    const created = await call('POST', '/api/resumes', 'owner', { headline: 'Olivia — backend engineer', profile: 'Five years of pipelines.', answerIds: [second, answerId] });
    expect(created.statusCode, created.body).toBe(201);
    const resume = created.json().resume;
    expect(resume.answers.map((a: { id: string }) => a.id)).toEqual([second, answerId]);
    const link = await share({ kind: 'resume', id: resume.id, expiresInDays: 14 });
    const shown = (await call('GET', `/api/s/${link.token}`, 'nobody')).json();
    expect(shown.resume).toEqual({ headline: 'Olivia — backend engineer', profile: 'Five years of pipelines.' });
    expect(shown.answers.map((a: { id: string }) => a.id)).toEqual([second, answerId]);
    expect(shown.canGiveFeedback).toBe(false);
    // Each of the resume's answers plays through the link; nothing outside it does.
    for (const a of shown.answers) expect((await call('GET', a.mediaUrl, 'nobody', undefined, { range: 'bytes=0-9' })).statusCode).toBe(206);
    expect((await call('GET', `/api/s/${link.token}/answers/${otherAnswerId}/recording`, 'nobody')).statusCode).toBe(404);
  });

  it('keeps at most twenty video resumes per candidate', async () => {
    const made = await app.db.videoResume.count({ where: { userId: who.owner.id } });
    await app.db.videoResume.createMany({ data: Array.from({ length: 20 - made }, () => ({ userId: who.owner.id, headline: 'filler', answerIds: [answerId] })) });
    expect((await call('POST', '/api/resumes', 'owner', { headline: 'one more', profile: '', answerIds: [answerId] })).json().error.code).toBe('TOO_MANY_RESUMES');
    await app.db.videoResume.deleteMany({ where: { userId: who.owner.id, headline: 'filler' } });
  });

  it("counts active links against the plan, also under a burst, and frees a slot when one is revoked", async () => {
    // Free: one active link at once. Ten at the same instant make exactly one.
    const burst = await Promise.all(Array.from({ length: 10 }, () => call('POST', '/api/shares', 'candidate', { kind: 'answer', id: otherAnswerId, expiresInDays: 7 })));
    const made = burst.filter((r) => r.statusCode === 201);
    expect(made).toHaveLength(1);
    expect(burst.filter((r) => r.statusCode === 402).every((r) => r.json().error.code === 'PLAN_LIMIT_REACHED')).toBe(true);
    await call('POST', `/api/shares/${made[0]!.json().link.id}/revoke`, 'candidate');
    expect((await call('POST', '/api/shares', 'candidate', { kind: 'answer', id: otherAnswerId, expiresInDays: 7 })).statusCode).toBe(201);
  });
});
