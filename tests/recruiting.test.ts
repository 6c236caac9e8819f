// Recruiters on the API with real PostgreSQL and S3: discovery (only opted-in candidates are
// found, opting out removes them at once, nothing but the profile is shared until the candidate
// accepts), one-way interviews (two invited candidates record before the deadline, a late attempt
// is refused, the recruiter compares them), and retention (the owner is mailed, then the
// recording's objects are deleted from the bucket by the sweep).
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { verifyMediaToken } from '@rehearse/core/media-token';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '@rehearse/api';
import { recordedAnswer } from './support/answers.ts';
import { signUp, startApi, type TestApi } from './support/api.ts';

const WEBM = Buffer.alloc(2048, 3);
type Who = { cookie: string; id: string };

describe('recruiters', () => {
  let api: TestApi;
  let app: App;
  let origin: string;
  let recruiter: Who, lapsed: Who, alice: Who, bob: Who, carol: Who, admin: Who;
  let n = 0;
  const call = (method: string, url: string, who: Who | null, payload?: object, headers: Record<string, string> = {}) =>
    app.inject({ method: method as 'GET', url, remoteAddress: `10.66.${(n >> 8) & 255}.${n++ & 255}`, headers: { origin, ...(who ? { cookie: who.cookie } : {}), ...headers }, ...(payload ? { payload } : {}) });
  const storage = () => ({ s3: app.s3, bucket: app.bucket });

  beforeAll(async () => {
    api = await startApi();
    ({ app, origin } = api);
    [recruiter, lapsed, alice, bob, carol, admin] = await Promise.all([signUp(app, origin, 'rec@recruit.test'), signUp(app, origin, 'lapsed@recruit.test'), signUp(app, origin, 'alice@recruit.test'), signUp(app, origin, 'bob@recruit.test'), signUp(app, origin, 'carol@recruit.test'), signUp(app, origin, 'admin@recruit.test')]);
    await app.db.user.update({ where: { id: alice.id }, data: { name: 'Alice Doe', headline: 'Data engineer' } });
    await app.db.user.update({ where: { id: bob.id }, data: { name: 'Bob Roe', headline: 'Frontend developer' } });
    await app.db.userRole.create({ data: { userId: admin.id, role: 'admin' } });
    // Invitations go to confirmed addresses only: the candidates have confirmed theirs.
    await app.db.user.updateMany({ where: { id: { in: [alice.id, bob.id, carol.id] } }, data: { emailVerifiedAt: new Date() } });
    // The Recruiter plan through the billing's local test mode: it makes the account a recruiter.
    const bought = await call('POST', '/api/billing/test-checkout/complete', recruiter, { plan: 'recruiter' });
    expect(bought.statusCode, bought.body).toBe(200);
    expect(await app.db.userRole.findMany({ where: { userId: recruiter.id } })).toEqual(expect.arrayContaining([expect.objectContaining({ role: 'recruiter' })]));
    // A recruiter account without the plan (it ran out): the role alone does not search.
    await app.db.userRole.create({ data: { userId: lapsed.id, role: 'recruiter' } });
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
  });

  it('finds only opted-in candidates, and opting out removes them at once', async () => {
    const question = await app.db.question.findFirstOrThrow({ where: { ownerId: null, competency: 'ownership' } });
    const answer = await recordedAnswer(app, storage(), { userId: alice.id, questionId: question.id, script: 'I owned the data pipeline migration and cut the nightly run from six hours to one.', webm: WEBM, durationMs: 5000 });
    const resume = (await call('POST', '/api/resumes', alice, { headline: 'Alice — data', profile: 'Pipelines at scale.', answerIds: [answer] })).json().resume;
    // Bob fills a profile but never opts in.
    expect((await call('PUT', '/api/me/discovery', bob, { discoverable: false, targetRoles: ['data-engineer'], skills: ['python'], location: 'Berlin', resumeId: null })).statusCode).toBe(200);
    const search = async (query = '') => (await call('GET', `/api/discovery${query}`, recruiter)).json().candidates.map((c: { id: string }) => c.id);
    expect(await search()).toEqual([]);

    // Someone else's resume cannot be attached.
    expect((await call('PUT', '/api/me/discovery', bob, { discoverable: true, targetRoles: [], skills: [], location: '', resumeId: resume.id })).statusCode).toBe(404);
    const on = await call('PUT', '/api/me/discovery', alice, { discoverable: true, targetRoles: ['Data-Engineer'], skills: ['Python', 'SQL', 'python'], location: 'Berlin, Germany', resumeId: resume.id });
    expect(on.json().profile).toMatchObject({ discoverable: true, targetRoles: ['data-engineer'], skills: ['python', 'sql'] });
    expect(await search()).toEqual([alice.id]);
    expect(await search('?skill=SQL&role=data-engineer&location=berlin')).toEqual([alice.id]);
    expect(await search('?skill=java')).toEqual([]);
    expect(await search('?q=pipelines')).toEqual([alice.id]);
    // Every word must match something of theirs (a tag, the headline, the resume).
    expect(await search('?q=python%20data')).toEqual([alice.id]);
    expect(await search('?q=python%20kotlin')).toEqual([]);
    expect((await call('GET', '/api/discovery', lapsed)).json().error.code).toBe('RECRUITER_PLAN_REQUIRED');
    expect((await call('GET', '/api/discovery', carol)).statusCode).toBe(402);
    expect((await call('GET', '/api/discovery', null)).statusCode).toBe(401);

    // The found candidate's resume plays; their address stays theirs until they accept. The look
    // is audited and keeps the resume's recordings as long as a share view would.
    await app.db.answer.updateMany({ where: { id: { in: [answer] } }, data: { retainUntil: new Date(Date.now() + 86_400_000) } });
    const found = (await call('GET', `/api/discovery/${alice.id}`, recruiter)).json();
    expect(await app.db.auditLog.count({ where: { action: 'discovery.view', actorId: recruiter.id, targetId: alice.id } })).toBe(1);
    for (const a of await app.db.answer.findMany({ where: { id: { in: [answer] } } })) expect(a.retainUntil!.getTime()).toBeGreaterThan(Date.now() + 80 * 86_400_000);
    expect(found).toMatchObject({ candidate: { name: 'Alice Doe', contact: null }, email: null });
    expect(JSON.stringify(found)).not.toContain('alice@recruit.test');
    const media = found.answers[0].mediaUrl;
    expect((await call('GET', media, recruiter, undefined, { range: 'bytes=0-9' })).statusCode).toBe(206);
    expect((await call('GET', media, carol, undefined, { range: 'bytes=0-9' })).statusCode).toBe(402);
    expect((await call('GET', `/api/discovery/${bob.id}`, recruiter)).statusCode).toBe(404);

    // Opting out: gone from search, the profile and the media, at once.
    await call('PUT', '/api/me/discovery', alice, { discoverable: false, targetRoles: ['data-engineer'], skills: ['python'], location: 'Berlin', resumeId: resume.id });
    expect(await search()).toEqual([]);
    expect((await call('GET', `/api/discovery/${alice.id}`, recruiter)).statusCode).toBe(404);
    expect((await call('GET', media, recruiter, undefined, { range: 'bytes=0-9' })).statusCode).toBe(404);
    await call('PUT', '/api/me/discovery', alice, { discoverable: true, targetRoles: ['data-engineer'], skills: ['python'], location: 'Berlin', resumeId: resume.id });
  });

  it('shares nothing more until the candidate accepts a contact request', async () => {
    const asked = await call('POST', `/api/discovery/${alice.id}/contact`, recruiter, { message: 'We are hiring data engineers in Berlin.' });
    expect(asked.statusCode, asked.body).toBe(201);
    expect(asked.json().request.candidate.email).toBeNull();
    expect((await call('POST', `/api/discovery/${alice.id}/contact`, recruiter, { message: 'again' })).json().error.code).toBe('ALREADY_REQUESTED');
    expect((await app.db.outboxEmail.findMany({ where: { to: 'alice@recruit.test' } })).some((m) => m.text.includes('We are hiring'))).toBe(true);
    const mine = (await call('GET', '/api/me/contact-requests', alice)).json().requests;
    expect(mine).toEqual([expect.objectContaining({ status: 'pending', recruiter: { name: '', email: 'rec@recruit.test' } })]);
    // Only the candidate decides, once.
    expect((await call('POST', `/api/me/contact-requests/${mine[0].id}/accept`, bob)).statusCode).toBe(404);
    expect((await call('POST', `/api/me/contact-requests/${mine[0].id}/accept`, recruiter)).statusCode).toBe(404);
    expect((await call('GET', `/api/discovery/${alice.id}`, recruiter)).json().email).toBeNull();
    expect((await call('POST', `/api/me/contact-requests/${mine[0].id}/accept`, alice)).json().request.status).toBe('accepted');
    expect((await call('POST', `/api/me/contact-requests/${mine[0].id}/decline`, alice)).json().error.code).toBe('ALREADY_DECIDED');
    expect((await call('GET', `/api/discovery/${alice.id}`, recruiter)).json().email).toBe('alice@recruit.test');
    expect((await call('GET', '/api/discovery/contacts', recruiter)).json().requests[0].candidate.email).toBe('alice@recruit.test');
  });

  it('runs a one-way interview: two candidates record before the deadline, a late attempt is refused, the recruiter compares them', async () => {
    const deadline = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const body = { title: 'Data engineer screen', company: 'Acme', coaching: false, deadline, questions: [{ text: 'Tell us about a pipeline you made faster.', thinkSeconds: 20, answerSeconds: 90 }, { text: 'Why do you want to join Acme?', thinkSeconds: 10, answerSeconds: 60 }], candidates: ['alice@recruit.test', 'Bob@Recruit.test'] };
    expect((await call('POST', '/api/interviews', lapsed, body)).json().error.code).toBe('RECRUITER_PLAN_REQUIRED');
    expect((await call('POST', '/api/interviews', recruiter, { ...body, deadline: new Date(Date.now() + 60_000).toISOString() })).json().error.code).toBe('DEADLINE_TOO_SOON');
    // Caps: ten questions, fifty candidates, answer times of 30 s to 10 min.
    expect((await call('POST', '/api/interviews', recruiter, { ...body, questions: Array.from({ length: 11 }, () => body.questions[0]) })).statusCode).toBe(400);
    expect((await call('POST', '/api/interviews', recruiter, { ...body, candidates: Array.from({ length: 51 }, (_, i) => `c${i}@x.test`) })).statusCode).toBe(400);
    expect((await call('POST', '/api/interviews', recruiter, { ...body, questions: [{ ...body.questions[0], answerSeconds: 3600 }] })).statusCode).toBe(400);
    const created = await call('POST', '/api/interviews', recruiter, body);
    expect(created.statusCode, created.body).toBe(201);
    const interview = created.json().interview;
    expect(interview.invites.map((i: { email: string }) => i.email)).toEqual(['alice@recruit.test', 'bob@recruit.test']);
    // The invitations were mailed with their own links; the recruiter's questions stay out of everyone's lists.
    const tokenOf = async (to: string) => (await app.db.outboxEmail.findFirstOrThrow({ where: { to, subject: { contains: 'one-way interview' } } })).text.match(/\/interviews\/invite\/([A-Za-z0-9_-]{43})/)![1]!;
    const [aliceToken, bobToken] = [await tokenOf('alice@recruit.test'), await tokenOf('bob@recruit.test')];
    const listed = (await call('GET', '/api/questions', recruiter)).json().questions.map((q: { text: string }) => q.text);
    expect(listed).not.toContain(body.questions[0]!.text);

    // A forwarded link: Carol (signed in, confirmed, but not the invited address) opens Alice's
    // link first and is refused, told which address to use, and nothing is written.
    const forwarded = await call('POST', '/api/interview-invites/accept', carol, { token: aliceToken });
    expect(forwarded.statusCode, forwarded.body).toBe(403);
    expect(forwarded.json().error.code).toBe('INVITE_FOR_ANOTHER_EMAIL');
    expect(forwarded.json().error.message).toContain('a***@recruit.test');
    expect(forwarded.body).not.toContain('alice@recruit.test');
    expect(await app.db.interviewInvite.findFirstOrThrow({ where: { interviewId: interview.id, email: 'alice@recruit.test' } })).toMatchObject({ candidateId: null });
    expect(await app.db.auditLog.count({ where: { action: 'interview.accept', actorId: carol.id } })).toBe(0);
    expect((await call('GET', '/api/interview-invites', carol)).json().invitations).toEqual([]);
    // The recruiter (another account again) cannot take it either.
    expect((await call('POST', '/api/interview-invites/accept', recruiter, { token: bobToken })).json().error.code).toBe('INVITE_FOR_ANOTHER_EMAIL');

    // Carol cannot take Bob's invitation, nor read it; each candidate binds their own.
    const aliceInvite = (await call('POST', '/api/interview-invites/accept', alice, { token: aliceToken })).json().invitation;
    expect((await call('POST', '/api/interview-invites/accept', carol, { token: aliceToken })).statusCode).toBe(404);
    expect((await call('POST', '/api/interview-invites/accept', carol, { token: 'A'.repeat(43) })).statusCode).toBe(404);
    const bobInvite = (await call('POST', '/api/interview-invites/accept', bob, { token: bobToken })).json().invitation;
    expect((await call('GET', `/api/interview-invites/${bobInvite.inviteId}`, carol)).statusCode).toBe(404);
    expect(aliceInvite).toMatchObject({ title: 'Data engineer screen', coaching: false, closed: false, status: 'invited' });
    expect(await app.db.interviewInvite.findUniqueOrThrow({ where: { id: aliceInvite.inviteId } })).toMatchObject({ candidateId: alice.id });
    expect(await app.db.auditLog.count({ where: { action: 'interview.accept', actorId: alice.id, targetId: aliceInvite.inviteId } })).toBe(1);
    expect(aliceInvite.shares.length).toBeGreaterThan(0);

    // Recording goes through the answer pipeline: the start is checked against the invitation.
    const [q1, q2] = aliceInvite.questions.map((q: { questionId: string }) => q.questionId);
    const start = (who: Who, questionId: string, inviteId: string) => call('POST', '/api/answers', who, { questionId, interviewInviteId: inviteId });
    expect((await start(carol, q1, aliceInvite.inviteId)).json().error.code).toBe('INVITE_NOT_FOUND');
    expect((await call('POST', '/api/answers', carol, { questionId: q1 })).json().error.code).toBe('QUESTION_NOT_FOUND');
    const started = await start(alice, q1, aliceInvite.inviteId);
    expect(started.statusCode, started.body).toBe(201);
    // (The media server is not running here: the recorded answers are made as it leaves them.)
    await app.db.answer.delete({ where: { id: started.json().answer.id } });
    const record = async (who: Who, questionId: string, inviteId: string, position: number, script: string) => {
      const id = await recordedAnswer(app, storage(), { userId: who.id, questionId, script, webm: WEBM, durationMs: 4000 });
      await app.db.answer.update({ where: { id }, data: { interviewInviteId: inviteId, interviewPosition: position } });
      return id;
    };
    const a1 = await record(alice, q1, aliceInvite.inviteId, 0, 'I made our nightly pipeline six times faster by partitioning.');
    expect((await call('POST', `/api/interview-invites/${aliceInvite.inviteId}/submit`, alice)).json().error.code).toBe('INCOMPLETE');
    const a2 = await record(alice, q2, aliceInvite.inviteId, 1, 'Acme builds the data tools I use every day.');
    // Before submitting, the recruiter sees nothing of it.
    const early = (await call('GET', `/api/interviews/${interview.id}`, recruiter)).json().interview.invites[0];
    expect(early).toMatchObject({ status: 'invited', answers: [] });
    expect((await call('GET', `/api/interviews/${interview.id}/invites/${aliceInvite.inviteId}/answers/${a1}/recording`, recruiter)).statusCode).toBe(404);
    // The candidate's preview is exactly what will be shared.
    const preview = (await call('GET', `/api/interview-invites/${aliceInvite.inviteId}`, alice)).json().invitation.preview;
    expect(preview.map((p: { id: string }) => p.id)).toEqual([a1, a2]);
    expect((await call('POST', `/api/interview-invites/${aliceInvite.inviteId}/submit`, alice)).json().invitation.status).toBe('submitted');
    expect((await call('POST', `/api/interview-invites/${aliceInvite.inviteId}/submit`, alice)).json().error.code).toBe('INTERVIEW_SUBMITTED');
    expect((await start(alice, q1, aliceInvite.inviteId)).json().error.code).toBe('INTERVIEW_SUBMITTED');

    const b1 = await record(bob, q1, bobInvite.inviteId, 0, 'I rewrote a slow report query and it ran in seconds.');
    const b2 = await record(bob, q2, bobInvite.inviteId, 1, 'I like Acme.');
    expect((await call('POST', `/api/interview-invites/${bobInvite.inviteId}/submit`, bob)).statusCode).toBe(200);

    // Carol is invited to a second interview whose deadline has passed: her late attempt is refused.
    const late = (await call('POST', '/api/interviews', recruiter, { ...body, title: 'Closed screen', candidates: ['carol@recruit.test'] })).json().interview;
    const carolToken = (await app.db.outboxEmail.findFirstOrThrow({ where: { to: 'carol@recruit.test', subject: { contains: 'Closed screen' } } })).text.match(/\/interviews\/invite\/([A-Za-z0-9_-]{43})/)![1]!;
    const carolInvite = (await call('POST', '/api/interview-invites/accept', carol, { token: carolToken })).json().invitation;
    await app.db.recruiterInterview.update({ where: { id: late.id }, data: { deadline: new Date(Date.now() - 1000) } });
    expect((await start(carol, carolInvite.questions[0].questionId, carolInvite.inviteId)).json().error.code).toBe('DEADLINE_PASSED');
    expect((await call('POST', `/api/interview-invites/${carolInvite.inviteId}/submit`, carol)).json().error.code).toBe('DEADLINE_PASSED');
    expect((await call('GET', `/api/interview-invites/${carolInvite.inviteId}`, carol)).json().invitation.closed).toBe(true);

    // The recruiter compares both, question by question, and plays each answer.
    const compared = (await call('GET', `/api/interviews/${interview.id}`, recruiter)).json().interview;
    expect(compared.invites.map((i: { status: string; answers: { id: string }[] }) => [i.status, i.answers.map((a) => a.id)])).toEqual([
      ['submitted', [a1, a2]],
      ['submitted', [b1, b2]],
    ]);
    expect(compared.invites[0].answers[0].transcript.length).toBeGreaterThan(5);
    for (const invite of compared.invites) for (const a of invite.answers) expect((await call('GET', a.mediaUrl, recruiter, undefined, { range: 'bytes=0-9' })).statusCode).toBe(206);
    // Nobody else: not another recruiter, not the candidates, not an admin.
    for (const who of [lapsed, alice, admin]) expect((await call('GET', `/api/interviews/${interview.id}`, who)).statusCode).toBe(404);
    expect((await call('GET', compared.invites[1].answers[0].mediaUrl, alice)).statusCode).toBe(404);
    const fb = await call('POST', `/api/interviews/${interview.id}/invites/${bobInvite.inviteId}/feedback`, recruiter, { ratings: [{ competency: 'problem-solving', rating: 4 }], comment: 'Good query story.' });
    expect(fb.statusCode, fb.body).toBe(200);
    expect((await call('GET', `/api/interview-invites/${bobInvite.inviteId}`, bob)).json().invitation.feedback).toEqual([expect.objectContaining({ comment: 'Good query story.' })]);
  });

  it('lets only the invited, confirmed address take an invitation', async () => {
    // Dana signs up with the invited address (in either case) but has not confirmed it: refused until she does.
    const dana = await signUp(app, origin, 'dana@recruit.test');
    const deadline = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const made = await call('POST', '/api/interviews', recruiter, { title: 'Confirm first', company: '', coaching: true, deadline, questions: [{ text: 'Why this team?', thinkSeconds: 10, answerSeconds: 60 }], candidates: ['Dana@Recruit.test'] });
    expect(made.statusCode, made.body).toBe(201);
    const token = (await app.db.outboxEmail.findFirstOrThrow({ where: { to: 'dana@recruit.test', subject: { contains: 'Confirm first' } } })).text.match(/\/interviews\/invite\/([A-Za-z0-9_-]{43})/)![1]!;
    const unconfirmed = await call('POST', '/api/interview-invites/accept', dana, { token });
    expect(unconfirmed.statusCode, unconfirmed.body).toBe(403);
    expect(unconfirmed.json().error.code).toBe('EMAIL_NOT_VERIFIED');
    expect(await app.db.interviewInvite.findFirstOrThrow({ where: { interviewId: made.json().interview.id } })).toMatchObject({ candidateId: null });
    // Bob's confirmed account is not Dana's address.
    expect((await call('POST', '/api/interview-invites/accept', bob, { token })).json().error.code).toBe('INVITE_FOR_ANOTHER_EMAIL');
    await app.db.user.update({ where: { id: dana.id }, data: { emailVerifiedAt: new Date() } });
    const taken = await call('POST', '/api/interview-invites/accept', dana, { token });
    expect(taken.statusCode, taken.body).toBe(200);
    expect(await app.db.interviewInvite.findFirstOrThrow({ where: { interviewId: made.json().interview.id } })).toMatchObject({ candidateId: dana.id });
    // Taken: anyone else now gets the plain 404, and opening it again is harmless.
    expect((await call('POST', '/api/interview-invites/accept', bob, { token })).statusCode).toBe(404);
    expect((await call('POST', '/api/interview-invites/accept', dana, { token })).statusCode).toBe(200);

    // The recruiter's rules travel to the media server in the join token, which holds to them
    // whatever the page does (tests/interviews-browser.test.ts): no live coaching, and the
    // recording stopped 2 s past the answer time. A practice answer carries none.
    const invitation = taken.json().invitation;
    const started = await call('POST', '/api/answers', dana, { questionId: invitation.questions[0].questionId, interviewInviteId: invitation.inviteId });
    expect(started.statusCode, started.body).toBe(201);
    const secret = api.services.config.media.tokenSecret!;
    const claims = await verifyMediaToken(started.json().join.token, secret, 'join');
    expect(claims.interview).toEqual({ liveCoaching: invitation.coaching, maxRecordingMs: invitation.questions[0].answerSeconds * 1000 + 2_000 });
    await app.db.answer.delete({ where: { id: started.json().answer.id } });
    const bankQuestion = await app.db.question.findFirstOrThrow({ where: { ownerId: null, source: 'bank' } });
    const practice = await call('POST', '/api/answers', dana, { questionId: bankQuestion.id });
    expect(practice.statusCode, practice.body).toBe(201);
    expect((await verifyMediaToken(practice.json().join.token, secret, 'join')).interview ?? null).toBeNull();
    await app.db.answer.delete({ where: { id: practice.json().answer.id } });

    // The 60-second answer time holds at submission too: a recording longer than it and the 5 s grace is not submitted.
    const question = await app.db.question.findUniqueOrThrow({ where: { id: invitation.questions[0].questionId } });
    const long = await recordedAnswer(app, storage(), { userId: dana.id, questionId: question.id, script: 'I like how this team ships small changes every day.', webm: WEBM, durationMs: 65_001 });
    await app.db.answer.update({ where: { id: long }, data: { interviewInviteId: invitation.inviteId, interviewPosition: 0 } });
    const refused = await call('POST', `/api/interview-invites/${invitation.inviteId}/submit`, dana);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'ANSWER_TOO_LONG', message: expect.stringContaining('question 1') });
    expect(await app.db.interviewInvite.findUniqueOrThrow({ where: { id: invitation.inviteId } })).toMatchObject({ status: 'invited', submittedAt: null });
    expect((await call('GET', `/api/interviews/${made.json().interview.id}`, recruiter)).json().interview.invites[0]).toMatchObject({ status: 'invited', answers: [] });
    // Within the grace it goes through.
    await app.db.answer.update({ where: { id: long }, data: { durationMs: 65_000 } });
    expect((await call('POST', `/api/interview-invites/${invitation.inviteId}/submit`, dana)).json().invitation.status).toBe('submitted');
  });

  it("deletes an expired recording's objects after warning its owner, and keeps the report", async () => {
    const question = await app.db.question.findFirstOrThrow({ where: { ownerId: null, competency: 'collaboration' } });
    const old = await recordedAnswer(app, storage(), { userId: carol.id, questionId: question.id, script: 'An old answer nobody watched.', webm: WEBM, durationMs: 3000 });
    const kept = await recordedAnswer(app, storage(), { userId: carol.id, questionId: question.id, script: 'An answer I keep.', webm: WEBM, durationMs: 3000 });
    // An answer started now is kept for the Free plan's 90 days.
    const started = (await call('POST', '/api/answers', carol, { questionId: question.id })).json().answer;
    expect(Math.abs(Date.parse(started.retainUntil) - (Date.now() + 90 * 86_400_000))).toBeLessThan(60_000);
    await app.db.answer.delete({ where: { id: started.id } });
    await app.db.answer.updateMany({ where: { id: { in: [old, kept] } }, data: { retainUntil: new Date(Date.now() + 3 * 86_400_000) } });
    const objects = async (answerId: string) => (await app.s3.send(new ListObjectsV2Command({ Bucket: app.bucket, Prefix: `users/${carol.id}/answers/${answerId}/` }))).KeyCount ?? 0;
    expect(await objects(old)).toBe(1);

    // Refused to anyone but an admin.
    expect((await call('POST', '/api/admin/retention/run', carol)).statusCode).toBe(403);
    const first = (await call('POST', '/api/admin/retention/run', admin)).json();
    expect(first.warned).toBeGreaterThanOrEqual(2);
    expect(first.deleted).toBe(0);
    const warning = await app.db.outboxEmail.findFirstOrThrow({ where: { to: 'carol@recruit.test', subject: { contains: 'will be deleted' } } });
    expect(warning.text).toContain(`/answers/${old}`);
    // "Keep it longer" on one of them.
    const keep = (await call('POST', `/api/answers/${kept}/keep`, carol)).json().answer;
    expect(Date.parse(keep.retainUntil)).toBeGreaterThan(Date.now() + 80 * 86_400_000);
    expect((await call('POST', `/api/answers/${kept}/keep`, bob)).statusCode).toBe(404);

    // Past the date and a week after the warning: the sweep deletes the objects.
    await app.db.answer.update({ where: { id: old }, data: { retainUntil: new Date(Date.now() - 1000), retentionWarnedAt: new Date(Date.now() - 8 * 86_400_000) } });
    const second = (await call('POST', '/api/admin/retention/run', admin)).json();
    expect(second.deleted).toBe(1);
    expect(await objects(old)).toBe(0);
    expect(await objects(kept)).toBe(1);
    const gone = (await call('GET', `/api/answers/${old}`, carol)).json().answer;
    expect(gone).toMatchObject({ recording: null, retainUntil: null, recordingDeletedAt: expect.any(String) });
    expect((await call('GET', `/api/answers/${old}/report`, carol)).statusCode).toBe(200);
    expect((await call('GET', `/api/answers/${old}/recording`, carol)).statusCode).toBe(409);
    expect(await app.db.auditLog.count({ where: { action: 'retention.delete', targetId: old } })).toBe(1);
  });

  it('exports what was shared and received, and deleting an account leaves nothing that names it', async () => {
    const exported = (await call('GET', '/api/me/export', bob)).json();
    expect(exported.sharing.interviewInvitations).toHaveLength(1);
    expect(exported.sharing.recruiterFeedback).toEqual([expect.objectContaining({ comment: 'Good query story.' })]);
    expect(JSON.stringify(exported)).not.toMatch(/tokenHash/);
    const aliceExport = (await call('GET', '/api/me/export', alice)).json();
    expect(aliceExport.sharing.discovery).toMatchObject({ discoverable: true });
    expect(aliceExport.sharing.contactRequests).toHaveLength(1);

    expect((await call('DELETE', '/api/me', alice, { password: 'a long enough password' })).statusCode).toBe(204);
    expect(await app.db.contactRequest.count({ where: { candidateId: alice.id } })).toBe(0);
    expect(await app.db.candidateProfile.count({ where: { userId: alice.id } })).toBe(0);
    expect(await app.db.shareLink.count({ where: { ownerId: alice.id } })).toBe(0);
    expect((await call('GET', '/api/discovery', recruiter)).json().candidates).toEqual([]);
    expect((await call('DELETE', '/api/me', recruiter, { password: 'a long enough password' })).statusCode).toBe(204);
    expect(await app.db.recruiterInterview.count({ where: { recruiterId: recruiter.id } })).toBe(0);
    expect(await app.db.recruiterFeedback.count({ where: { recruiterId: recruiter.id } })).toBe(0);
    // Bob's recorded answers stay his, with their questions — which do not become the bank's.
    expect(await app.db.answer.count({ where: { userId: bob.id } })).toBe(2);
    const orphan = await app.db.question.findFirstOrThrow({ where: { source: 'interview', ownerId: null } });
    expect((await call('GET', `/api/questions/${orphan.id}`, carol)).statusCode).toBe(404);
    expect((await call('POST', '/api/answers', carol, { questionId: orphan.id })).json().error.code).toBe('QUESTION_NOT_FOUND');
    expect((await call('GET', `/api/answers/${(await app.db.answer.findFirstOrThrow({ where: { userId: bob.id } })).id}/report`, bob)).statusCode).toBe(200);
  });
});
