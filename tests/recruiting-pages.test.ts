// Discovery and the admin area in Chromium against the running product: a candidate opts in on
// /discovery with a video resume; a recruiter finds them on /recruiter, watches, asks to get in
// touch; the candidate accepts and only then the recruiter sees the address; opting out removes
// them from the recruiter's search at once. A viewer reports a shared answer; an admin finds the
// report, revokes the link with "hide", grants a role on /admin/users and reads both in the audit
// log, whose CSV export downloads. Axe on every page.
import type { S3Client } from '@aws-sdk/client-s3';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordedAnswer } from './support/answers.ts';
import { launchChromium } from './support/browser.ts';
import { contextApi, productDb, productS3, signedUpContext, type Db } from './support/calls.ts';
import { checkPage } from './support/pages.ts';
import { startProduct, type RunningProduct } from './support/product.ts';

const SHOTS = '/tmp/shots';

describe('discovery and the admin area, in the browser', () => {
  let product: RunningProduct;
  let browser: Browser;
  let db: Db;
  let storage: { s3: S3Client; bucket: string };
  let origin: string;

  beforeAll(async () => {
    [product, browser] = await Promise.all([startProduct(), launchChromium()]);
    origin = new URL(product.url).origin;
    db = productDb(product);
    storage = productS3(product);
  }, 180_000);

  afterAll(async () => {
    storage?.s3.destroy();
    await db?.$disconnect();
    await browser?.close();
    if (product && product.process.exitCode === null) await product.stop();
  });

  const newPage = async (context: BrowserContext) => {
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error));
    return page;
  };
  const idOf = async (context: BrowserContext) => (await contextApi(context, origin, 'GET', '/api/auth/me')).body.user.id as string;
  const answerFor = async (context: BrowserContext, script: string) => {
    const question = await db.question.findFirstOrThrow({ where: { ownerId: null, source: 'bank' }, orderBy: { slug: 'asc' } });
    return recordedAnswer({ db }, storage, { userId: await idOf(context), questionId: question.id, script, webm: Buffer.alloc(1024, 5), durationMs: 3000 });
  };

  it('lets a candidate be found only while opted in, and share the address only after accepting', { timeout: 180_000 }, async () => {
    const candidate = await signedUpContext(browser, origin, 'dana@find.example', 'Dana Data');
    const recruiter = await signedUpContext(browser, origin, 'rex@find.example', 'Rex Recruiter');
    expect((await contextApi(recruiter, origin, 'POST', '/api/billing/test-checkout/complete', { plan: 'recruiter' })).status).toBe(200);
    const answer = await answerFor(candidate, 'I owned the warehouse migration and finished it early.');
    const resume = (await contextApi(candidate, origin, 'POST', '/api/resumes', { headline: 'Dana — data engineer', profile: 'Warehouses.', answerIds: [answer] })).body.resume;

    // A recruiter without the plan is told what it needs.
    const lapsed = await signedUpContext(browser, origin, 'nop@find.example', 'No Plan');
    const lapsedPage = await newPage(lapsed);
    await lapsedPage.goto(`${origin}/recruiter`);
    await lapsedPage.getByTestId('recruiter-plan-required').waitFor();

    // ---- the candidate opts in ----
    const page = await newPage(candidate);
    await page.goto(`${origin}/discovery`);
    await page.getByTestId('discovery-optin').check();
    await page.getByTestId('discovery-roles').fill('data-engineer');
    await page.getByTestId('discovery-skills').fill('sql, python');
    await page.getByTestId('discovery-location').fill('Lisbon');
    await page.getByTestId('discovery-resume').selectOption(resume.id);
    await page.getByTestId('discovery-save').click();
    await page.getByTestId('discovery-saved').waitFor();
    await checkPage(page, 'discovery opt-in');
    await page.screenshot({ path: `${SHOTS}/discovery-optin.png`, fullPage: true });

    // ---- the recruiter finds, watches and asks ----
    const rec = await newPage(recruiter);
    await rec.goto(`${origin}/recruiter`);
    await rec.getByTestId('discovery-skill').fill('sql');
    await rec.getByTestId('discovery-search').click();
    const found = rec.getByTestId('discovered-candidate');
    await found.first().waitFor();
    expect(await found.count()).toBe(1);
    await checkPage(rec, 'recruiter search');
    await found.first().locator('a').first().click();
    await rec.waitForURL(/\/recruiter\/candidates\/[0-9a-f-]{36}$/);
    await rec.getByTestId('review-video').or(rec.locator('video')).first().waitFor();
    expect(await rec.getByTestId('candidate-email').count()).toBe(0);
    expect(await rec.content()).not.toContain('dana@find.example');
    await rec.getByTestId('contact-message').fill('Would you talk to us about a data role?');
    await rec.getByTestId('contact-send').click();
    await rec.locator('[data-testid=contact-state][data-state=pending]').waitFor();
    // Anything seen can be reported: here the profile.
    await rec.getByTestId('profile-report').locator('summary').click();
    await rec.getByTestId('profile-report-reason').selectOption('fake');
    await rec.getByTestId('profile-report-send').click();
    await rec.getByTestId('profile-report-sent').waitFor();
    expect(await db.moderationReport.count({ where: { targetType: 'candidate_profile', targetId: await idOf(candidate), reason: 'fake' } })).toBe(1);
    await checkPage(rec, 'found candidate');
    await rec.screenshot({ path: `${SHOTS}/recruiter-candidate.png`, fullPage: true });

    // ---- the candidate accepts; now the recruiter has the address ----
    await page.reload();
    await page.locator('[data-testid=contact-request][data-status=pending]').waitFor();
    await page.getByTestId('contact-accept').click();
    await page.locator('[data-testid=contact-request][data-status=accepted]').waitFor();
    await rec.reload();
    expect(await rec.getByTestId('candidate-email').textContent()).toContain('dana@find.example');

    // ---- opting out removes them from the search at once ----
    await page.getByTestId('discovery-optin').uncheck();
    await page.getByTestId('discovery-save').click();
    await page.getByTestId('discovery-saved').waitFor();
    await rec.goto(`${origin}/recruiter?skill=sql`);
    await rec.getByTestId('discovery-empty').waitFor();
    expect(await rec.getByTestId('discovered-candidate').count()).toBe(0);
    for (const c of [candidate, recruiter, lapsed]) await c.close();
  });

  it('takes a report of a shared answer to an admin, whose actions land in the audit log', { timeout: 180_000 }, async () => {
    const owner = await signedUpContext(browser, origin, 'owen@mod.example', 'Owen Owner');
    const viewer = await signedUpContext(browser, origin, 'vic@mod.example', 'Vic Viewer');
    const admin = await signedUpContext(browser, origin, 'ada@mod.example', 'Ada Admin');
    await db.userRole.create({ data: { userId: await idOf(admin), role: 'admin' } });
    const answer = await answerFor(owner, 'Something a viewer finds offensive.');
    const shared = (await contextApi(owner, origin, 'POST', '/api/shares', { kind: 'answer', id: answer, expiresInDays: 7 })).body;

    // A viewer reports it from the link's page.
    const view = await newPage(viewer);
    await view.goto(shared.url);
    await view.getByTestId('share-report').locator('summary').click();
    await view.getByTestId('share-report-reason').selectOption('inappropriate');
    await view.getByTestId('share-report-details').fill('Not appropriate for a work site.');
    await view.getByTestId('share-report-send').click();
    await view.getByTestId('share-report-sent').waitFor();

    // Non-admins get the refusal page.
    const refused = await newPage(viewer);
    const response = await refused.goto(`${origin}/admin/users`);
    expect(response?.status()).toBe(403);

    // ---- the admin hides it (the link is revoked) ----
    const adm = await newPage(admin);
    await adm.goto(`${origin}/admin`);
    await checkPage(adm, 'admin home');
    await adm.goto(`${origin}/admin/reports`);
    const report = adm.locator('[data-testid=admin-report]:has([data-target-type=share_link])');
    expect(await report.getByTestId('report-details').textContent()).toContain('Not appropriate');
    await checkPage(adm, 'admin reports');
    await adm.screenshot({ path: `${SHOTS}/admin-reports.png`, fullPage: true });
    const decided = adm.waitForResponse((r) => r.url().includes('/decision') && r.request().method() === 'POST');
    await report.getByTestId('report-hide').click();
    expect((await decided).status()).toBe(200);
    await adm.goto(`${origin}/admin/reports?status=actioned`);
    await adm.locator('[data-testid=admin-report][data-status=actioned]').first().waitFor();
    await view.reload();
    expect(await view.getByTestId('share-gone').getAttribute('data-code')).toBe('SHARE_REVOKED');

    // ---- grants the recruiter role on the users page ----
    await adm.goto(`${origin}/admin/users?q=vic@`);
    const row = adm.locator('[data-testid=admin-user][data-email="vic@mod.example"]');
    await row.getByTestId('role-grant-recruiter').click();
    await row.locator('[data-testid=user-role][data-role=recruiter]').waitFor();
    await checkPage(adm, 'admin users');
    await adm.screenshot({ path: `${SHOTS}/admin-users.png`, fullPage: true });

    // ---- and reads both in the audit log, and exports it ----
    await adm.goto(`${origin}/admin/audit`);
    await adm.locator('[data-testid=audit-entry][data-action="moderation.hide"]').first().waitFor();
    expect(await adm.locator('[data-testid=audit-entry][data-action="admin.role.grant"]').count()).toBe(1);
    expect(await adm.locator('[data-testid=audit-entry][data-action="share.view"]').count()).toBeGreaterThanOrEqual(1);
    await checkPage(adm, 'audit log');
    await adm.screenshot({ path: `${SHOTS}/admin-audit.png`, fullPage: true });
    const download = adm.waitForEvent('download');
    await adm.getByTestId('audit-export').click();
    const csv = await (await download).createReadStream();
    const text = await new Promise<string>((resolve) => {
      let out = '';
      csv.on('data', (chunk) => (out += chunk));
      csv.on('end', () => resolve(out));
    });
    expect(text.split('\r\n')[0]).toBe('id,createdAt,actorId,actorEmail,action,targetType,targetId,ipAddress,userAgent,details');
    expect(text).toContain('moderation.hide');
    for (const c of [owner, viewer, admin]) await c.close();
  });
});
