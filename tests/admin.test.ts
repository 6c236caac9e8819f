// The admin area and moderation on the API with real PostgreSQL: every admin route refused to
// non-admins (and to nobody); each admin action landing in the append-only audit log with who and
// from where; reports filed by users and acted on (hide, warn, suspend, dismiss); a suspended
// account's sessions, sign-in and share links stopping at once; the CSV export; report floods.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '@rehearse/api';
import { recordedAnswer } from './support/answers.ts';
import { signUp, startApi, type TestApi } from './support/api.ts';

type Who = { cookie: string; id: string };
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('admin area and moderation', () => {
  let api: TestApi;
  let app: App;
  let origin: string;
  let admin: Who, mentor: Who, recruiter: Who, seeker: Who, troll: Who;
  const call = (method: string, url: string, who: Who | null, payload?: object, ip = '10.55.0.9') =>
    app.inject({ method: method as 'GET', url, remoteAddress: ip, headers: { origin, 'user-agent': 'admin-test', ...(who ? { cookie: who.cookie } : {}) }, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    api = await startApi();
    ({ app, origin } = api);
    [admin, mentor, recruiter, seeker, troll] = await Promise.all([signUp(app, origin, 'admin@adm.test'), signUp(app, origin, 'mentor@adm.test'), signUp(app, origin, 'recruiter@adm.test'), signUp(app, origin, 'seeker@adm.test'), signUp(app, origin, 'troll@adm.test')]);
    await app.db.userRole.createMany({ data: [{ userId: admin.id, role: 'admin' }, { userId: mentor.id, role: 'mentor' }, { userId: recruiter.id, role: 'recruiter' }] });
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
  });

  const someId = '01900000-0000-7000-8000-000000000000';
  const adminRoutes: [string, string, object?][] = [
    ['GET', '/api/admin/users'],
    ['PUT', `/api/admin/users/${someId}/roles/recruiter`],
    ['DELETE', `/api/admin/users/${someId}/roles/mentor`],
    ['POST', `/api/admin/users/${someId}/suspend`, { reason: 'x' }],
    ['POST', `/api/admin/users/${someId}/unsuspend`],
    ['GET', '/api/admin/mentors'],
    ['POST', `/api/admin/mentors/${someId}/approve`],
    ['POST', `/api/admin/mentors/${someId}/suspend`],
    ['GET', '/api/admin/reports'],
    ['POST', `/api/admin/reports/${someId}/decision`, { action: 'dismiss' }],
    ['GET', '/api/admin/bookings'],
    ['POST', `/api/admin/bookings/${someId}/refund`, {}],
    ['GET', '/api/admin/subscriptions'],
    ['POST', '/api/admin/retention/run'],
    ['GET', '/api/admin/audit'],
    ['GET', '/api/admin/audit.csv'],
  ];

  it('refuses every admin route to mentors, recruiters, seekers and nobody, and writes nothing', async () => {
    const before = await app.db.auditLog.count();
    for (const [method, url, body] of adminRoutes) {
      expect({ url, status: (await call(method, url, null, body)).statusCode }).toEqual({ url, status: 401 });
      for (const who of [mentor, recruiter, seeker]) expect({ url, status: (await call(method, url, who, body)).statusCode }).toEqual({ url, status: 403 });
    }
    // Encoded and case-shifted paths do not reach them either.
    for (const url of ['/api/%61dmin/users', '/API/admin/users', '/api/admin/./users', '/api/admin/users/../users']) expect([401, 403, 404]).toContain((await call('GET', url, seeker)).statusCode);
    expect(await app.db.auditLog.count()).toBe(before);
  });

  it('grants and revokes roles (never the admin role), and audits each with who and from where', async () => {
    expect((await call('PUT', `/api/admin/users/${seeker.id}/roles/recruiter`, admin)).statusCode).toBe(204);
    expect((await app.db.userRole.findMany({ where: { userId: seeker.id } })).map((r) => r.role)).toContain('recruiter');
    expect((await call('DELETE', `/api/admin/users/${seeker.id}/roles/recruiter`, admin)).statusCode).toBe(204);
    expect((await app.db.userRole.findMany({ where: { userId: seeker.id } })).map((r) => r.role)).not.toContain('recruiter');
    expect((await call('PUT', `/api/admin/users/${seeker.id}/roles/admin`, admin)).statusCode).toBe(400);
    expect((await call('PUT', `/api/admin/users/${someId}/roles/mentor`, admin)).statusCode).toBe(404);
    const entries = (await call('GET', `/api/admin/audit?action=admin.role.&targetId=${seeker.id}`, admin)).json().entries;
    expect(entries.map((e: { action: string }) => e.action)).toEqual(['admin.role.revoke', 'admin.role.grant']);
    expect(entries[0]).toMatchObject({ actorId: admin.id, actorEmail: 'admin@adm.test', ipAddress: '10.55.0.9', userAgent: 'admin-test', details: { role: 'recruiter' } });
    const users = (await call('GET', '/api/admin/users?q=seeker@', admin)).json().users;
    expect(users).toEqual([expect.objectContaining({ id: seeker.id, email: 'seeker@adm.test', plan: 'free', suspendedAt: null })]);
  });

  it('keeps the audit log append-only, even for the database role the API uses', async () => {
    await expect(app.db.$executeRaw`UPDATE audit_log SET action = 'nothing happened'`).rejects.toThrow(/append-only/);
    await expect(app.db.$executeRaw`DELETE FROM audit_log`).rejects.toThrow(/append-only/);
    await expect(app.db.$executeRaw`TRUNCATE audit_log`).rejects.toThrow(/append-only/);
    expect(await app.db.auditLog.count({ where: { action: 'admin.role.grant' } })).toBeGreaterThan(0);
  });

  it('exports the log as CSV with formulas defused, and logs the export', async () => {
    await app.inject({ method: 'PUT', url: `/api/admin/users/${troll.id}/roles/mentor`, remoteAddress: '10.55.0.10', headers: { origin, cookie: admin.cookie, 'user-agent': '=HYPERLINK("http://evil.example")' } });
    const csv = await call('GET', '/api/admin/audit.csv?action=admin.role.grant', admin);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('attachment');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('id,createdAt,actorId,actorEmail,action,targetType,targetId,ipAddress,userAgent,details');
    expect(csv.body).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(csv.body).not.toMatch(/(^|,)"=HYPERLINK/m);
    expect(await app.db.auditLog.count({ where: { action: 'admin.audit.export' } })).toBe(1);
    await call('DELETE', `/api/admin/users/${troll.id}/roles/mentor`, admin);
  });

  it('takes reports from users, lets an admin hide, warn, suspend or dismiss, and audits each decision', async () => {
    // The troll leaves insulting feedback on the seeker's shared answer.
    const question = await app.db.question.findFirstOrThrow({ where: { ownerId: null } });
    const answerId = await recordedAnswer(app, { s3: app.s3, bucket: app.bucket }, { userId: seeker.id, questionId: question.id, script: 'My story about a hard deadline.', webm: Buffer.alloc(512, 1), durationMs: 2000 });
    const link = (await call('POST', '/api/shares', seeker, { kind: 'answer', id: answerId, expiresInDays: 7 })).json();
    const token = new URL(link.url).pathname.split('/').at(-1)!;
    await app.db.userRole.create({ data: { userId: troll.id, role: 'recruiter' } });
    const fb = (await call('POST', `/api/s/${token}/feedback`, troll, { ratings: [{ competency: 'communication', rating: 1 }], comment: 'Rude words' })).json().feedback;

    // Only the candidate it was written to can report it; made-up and own targets are refused.
    expect((await call('POST', '/api/reports', mentor, { targetType: 'recruiter_feedback', targetId: fb.id, reason: 'harassment' })).statusCode).toBe(404);
    expect((await call('POST', '/api/reports', seeker, { targetType: 'user', targetId: seeker.id, reason: 'spam' })).json().error.code).toBe('OWN_ITEM');
    expect((await call('POST', '/api/reports', seeker, { targetType: 'mentor_review', targetId: someId, reason: 'spam' })).statusCode).toBe(404);
    expect((await call('POST', '/api/reports', seeker, { targetType: 'recruiter_feedback', targetId: fb.id, reason: 'threats' })).statusCode).toBe(400);
    expect((await call('POST', '/api/reports', null, { targetType: 'user', targetId: troll.id, reason: 'spam' })).statusCode).toBe(401);
    const filed = await call('POST', '/api/reports', seeker, { targetType: 'recruiter_feedback', targetId: fb.id, reason: 'harassment', details: 'Insulting.' });
    expect(filed.statusCode, filed.body).toBe(201);
    // A viewer can report the shared item itself by its link.
    expect((await call('POST', `/api/s/${token}/report`, mentor, { reason: 'inappropriate' })).statusCode).toBe(201);

    const open = (await call('GET', '/api/admin/reports?status=open', admin)).json().reports;
    expect(open.map((r: { targetType: string }) => r.targetType).sort()).toEqual(['recruiter_feedback', 'share_link']);
    const feedbackReport = open.find((r: { targetType: string }) => r.targetType === 'recruiter_feedback');
    expect(feedbackReport).toMatchObject({ reporter: { email: 'seeker@adm.test' }, subject: { email: 'troll@adm.test' } });

    // Hide: gone from what the candidate sees.
    expect((await call('POST', `/api/admin/reports/${feedbackReport.id}/decision`, admin, { action: 'hide' })).json().report).toMatchObject({ status: 'actioned', action: 'hide' });
    expect((await call('GET', '/api/recruiter-feedback', seeker)).json().feedback).toEqual([]);
    expect((await call('POST', `/api/admin/reports/${feedbackReport.id}/decision`, admin, { action: 'dismiss' })).json().error.code).toBe('REPORT_CLOSED');
    const shareReport = open.find((r: { targetType: string }) => r.targetType === 'share_link');
    expect((await call('POST', `/api/admin/reports/${shareReport.id}/decision`, admin, { action: 'dismiss' })).json().report.status).toBe('dismissed');

    // Warn, then suspend the troll through a fresh report.
    const second = (await call('POST', '/api/reports', seeker, { targetType: 'user', targetId: troll.id, reason: 'harassment' })).json().report;
    expect((await call('POST', `/api/admin/reports/${second.id}/decision`, admin, { action: 'warn', note: 'Keep it civil.' })).statusCode).toBe(200);
    expect((await app.db.outboxEmail.findFirstOrThrow({ where: { to: 'troll@adm.test', subject: { contains: 'warning' } } })).text).toContain('Keep it civil.');
    const third = (await call('POST', '/api/reports', seeker, { targetType: 'user', targetId: troll.id, reason: 'harassment' })).json().report;
    const trollLink = (await call('POST', '/api/shares', troll, { kind: 'answer', id: await recordedAnswer(app, { s3: app.s3, bucket: app.bucket }, { userId: troll.id, questionId: question.id, script: 'Troll answer.', webm: Buffer.alloc(512, 2), durationMs: 1000 }), expiresInDays: 7 })).json();
    expect((await call('GET', '/api/auth/me', troll)).statusCode).toBe(200);
    expect((await call('POST', `/api/admin/reports/${third.id}/decision`, admin, { action: 'suspend' })).statusCode).toBe(200);
    // At once: the session is gone, sign-in says suspended, their links show nothing.
    expect((await call('GET', '/api/auth/me', troll)).statusCode).toBe(401);
    expect((await call('POST', '/api/auth/login', null, { email: 'troll@adm.test', password: 'a long enough password' }, '10.55.1.1')).json().error.code).toBe('ACCOUNT_SUSPENDED');
    expect((await call('POST', '/api/auth/login', null, { email: 'troll@adm.test', password: 'wrong password here' }, '10.55.1.2')).json().error.code).toBe('INVALID_CREDENTIALS');
    expect((await call('GET', `/api/s/${new URL(trollLink.url).pathname.split('/').at(-1)}`, null)).statusCode).toBe(404);
    // An admin cannot be suspended from here, nor suspend themselves.
    expect((await call('POST', `/api/admin/users/${admin.id}/suspend`, admin, { reason: 'oops' })).json().error.code).toBe('OWN_ACCOUNT');

    const actions = (await call('GET', '/api/admin/audit?action=moderation.', admin)).json().entries.map((e: { action: string }) => e.action);
    expect(actions.sort()).toEqual(['moderation.dismiss', 'moderation.hide', 'moderation.suspend', 'moderation.warn']);
    // Lifting the suspension lets them sign in again.
    expect((await call('POST', `/api/admin/users/${troll.id}/unsuspend`, admin)).statusCode).toBe(204);
    expect((await call('POST', '/api/auth/login', null, { email: 'troll@adm.test', password: 'a long enough password' }, '10.55.1.3')).statusCode).toBe(200);
  });

  it('audits mentor approval and suspension, and a user suspended and let back', async () => {
    const applicant = await signUp(app, origin, 'applicant@adm.test');
    const applied = await call('POST', '/api/mentor/apply', applicant, { headline: 'Engineering manager', price30: 5000, timezone: 'UTC' });
    expect(applied.statusCode, applied.body).toBe(201);
    expect((await call('POST', `/api/admin/mentors/${applicant.id}/approve`, seeker)).statusCode).toBe(403);
    expect(await app.db.auditLog.count({ where: { targetId: applicant.id } })).toBe(0);
    expect((await call('POST', `/api/admin/mentors/${applicant.id}/approve`, admin)).json().mentor.status).toBe('approved');
    expect((await call('POST', `/api/admin/mentors/${applicant.id}/suspend`, admin)).json().mentor.status).toBe('suspended');
    const mentorEntries = (await call('GET', `/api/admin/audit?action=admin.mentor.&targetId=${applicant.id}`, admin)).json().entries;
    expect(mentorEntries.map((e: { action: string }) => e.action)).toEqual(['admin.mentor.suspend', 'admin.mentor.approve']);
    for (const e of mentorEntries) expect(e).toMatchObject({ actorId: admin.id, actorEmail: 'admin@adm.test', targetType: 'user', ipAddress: '10.55.0.9', userAgent: 'admin-test' });

    expect((await call('POST', `/api/admin/users/${applicant.id}/suspend`, admin, { reason: 'Spam messages' })).statusCode).toBe(204);
    expect((await call('GET', '/api/auth/me', applicant)).statusCode).toBe(401);
    expect((await call('POST', `/api/admin/users/${applicant.id}/unsuspend`, admin)).statusCode).toBe(204);
    const userEntries = (await call('GET', `/api/admin/audit?action=admin.user.&targetId=${applicant.id}`, admin)).json().entries;
    expect(userEntries.map((e: { action: string }) => e.action)).toEqual(['admin.user.unsuspend', 'admin.user.suspend']);
    expect(userEntries[1]).toMatchObject({ actorId: admin.id, targetType: 'user', details: { reason: 'Spam messages' } });
    expect(userEntries[0]).toMatchObject({ actorId: admin.id, targetType: 'user' });
  });

  it('lists subscriptions and bookings to an admin only', async () => {
    const buyer = await signUp(app, origin, 'buyer@adm.test');
    expect((await call('POST', '/api/billing/test-checkout/complete', buyer, { plan: 'recruiter' })).statusCode).toBe(200);
    const subscriptions = await call('GET', '/api/admin/subscriptions', admin);
    expect(subscriptions.statusCode, subscriptions.body).toBe(200);
    expect(subscriptions.json().subscriptions).toEqual(expect.arrayContaining([expect.objectContaining({ userId: buyer.id, email: 'buyer@adm.test', plan: 'recruiter', testMode: true })]));
    const bookings = await call('GET', '/api/admin/bookings', admin);
    expect(bookings.statusCode, bookings.body).toBe(200);
    expect(bookings.json().bookings).toEqual(expect.any(Array));
    for (const url of ['/api/admin/subscriptions', '/api/admin/bookings']) {
      for (const who of [buyer, recruiter, mentor, seeker]) expect({ url, status: (await call('GET', url, who)).statusCode }).toEqual({ url, status: 403 });
      expect((await call('GET', url, null)).statusCode).toBe(401);
    }
  });

  it('hides a reported candidate profile from discovery at once', async () => {
    const hirer = await signUp(app, origin, 'hirer@adm.test');
    expect((await call('POST', '/api/billing/test-checkout/complete', hirer, { plan: 'recruiter' })).statusCode).toBe(200);
    const shown = await signUp(app, origin, 'shown@adm.test');
    expect((await call('PUT', '/api/me/discovery', shown, { discoverable: true, targetRoles: ['sre'], skills: ['kubernetes'], location: 'Oslo', resumeId: null })).statusCode).toBe(200);
    const found = async () => (await call('GET', '/api/discovery?skill=kubernetes', hirer)).json().candidates.map((c: { id: string }) => c.id);
    expect(await found()).toEqual([shown.id]);
    expect((await call('GET', `/api/discovery/${shown.id}`, hirer)).statusCode).toBe(200);
    const report = await call('POST', '/api/reports', hirer, { targetType: 'candidate_profile', targetId: shown.id, reason: 'spam' });
    expect(report.statusCode, report.body).toBe(201);
    expect((await call('POST', `/api/admin/reports/${report.json().report.id}/decision`, admin, { action: 'hide' })).json().report).toMatchObject({ status: 'actioned', action: 'hide' });
    expect(await found()).toEqual([]);
    expect((await call('GET', `/api/discovery/${shown.id}`, hirer)).statusCode).toBe(404);
    expect((await call('GET', '/api/me/discovery', shown)).json().profile).toMatchObject({ discoverable: true, hidden: true });
    expect(await app.db.auditLog.count({ where: { action: 'moderation.hide', targetType: 'candidate_profile', targetId: shown.id, actorId: admin.id } })).toBe(1);
  });

  it('hides a reported mentor profile from the directory at once, taking the role', async () => {
    const coach = await signUp(app, origin, 'coach@adm.test');
    expect((await call('POST', '/api/mentor/apply', coach, { headline: 'Hiring manager', price30: 5000, timezone: 'UTC' })).statusCode).toBe(201);
    expect((await call('POST', `/api/admin/mentors/${coach.id}/approve`, admin)).statusCode).toBe(200);
    const listed = async () => (await call('GET', '/api/mentors', null)).json().mentors.map((m: { id: string }) => m.id);
    expect(await listed()).toContain(coach.id);
    const reporter = await signUp(app, origin, 'mentor-reporter@adm.test');
    const report = await call('POST', '/api/reports', reporter, { targetType: 'mentor_profile', targetId: coach.id, reason: 'spam' });
    expect(report.statusCode, report.body).toBe(201);
    expect((await call('POST', `/api/admin/reports/${report.json().report.id}/decision`, admin, { action: 'hide' })).json().report).toMatchObject({ status: 'actioned', action: 'hide' });
    expect(await listed()).not.toContain(coach.id);
    expect((await call('GET', `/api/mentors/${coach.id}`, null)).statusCode).toBe(404);
    expect((await call('GET', '/api/mentor/availability', coach)).statusCode).toBe(403);
    expect(await app.db.auditLog.count({ where: { action: 'moderation.hide', targetType: 'mentor_profile', targetId: coach.id, actorId: admin.id } })).toBe(1);
  });

  it("writes the operator's grant-role to the audit log, with no actor", async () => {
    const operator = await signUp(app, origin, 'operator@adm.test');
    const run = () => promisify(execFile)(process.execPath, ['deploy/local/grant-role.ts', 'Operator@adm.test', 'admin'], { cwd: repoRoot, env: { ...process.env, DATABASE_URL: api.services.databaseUrl } });
    const first = await run();
    expect(first.stdout, first.stderr).toContain('now has the admin role');
    expect((await app.db.userRole.findMany({ where: { userId: operator.id } })).map((r) => r.role)).toContain('admin');
    expect((await call('GET', '/api/admin/users', operator)).statusCode).toBe(200);
    expect((await run()).stdout).toContain('(it had it already)');
    const entries = (await call('GET', `/api/admin/audit?action=admin.role.grant&targetId=${operator.id}`, admin)).json().entries;
    expect(entries).toHaveLength(2);
    expect(entries[1]).toMatchObject({ actorId: null, actorEmail: '', action: 'admin.role.grant', targetType: 'user', targetId: operator.id, details: { role: 'admin', email: 'operator@adm.test', via: 'grant-role', alreadyHeld: false } });
    expect(entries[0].details).toMatchObject({ role: 'admin', alreadyHeld: true });
  });

  it('caps how many reports one account files', async () => {
    const reporter = await signUp(app, origin, 'reporter@adm.test');
    const statuses = [];
    // From a different address each time: the cap is the account's.
    for (let i = 0; i < 14; i++) statuses.push((await call('POST', '/api/reports', reporter, { targetType: 'user', targetId: recruiter.id, reason: 'spam' }, `10.56.0.${i}`)).statusCode);
    expect(statuses.filter((s) => s === 201).length).toBe(10);
    expect(statuses.slice(10)).toEqual([429, 429, 429, 429]);
  });
});
