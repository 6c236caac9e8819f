// What the browser tests of the pages share: signing up through the form, the navigation's links,
// and the checks every page passes.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { accessibilityProblems } from './axe.ts';

export async function signUp(page: Page, name: string, email: string): Promise<void> {
  await page.goto('/signup');
  await page.getByTestId('signup-name').fill(name);
  await page.getByTestId('signup-email').fill(email);
  await page.getByTestId('signup-password').fill('a long enough password');
  await page.getByTestId('signup-submit').click();
  await page.waitForURL(/\/account/);
}

/** The main navigation's link labels. */
export const navLinks = (page: Page) => page.getByTestId('site-nav').locator('ul a').allTextContents();

/** Asserts the page has no serious accessibility problems and nothing wider than the window. */
export async function checkPage(page: Page, what: string): Promise<void> {
  expect(await accessibilityProblems(page), what).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${what}: wider than the window`).toBe(true);
}
