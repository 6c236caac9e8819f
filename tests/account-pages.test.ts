// The account pages in Chromium against the running product: sign up, confirm the address from
// the dev outbox, log out and in, edit the profile and photo, upgrade to Pro in the billing test
// mode, delete the account.
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { PNG } from './support/api.ts';
import { useProductAndBrowser } from './support/product.ts';

describe('account pages in the browser', () => {
  const running = useProductAndBrowser();

  it('keeps a sign-up sent before the page’s code has loaded, and sends it once it has', { timeout: 60_000 }, async () => {
    const { product, browser } = running;
    const context = await browser.newContext({ baseURL: product.url });
    const page = await context.newPage();
    // The page's code (not its styles) is held back, as on a slow connection.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/_app/immutable/**/*.js', async (route) => {
      await held;
      await route.continue();
    });
    // (Module scripts hold DOMContentLoaded back: the page is used as soon as its form is there.)
    await page.goto('/signup', { waitUntil: 'commit' });
    await page.getByTestId('signup-submit').waitFor();
    const email = `early-${Date.now()}@example.com`;
    await page.getByTestId('signup-name').fill('Early Bird');
    await page.getByTestId('signup-email').fill(email);
    await page.getByTestId('signup-password').fill('a long enough password');
    await page.getByTestId('signup-submit').click();
    // No plain browser submission (a reload that would lose what was typed).
    await page.waitForTimeout(1_000);
    expect(page.url()).toBe(`${product.url}/signup`);
    release();
    await page.waitForURL(/\/account/, { timeout: 30_000 });
    expect(await page.getByTestId('account-email').textContent()).toContain(email);
    await context.close();
  });

  it('signs up, confirms through the dev outbox, logs in again, edits the profile, upgrades to Pro in test mode and deletes the account', { timeout: 120_000 }, async () => {
    const { product, browser } = running;
    const context = await browser.newContext({ baseURL: product.url });
    const page = await context.newPage();
    const email = `e2e-${Date.now()}@example.com`;
    const password = 'a long enough password';

    await page.goto('/');
    await page.getByTestId('nav-signup').click();
    await page.getByTestId('signup-name').fill('Edith');
    await page.getByTestId('signup-email').fill(email);
    await page.getByTestId('signup-password').fill(password);
    await page.getByTestId('signup-submit').click();
    await page.waitForURL(/\/account/);
    expect(await page.getByTestId('account-email').textContent()).toContain(email);
    expect(await page.getByTestId('account-email').getAttribute('data-verified')).toBe('false');

    // The confirmation mail, read where the embedded default keeps it (signed in: only mine). It is
    // sent just after the sign-up's reply, so the page may need a reload to show it.
    const mail = page.locator(`[data-testid=outbox-mail][data-to="${email}"]`).first();
    await expect
      .poll(async () => {
        await page.goto('/dev/outbox');
        return mail.count();
      })
      .toBe(1);
    expect(await page.locator('[data-testid=outbox-mail]').count()).toBe(1);
    expect(await mail.locator('h2').textContent()).toBe('Confirm your email address');
    await mail.locator('a[href*="/verify-email?token="]').click();
    await page.getByTestId('verify-confirm').click();
    await page.locator('[data-testid=verify-result][data-state=verified]').waitFor();
    await page.goto('/account');
    expect(await page.getByTestId('account-email').getAttribute('data-verified')).toBe('true');

    // Out and back in.
    await page.getByTestId('logout').click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.goto('/account');
    await page.waitForURL(/\/login/);
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-submit').click();
    expect(await page.getByTestId('login-error').textContent()).toContain('do not match');
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/account$/);

    // The profile, and a photo stored in S3.
    await page.getByTestId('profile-headline').fill('Backend engineer');
    await page.getByTestId('profile-timezone').fill('Europe/Lisbon');
    await page.getByTestId('profile-save').click();
    await page.getByText('Profile saved.').waitFor();
    await page.getByTestId('profile-avatar-input').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: PNG });
    await page.getByTestId('profile-avatar').waitFor();
    expect(await page.getByTestId('profile-headline').inputValue()).toBe('Backend engineer');
    const avatar = await page.request.get((await page.getByTestId('profile-avatar').getAttribute('src'))!);
    // Stored as the API re-encoded it: a 512 × 512 WebP.
    expect(avatar.headers()['content-type']).toBe('image/webp');
    expect(await sharp(Buffer.from(await avatar.body())).metadata()).toMatchObject({ format: 'webp', width: 512, height: 512 });

    // Pro, through the labelled test mode and the same webhook path Stripe would use.
    await page.getByTestId('billing-link').click();
    await page.getByTestId('billing-test-mode').waitFor();
    expect(await page.getByTestId('current-plan').getAttribute('data-plan')).toBe('free');
    await page.getByTestId('upgrade-pro').click();
    expect(await page.getByTestId('test-checkout-banner').textContent()).toContain('TEST MODE');
    await page.getByTestId('complete-test-checkout').click();
    await page.locator('[data-testid=current-plan][data-plan=pro]').waitFor();
    expect(await page.getByTestId('usage').textContent()).toContain('of 600 minutes');

    // Gone for good.
    await page.goto('/account');
    await page.getByTestId('delete-password').fill(password);
    await page.getByTestId('delete-account').click();
    await page.waitForURL((url) => url.pathname === '/');
    expect((await page.request.get('/api/auth/me')).status()).toBe(401);
    const login = await page.request.post('/api/auth/login', { data: { email, password }, headers: { origin: product.url } });
    expect(login.status()).toBe(401);
    await context.close();
  });
});
