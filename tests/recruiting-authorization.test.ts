// Who may use the recruiters' routes, on the API with real PostgreSQL and S3: an authorization
// matrix over discovery (api/src/discovery/routes.ts), one-way interviews and their invitations
// (api/src/interviews/routes.ts, and the interview answer's start in api/src/answers/routes.ts),
// reports (api/src/moderation/routes.ts, and the candidate's own answer report) and named share
// links (api/src/shares/routes.ts) — for nobody, the invited candidate, another candidate, a
// recruiter whose Recruiter plan ran out, the recruiter who owns it all, and an admin. Refusals
// leak nothing of the candidate's answers; a named share link also needs the recruiter role.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '@rehearse/api';
import { recordedAnswer } from './support/answers.ts';
import { signUp, startApi, type TestApi } from './support/api.ts';

type Actor = 'nobody' | 'candidate' | 'other' | 'lapsed' | 'owner' | 'admin';
/** The order each route is tried in: the ones a route lets in (which may change something) last. */
const ACTORS: Actor[] = ['nobody', 'other', 'lapsed', 'admin', 'candidate', 'owner'];
const WEBM = Buffer.alloc(4096, 5);
/** A word only the candidate's answer says: no refused response may carry it. */
const MARK = 'zeppelinwharf';

describe('recruiting authorization', () => {
  let api: TestApi;
  let app: App;
  let origin: string;
  const who: Record<Exclude<Actor, 'nobody'>, { cookie: string; id: string }> = {} as never;
  const email: Record<Exclude<Actor, 'nobody'>, string> = { candidate: 'cand@authz.test', other: 'other@authz.test', lapsed: 'lapsed@authz.test', owner: 'owner@authz.test', admin: 'admin@authz.test' };
  let n = 0;
  const call = (method: string, url: string, actor: Actor, payload?: object, headers: Record<string, string> = {}) =>
    app.inject({ method: method as 'GET', url, remoteAddress: `10.88.${(n >> 8) & 255}.${n++ & 255}`, headers: { origin, ...(actor !== 'nobody' ? { cookie: who[actor].cookie } : {}), ...headers }, ...(payload ? { payload } : {}) });
  const tokenOf = async (to: string, title: string) => (await app.db.outboxEmail.findFirstOrThrow({ where: { to, subject: { contains: title } } })).text.match(/\/interviews\/invite\/([A-Za-z0-9_-]{43})/)![1]!;

  let resumeAnswer: string, interviewAnswer: string, interviewId: string, inviteId: string, feedbackId: string, openToken: string;
  const interviewBody = (title: string) => ({ title, company: 'Acme', coaching: false, deadline: new Date(Date.now() + 2 * 86_400_000).toISOString(), questions: [{ text: `${title}: tell us about a launch.`, thinkSeconds: 10, answerSeconds: 60 }], candidates: [email.candidate] });

  beforeAll(async () => {
    api = await startApi();
    ({ app, origin } = api);
    for (const [k, address] of Object.entries(email)) who[k as keyof typeof who] = await signUp(app, origin, address);
    await app.db.user.updateMany({ where: { email: { in: Object.values(email) } }, data: { emailVerifiedAt: new Date() } });
    await app.db.userRole.createMany({ data: [{ userId: who.lapsed.id, role: 'recruiter' }, { userId: who.admin.id, role: 'admin' }] });
    expect((await call('POST', '/api/billing/test-checkout/complete', 'owner', { plan: 'recruiter' })).statusCode).toBe(200);

    // The candidate is discoverable with a one-answer resume, and the owner asked to get in touch.
    const storage = { s3: app.s3, bucket: app.bucket };
    const bank = await app.db.question.findFirstOrThrow({ where: { ownerId: null, competency: 'ownership' } });
    resumeAnswer = await recordedAnswer(app, storage, { userId: who.candidate.id, questionId: bank.id, script: `I owned the ${MARK} migration and finished it early.`, webm: WEBM, durationMs: 5000 });
    const resume = (await call('POST', '/api/resumes', 'candidate', { headline: 'Platform engineer', profile: 'Migrations.', answerIds: [resumeAnswer] })).json().resume;
    expect((await call('PUT', '/api/me/discovery', 'candidate', { discoverable: true, targetRoles: ['platform'], skills: ['go'], location: 'Lisbon', resumeId: resume.id })).statusCode).toBe(200);
    expect((await call('POST', `/api/discovery/${who.candidate.id}/contact`, 'owner', { message: 'Hello' })).statusCode).toBe(201);

    // A submitted one-way interview with the owner's feedback, and a second invitation not yet opened.
    const made = await call('POST', '/api/interviews', 'owner', interviewBody('Screen one'));
    expect(made.statusCode, made.body).toBe(201);
    interviewId = made.json().interview.id;
    const invitation = (await call('POST', '/api/interview-invites/accept', 'candidate', { token: await tokenOf(email.candidate, 'Screen one') })).json().invitation;
    inviteId = invitation.inviteId;
    interviewAnswer = await recordedAnswer(app, storage, { userId: who.candidate.id, questionId: invitation.questions[0].questionId, script: `We launched the ${MARK} app in a week.`, webm: WEBM, durationMs: 4000 });
    await app.db.answer.update({ where: { id: interviewAnswer }, data: { interviewInviteId: inviteId, interviewPosition: 0 } });
    expect((await call('POST', `/api/interview-invites/${inviteId}/submit`, 'candidate')).statusCode).toBe(200);
    const fb = await call('POST', `/api/interviews/${interviewId}/invites/${inviteId}/feedback`, 'owner', { ratings: [{ competency: 'ownership', rating: 4 }], comment: 'Clear.' });
    expect(fb.statusCode, fb.body).toBe(200);
    feedbackId = fb.json().feedback.id;
    expect((await call('POST', '/api/interviews', 'owner', interviewBody('Screen two'))).statusCode).toBe(201);
    openToken = await tokenOf(email.candidate, 'Screen two');
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
  });

  it('follows the authorization matrix over discovery, interviews, invitations and reports', async () => {
    const contactId = (await app.db.contactRequest.findFirstOrThrow({ where: { candidateId: who.candidate.id } })).id;
    const recording = `/api/interviews/${interviewId}/invites/${inviteId}/answers/${interviewAnswer}/recording`;
    const none = (status: number) => ({ nobody: 401, other: status, lapsed: status, admin: status });
    // Status by actor; media rows expect 206 where allowed (a range request).
    const rows: { name: string; method: string; url: string; body?: object; media?: boolean; expect: Record<Actor, number> }[] = [
      // ---- discovery: the recruiter's side needs the Recruiter plan ----
      { name: 'search', method: 'GET', url: '/api/discovery', expect: { ...none(402), candidate: 402, owner: 200 } },
      { name: "a found candidate's profile", method: 'GET', url: `/api/discovery/${who.candidate.id}`, expect: { ...none(402), candidate: 402, owner: 200 } },
      { name: "a found candidate's resume video", method: 'GET', url: `/api/discovery/${who.candidate.id}/answers/${resumeAnswer}/recording`, media: true, expect: { ...none(402), candidate: 402, owner: 206 } },
      { name: 'asking to get in touch (again)', method: 'POST', url: `/api/discovery/${who.candidate.id}/contact`, body: { message: 'Hi' }, expect: { ...none(402), candidate: 402, owner: 409 } },
      { name: "the recruiter's contact requests", method: 'GET', url: '/api/discovery/contacts', expect: { nobody: 401, other: 200, lapsed: 200, admin: 200, candidate: 200, owner: 200 } },
      // ---- discovery: the candidate's side, their own only ----
      { name: 'the discovery profile', method: 'GET', url: '/api/me/discovery', expect: { nobody: 401, other: 200, lapsed: 200, admin: 200, candidate: 200, owner: 200 } },
      { name: 'declining a contact request', method: 'POST', url: `/api/me/contact-requests/${contactId}/decline`, expect: { ...none(404), owner: 404, candidate: 200 } },
      // ---- one-way interviews: the recruiter's side ----
      { name: 'making an interview', method: 'POST', url: '/api/interviews', body: interviewBody('Screen three'), expect: { ...none(402), candidate: 402, owner: 201 } },
      { name: 'listing interviews', method: 'GET', url: '/api/interviews', expect: { ...none(402), candidate: 402, owner: 200 } },
      { name: 'an interview', method: 'GET', url: `/api/interviews/${interviewId}`, expect: { ...none(404), candidate: 404, owner: 200 } },
      { name: "a submitted answer's video", method: 'GET', url: recording, media: true, expect: { ...none(404), candidate: 404, owner: 206 } },
      { name: 'feedback on a submission', method: 'POST', url: `/api/interviews/${interviewId}/invites/${inviteId}/feedback`, body: { ratings: [{ competency: 'ownership', rating: 5 }], comment: 'Still clear.' }, expect: { ...none(404), candidate: 404, owner: 200 } },
      // ---- one-way interviews: the invited candidate's side ----
      // Anyone but the invited address is refused (403) while it is unopened; the candidate takes it, so the owner, tried after, finds it taken (404).
      { name: 'opening an unopened invitation', method: 'POST', url: '/api/interview-invites/accept', body: { token: openToken }, expect: { ...none(403), candidate: 200, owner: 404 } },
      { name: 'opening a taken invitation', method: 'POST', url: '/api/interview-invites/accept', body: { token: await tokenOf(email.candidate, 'Screen one') }, expect: { ...none(404), owner: 404, candidate: 200 } },
      { name: 'an invitation', method: 'GET', url: `/api/interview-invites/${inviteId}`, expect: { ...none(404), owner: 404, candidate: 200 } },
      { name: 'submitting an invitation', method: 'POST', url: `/api/interview-invites/${inviteId}/submit`, expect: { ...none(404), owner: 404, candidate: 409 } },
      { name: "recording an invitation's answer", method: 'POST', url: '/api/answers', body: { questionId: (await app.db.answer.findUniqueOrThrow({ where: { id: interviewAnswer } })).questionId, interviewInviteId: inviteId }, expect: { ...none(404), owner: 404, candidate: 409 } },
      { name: "the interview answer's full report", method: 'GET', url: `/api/answers/${interviewAnswer}/report`, expect: { ...none(404), owner: 404, candidate: 200 } },
      { name: "the interview answer's own video route", method: 'GET', url: `/api/answers/${interviewAnswer}/recording`, media: true, expect: { ...none(404), owner: 404, candidate: 206 } },
      // ---- reports ----
      { name: 'reporting the candidate profile', method: 'POST', url: '/api/reports', body: { targetType: 'candidate_profile', targetId: who.candidate.id, reason: 'spam' }, expect: { nobody: 401, other: 201, lapsed: 201, admin: 201, candidate: 409, owner: 201 } },
      { name: "reporting the recruiter's feedback", method: 'POST', url: '/api/reports', body: { targetType: 'recruiter_feedback', targetId: feedbackId, reason: 'harassment' }, expect: { ...none(404), owner: 404, candidate: 201 } },
      { name: 'the feedback received', method: 'GET', url: '/api/recruiter-feedback', expect: { nobody: 401, other: 200, lapsed: 200, admin: 200, candidate: 200, owner: 200 } },
    ];

    const wrong: string[] = [];
    for (const row of rows) {
      for (const actor of ACTORS) {
        const res = await call(row.method, row.url, actor, row.body, row.media ? { range: 'bytes=0-99' } : {});
        if (res.statusCode !== row.expect[actor]) wrong.push(`${row.name} as ${actor}: ${res.statusCode} (expected ${row.expect[actor]}) ${res.body.slice(0, 120)}`);
        // Only the candidate and, where let in, the owner may see what the candidate said.
        const mayRead = actor === 'candidate' || (actor === 'owner' && res.statusCode < 300);
        if (!mayRead && (res.body.includes(MARK) || res.rawPayload.includes(WEBM.subarray(0, 64)))) wrong.push(`${row.name} as ${actor} leaked the answer`);
      }
    }
    expect(wrong).toEqual([]);

    // The lists everyone may read hold only their own: nobody else's invitation or feedback.
    for (const actor of ['other', 'lapsed', 'admin', 'owner'] as const) {
      expect((await call('GET', '/api/interview-invites', actor)).json().invitations).toEqual([]);
      expect((await call('GET', '/api/recruiter-feedback', actor)).json().feedback).toEqual([]);
    }
    expect((await call('GET', '/api/interview-invites', 'candidate')).json().invitations.map((i: { inviteId: string }) => i.inviteId)).toContain(inviteId);
    expect((await call('GET', '/api/interview-invites', 'nobody')).statusCode).toBe(401);
    // The refused invitation opening wrote nothing but the candidate's own claim.
    expect(await app.db.auditLog.count({ where: { action: 'interview.accept', actorId: { not: who.candidate.id } } })).toBe(0);
  });

  it('lets a named share link be watched only by a named, verified recruiter account', async () => {
    // The candidate names the owner (a recruiter) and the other candidate (not one); the lapsed
    // recruiter is not named.
    const made = await call('POST', '/api/shares', 'candidate', { kind: 'answer', id: resumeAnswer, expiresInDays: 7, recipients: [email.owner, email.other.toUpperCase()] });
    expect(made.statusCode, made.body).toBe(201);
    const token = new URL(made.json().url).pathname.split('/').at(-1)!;
    const expected: Record<Actor, number> = { nobody: 401, other: 403, lapsed: 403, admin: 403, candidate: 200, owner: 200 };
    const wrong: string[] = [];
    for (const actor of ACTORS) {
      const page = await call('GET', `/api/s/${token}`, actor);
      const media = await call('GET', `/api/s/${token}/answers/${resumeAnswer}/recording`, actor, undefined, { range: 'bytes=0-99' });
      if (page.statusCode !== expected[actor]) wrong.push(`page as ${actor}: ${page.statusCode} (expected ${expected[actor]})`);
      if (media.statusCode !== (expected[actor] === 200 ? 206 : expected[actor])) wrong.push(`media as ${actor}: ${media.statusCode}`);
      if (expected[actor] !== 200 && (page.body.includes(MARK) || media.rawPayload.includes(WEBM.subarray(0, 64)))) wrong.push(`${actor} leaked the answer`);
    }
    expect(wrong).toEqual([]);
    // The named address without the recruiter role is told why, apart from the accounts not named.
    expect((await call('GET', `/api/s/${token}`, 'other')).json().error.code).toBe('RECRUITER_ONLY');
    expect((await call('GET', `/api/s/${token}`, 'lapsed')).json().error.code).toBe('SHARE_NOT_FOR_YOU');
    expect((await call('POST', `/api/s/${token}/feedback`, 'other', { ratings: [{ competency: 'ownership', rating: 1 }], comment: 'x' })).json().error.code).toBe('RECRUITER_ONLY');
    // Only the owner's (recruiter) view was recorded.
    const views = await app.db.shareView.findMany({ where: { linkId: made.json().link.id } });
    expect(views.map((v) => v.viewerId)).toEqual([who.owner.id]);
    // Given the role, the named address is let in.
    await app.db.userRole.create({ data: { userId: who.other.id, role: 'recruiter' } });
    expect((await call('GET', `/api/s/${token}`, 'other')).statusCode).toBe(200);
  });
});
