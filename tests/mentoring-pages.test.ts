// The mentoring pages in Chromium against the running product (development: applying approves at
// once; the billing test mode): a mentor applies and sets weekday hours through the form; a
// candidate in another time zone finds them in the directory, books a slot, pays on the labelled
// test checkout, sees the call confirmed and cancels it for a refund; the mentor sees the call and
// completes the test payout onboarding. Signed-out visitors and guests browse, and are asked to
// sign up to book.
import { mkdir } from 'node:fs/promises';
import type { BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { checkPage, navLinks, signUp } from './support/pages.ts';
import { useProductAndBrowser } from './support/product.ts';

const HOUR = 3600_000;
const SHOTS = '/tmp/shots';
const MENTOR_ZONE = 'America/New_York';
const SEEKER_ZONE = 'Asia/Tokyo';

describe('mentoring pages in the browser', () => {
  const running = useProductAndBrowser({}, { NODE_ENV: 'development' });

  it('takes a mentor from applying to paid-out, and a candidate from the directory to a cancelled, refunded call', { timeout: 240_000 }, async () => {
    const { product, browser } = running;
    await mkdir(SHOTS, { recursive: true });
    const contexts: BrowserContext[] = [];
    const open = async (timezoneId: string, viewport = { width: 1280, height: 900 }) => {
      const context = await browser.newContext({ baseURL: product.url, timezoneId, viewport, locale: 'en-US' });
      contexts.push(context);
      return context.newPage();
    };

    // ---- the mentor applies (approved at once in development) and sets weekday hours ----
    const mentor = await open(MENTOR_ZONE);
    await signUp(mentor, 'Maya Mentor', `mentor-${Date.now()}@example.com`);
    expect(await navLinks(mentor)).toEqual(expect.arrayContaining(['Mentors', 'Bookings', 'Mentor']));
    await mentor.getByTestId('site-nav').getByRole('link', { name: 'Mentor', exact: true }).click();
    await mentor.waitForURL(/\/mentor$/);
    const apply = mentor.getByTestId('apply-form');
    await checkPage(mentor, 'application form');
    await mentor.screenshot({ path: `${SHOTS}/apply.png`, fullPage: true });
    // The zone starts as the browser's (the profile has none of its own yet).
    await expect.poll(() => apply.getByTestId('mentor-timezone').inputValue()).toBe(MENTOR_ZONE);
    await apply.getByTestId('mentor-headline').fill('Staff engineer, 200+ interviews run');
    await apply.getByTestId('mentor-bio').fill('I run system design loops at a large company.\nBring a design you want to defend.');
    await apply.getByTestId('mentor-topics').fill('System design, Behavioural');
    await apply.getByTestId('mentor-hires-for').fill('backend engineer');
    await apply.getByTestId('mentor-languages').fill('en, DE');
    await apply.getByTestId('mentor-price-15').fill('25');
    await apply.getByTestId('mentor-price-30').fill('60');
    await apply.getByTestId('apply-form-submit').click();

    const hours = mentor.getByTestId('availability-form');
    await hours.waitFor();
    expect(await hours.getByTestId('availability-timezone').inputValue()).toBe(MENTOR_ZONE);
    await hours.getByTestId('availability-buffer').fill('10');
    await hours.getByTestId('availability-notice').fill('1');
    for (const weekday of [1, 2, 3, 4, 5]) {
      const day = hours.locator(`[data-testid=weekday][data-weekday="${weekday}"]`);
      await day.getByTestId('add-window').click();
      await day.getByTestId('window-start').fill('09:00');
      await day.getByTestId('window-end').fill('17:00');
    }
    // A day off far ahead (past the candidate's two weeks), to see exceptions saved.
    const dayOff = new Date(Date.now() + 40 * 24 * HOUR).toISOString().slice(0, 10);
    await hours.getByTestId('add-exception').click();
    await hours.getByTestId('exception-date').fill(dayOff);
    await hours.getByTestId('save-availability').click();
    await hours.getByTestId('availability-saved').waitFor();
    await mentor.reload();
    expect(await hours.getByTestId('window').count()).toBe(5);
    expect(await hours.getByTestId('window-end').first().inputValue()).toBe('17:00');
    expect(await hours.getByTestId('exception-date').inputValue()).toBe(dayOff);
    await checkPage(mentor, 'mentor dashboard');
    await mentor.screenshot({ path: `${SHOTS}/mentor-dashboard.png`, fullPage: true });

    // ---- a candidate in Tokyo finds the mentor by topic ----
    const seeker = await open(SEEKER_ZONE);
    await signUp(seeker, 'Sam Seeker', `seeker-${Date.now()}@example.com`);
    await seeker.getByTestId('site-nav').getByRole('link', { name: 'Mentors', exact: true }).click();
    await seeker.waitForURL(/\/mentors$/);
    await seeker.getByTestId('filter-topic').fill('product sense');
    await seeker.getByTestId('filter-apply').click();
    await seeker.waitForURL(/topic=product/);
    expect(await seeker.getByTestId('mentor-list-empty').textContent()).toContain('No mentor matches');
    await seeker.getByTestId('filter-topic').fill('system design');
    await seeker.getByTestId('filter-apply').click();
    await seeker.waitForURL(/topic=system/);
    const card = seeker.getByTestId('mentor-card');
    expect(await card.count()).toBe(1);
    expect(await card.textContent()).toContain('Maya Mentor');
    expect(await card.getByTestId('mentor-price').textContent()).toBe('from $25 / 15 min');
    expect(await card.getByTestId('mentor-rating').textContent()).toContain('No reviews yet');
    expect(await card.getByTestId('mentor-next-slot').locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await card.textContent()).toContain('English, German');
    await expect.poll(() => seeker.getByTestId('time-zone').getAttribute('data-zone')).toBe(SEEKER_ZONE);
    await checkPage(seeker, 'directory');
    await seeker.screenshot({ path: `${SHOTS}/directory.png`, fullPage: true });

    // ---- the profile: a 30-minute slot more than two days ahead, shown in Tokyo time ----
    await card.getByTestId('mentor-link').click();
    await seeker.waitForURL(/\/mentors\/[0-9a-f-]{36}$/);
    const mentorId = seeker.url().split('/').at(-1)!;
    expect(await seeker.getByTestId('mentor-bio').textContent()).toContain('Bring a design');
    await expect.poll(() => seeker.getByTestId('time-zone').getAttribute('data-zone')).toBe(SEEKER_ZONE);
    await Promise.all([seeker.waitForResponse((r) => r.url().includes(`/api/mentors/${mentorId}/slots?minutes=30`)), seeker.locator('[data-testid=call-length][data-minutes="30"]').click()]);
    const now = Date.now();
    let startsAt: string | null = null;
    const days = seeker.getByTestId('slot-day');
    for (let i = 0; i < (await days.count()) && !startsAt; i++) {
      await days.nth(i).click();
      const first = (await seeker.getByTestId('slot').first().getAttribute('data-starts-at'))!;
      // Over 48 hours ahead, so cancelling still refunds in full.
      if (Date.parse(first) > now + 48 * HOUR) startsAt = first;
    }
    expect(startsAt).not.toBeNull();
    // Under six days ahead: paid at once (further off, the card would be saved for later).
    expect(Date.parse(startsAt!)).toBeLessThan(now + 6 * 24 * HOUR);
    const slot = seeker.locator(`[data-testid=slot][data-starts-at="${startsAt}"]`);
    // 09:00 in New York, whatever its offset that day, is the time Tokyo's clock shows.
    expect(new Intl.DateTimeFormat('en-US', { timeZone: MENTOR_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(startsAt!))).toBe('09:00');
    expect((await slot.textContent())!.trim()).toBe(new Intl.DateTimeFormat('en-US', { timeZone: SEEKER_ZONE, hour: '2-digit', minute: '2-digit' }).format(new Date(startsAt!)));
    await slot.click();
    await seeker.getByTestId('agenda').fill('A mock system design round, please.');
    expect(await seeker.getByTestId('book').textContent()).toContain('Book 30 min for $60');
    await checkPage(seeker, 'mentor profile');
    await seeker.screenshot({ path: `${SHOTS}/profile-slots.png`, fullPage: true });
    await seeker.getByTestId('book').click();

    // ---- held, paid on the labelled test checkout, confirmed ----
    await seeker.waitForURL(/\/bookings\/[0-9a-f-]{36}$/);
    const bookingId = seeker.url().split('/').at(-1)!;
    expect(await seeker.getByTestId('booking-status').getAttribute('data-status')).toBe('held');
    expect(await seeker.getByTestId('booking-when').locator('time').first().getAttribute('datetime')).toBe(startsAt);
    expect(await seeker.getByTestId('booking-agenda').textContent()).toBe('A mock system design round, please.');
    await checkPage(seeker, 'held booking');
    await seeker.screenshot({ path: `${SHOTS}/booking-held.png`, fullPage: true });
    await seeker.getByTestId('pay').click();
    await seeker.waitForURL(new RegExp(`/bookings/${bookingId}/test-checkout$`));
    expect(await seeker.getByTestId('test-checkout-banner').textContent()).toContain('TEST MODE');
    expect(await seeker.getByTestId('booking-price').textContent()).toBe('$60');
    await checkPage(seeker, 'test checkout');
    await seeker.getByTestId('complete-test-payment').click();
    await seeker.waitForURL(/checkout=done/);
    await seeker.locator('[data-testid=booking-status][data-status=confirmed]').waitFor();
    await seeker.getByTestId('checkout-done').waitFor();
    const calendar = seeker.getByTestId('add-to-calendar');
    expect(await calendar.getAttribute('href')).toBe(`/api/bookings/${bookingId}/invite.ics`);
    const invite = await seeker.request.get((await calendar.getAttribute('href'))!);
    expect(invite.headers()['content-type']).toMatch(/^text\/calendar/);
    expect(await invite.text()).toContain(`booking-${bookingId}@`);
    expect(await seeker.getByTestId('room-opens').count()).toBe(1);
    expect(await seeker.getByTestId('join-call').count()).toBe(0);
    await checkPage(seeker, 'confirmed booking');
    await seeker.screenshot({ path: `${SHOTS}/booking-confirmed.png`, fullPage: true });

    // ---- the mentor sees the call ----
    await mentor.goto('/bookings');
    const mine = mentor.locator(`[data-testid=booking-item][data-booking-id="${bookingId}"]`);
    expect(await mine.getAttribute('data-as')).toBe('mentor');
    expect(await mine.getByTestId('booking-status').getAttribute('data-status')).toBe('confirmed');
    expect(await mine.textContent()).toContain('Sam Seeker booked you');
    await checkPage(mentor, 'bookings as mentor');
    await mentor.goto('/mentor');
    expect(await mentor.getByTestId('mentor-upcoming').locator(`[data-booking-id="${bookingId}"]`).count()).toBe(1);

    // ---- the candidate cancels more than 24 hours ahead: a full refund, said before and after ----
    expect(await seeker.getByTestId('refund-if-canceled').textContent()).toBe('You get $60 back, a full refund.');
    await seeker.getByTestId('cancel-booking').click();
    expect(await seeker.getByTestId('confirm-refund').textContent()).toContain('$60');
    await seeker.getByTestId('confirm-cancel').click();
    await seeker.locator('[data-testid=booking-status][data-status=canceled]').waitFor();
    expect(await seeker.getByTestId('refunded').textContent()).toContain('$60 refunded');
    expect(await seeker.getByTestId('canceled-by').getAttribute('data-by')).toBe('seeker');
    expect(await seeker.getByTestId('cancel-booking').count()).toBe(0);
    // Someone takes the chosen time first: the page says so and lists the slots as they are now.
    await seeker.goto(`/mentors/${mentorId}`);
    await Promise.all([seeker.waitForResponse((r) => r.url().includes('slots?minutes=30')), seeker.locator('[data-testid=call-length][data-minutes="30"]').click()]);
    const taken = (await seeker.getByTestId('slot').first().getAttribute('data-starts-at'))!;
    await seeker.getByTestId('slot').first().click();
    const first = await seeker.request.post('/api/bookings', { data: { mentorId, startsAt: taken, minutes: 30, priceCents: 6000 }, headers: { origin: product.url } });
    expect(first.status()).toBe(201);
    await seeker.getByTestId('book').click();
    expect(await seeker.getByTestId('booking-error').textContent()).toContain('Someone else has just booked this time');
    await expect.poll(() => seeker.locator(`[data-testid=slot][data-starts-at="${taken}"]`).count()).toBe(0);
    expect(await seeker.getByTestId('book').isDisabled()).toBe(true);
    expect(seeker.url()).toMatch(/\/mentors\/[0-9a-f-]{36}$/);

    await seeker.goto('/bookings');
    expect(await seeker.getByTestId('upcoming-bookings').locator('[data-testid=booking-item][data-status=held]').count()).toBe(1);
    expect(await seeker.getByTestId('past-bookings').locator(`[data-booking-id="${bookingId}"]`).getAttribute('data-status')).toBe('canceled');
    await checkPage(seeker, 'bookings as candidate');
    await seeker.screenshot({ path: `${SHOTS}/bookings.png`, fullPage: true });

    // ---- the mentor's payouts, through the labelled test onboarding ----
    await mentor.getByTestId('payouts-link').click();
    await mentor.waitForURL(/\/mentor\/payouts$/);
    await mentor.getByTestId('payouts-test-mode').waitFor();
    expect(await mentor.getByTestId('payouts-state').getAttribute('data-state')).toBe('none');
    await checkPage(mentor, 'payouts');
    await mentor.getByTestId('onboard-payouts').click();
    await mentor.waitForURL(/\/mentor\/payouts\/test-onboarding$/);
    expect(await mentor.getByTestId('test-onboarding-banner').textContent()).toContain('TEST MODE');
    await checkPage(mentor, 'test onboarding');
    await mentor.getByTestId('complete-test-onboarding').click();
    await mentor.waitForURL(/\/mentor\/payouts\?onboarding=done$/);
    await mentor.locator('[data-testid=payouts-state][data-state=enabled]').waitFor();
    await mentor.getByTestId('onboarding-done').waitFor();
    await mentor.screenshot({ path: `${SHOTS}/payouts.png`, fullPage: true });

    // ---- signed out, on a phone-sized window: the directory, the slots, "Sign up to book" ----
    const visitor = await open('Europe/Berlin', { width: 390, height: 844 });
    await visitor.goto('/mentors');
    expect(await navLinks(visitor)).toContain('Mentors');
    expect(await navLinks(visitor)).not.toContain('Bookings');
    await visitor.getByTestId('mentor-card').first().waitFor();
    await checkPage(visitor, 'directory, narrow and signed out');
    await visitor.goto(`/mentors/${mentorId}`);
    expect(await visitor.getByTestId('sign-up-to-book').getAttribute('href')).toBe('/signup');
    expect(await visitor.getByTestId('book').count()).toBe(0);
    expect(await visitor.getByTestId('slot').count()).toBeGreaterThan(0);
    await checkPage(visitor, 'profile, narrow and signed out');
    await visitor.screenshot({ path: `${SHOTS}/profile-narrow.png`, fullPage: true });
    // A guest (practising without an account) is asked to sign up too, and has no bookings page.
    expect((await visitor.request.post('/api/auth/guest', { headers: { origin: product.url } })).status()).toBe(201);
    await visitor.reload();
    await visitor.getByTestId('sign-up-to-book').waitFor();
    await visitor.goto('/bookings');
    await visitor.waitForURL(/\/signup$/);

    for (const context of contexts) await context.close();
  });
});
