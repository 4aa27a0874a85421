import { expect, type Page } from '@playwright/test';
import { admin } from '../playwright.config';

/** Signs in through the login form and waits until the WASM has hydrated the page. */
export async function signIn(page: Page) {
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/admin\/login$/);
  await page.getByLabel('Username').fill(admin.username);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await waitForHydration(page);
}

export async function waitForHydration(page: Page) {
  await expect(page.locator('body[data-hydrated="true"]')).toBeAttached();
}

/** Opens a page through the navigation bar (client-side routing once hydrated). */
export async function openFromNav(page: Page, name: string, heading: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
}
