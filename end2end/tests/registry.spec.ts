import { expect, test } from '@playwright/test';
import { openFromNav, signIn, waitForHydration } from './helpers';

test('an operator registers driver, credential, region and connection, then removes them', async ({ page }) => {
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    // The 409 of the refused delete below is expected; anything else is a fault.
    if (message.type() === 'error' && !message.text().includes('status of 409')) consoleErrors.push(message.text());
  });
  page.on('dialog', (dialog) => dialog.accept());
  await signIn(page);

  await openFromNav(page, 'Drivers', 'Cloud drivers');
  await page.getByText('Register driver…', { exact: true }).click();
  await page.getByLabel('Driver name').fill('e2e-driver');
  await page.getByLabel('Provider').selectOption('MOCK');
  await page.getByRole('button', { name: 'Save driver' }).click();
  await expect(page.getByRole('status')).toHaveText("Saved driver 'e2e-driver'.");
  await expect(page.getByRole('row', { name: /e2e-driver\s+MOCK\s+mock-driver-v1\.0\.so/ })).toBeVisible();

  await openFromNav(page, 'Credentials', 'Credentials');
  await page.getByText('Register credential…', { exact: true }).click();
  await page.getByLabel('Credential name').fill('e2e-cred');
  await page.getByLabel('Provider').selectOption('AWS');
  await expect(page.getByLabel('ClientSecret')).toHaveAttribute('type', 'password');
  await page.getByLabel('Provider').selectOption('MOCK');
  await expect(page.getByLabel('ClientSecret')).toHaveCount(0);
  await page.getByLabel('MockName').fill('e2e-mock-account');
  await page.getByRole('button', { name: 'Save credential' }).click();
  await expect(page.getByRole('status')).toHaveText("Saved credential 'e2e-cred'.");
  const credentialRow = page.getByRole('row', { name: /e2e-cred/ });
  await expect(credentialRow).toContainText('MockName = Hidden for security.');
  await expect(page.getByText('e2e-mock-account')).toHaveCount(0);

  await openFromNav(page, 'Regions', 'Regions');
  await page.getByText('Register region…', { exact: true }).click();
  await page.getByLabel('Region name').fill('e2e-region');
  await page.getByLabel('Region', { exact: true }).fill('default');
  await page.getByRole('button', { name: 'Save region' }).click();
  await expect(page.getByRole('row', { name: /e2e-region/ })).toContainText('Region = default');

  await openFromNav(page, 'Connections', 'Connection configs');
  await page.getByText('Register connection config…', { exact: true }).click();
  await page.getByLabel('Config name').fill('e2e-config');
  await expect(page.getByLabel('Driver')).toHaveValue('e2e-driver');
  await expect(page.getByLabel('Credential')).toHaveValue('e2e-cred');
  await expect(page.getByLabel('Region')).toHaveValue('e2e-region');
  await page.getByRole('button', { name: 'Save connection config' }).click();
  await expect(page.getByRole('row', { name: /e2e-config\s+MOCK\s+e2e-driver\s+e2e-cred\s+e2e-region/ })).toBeVisible();

  await openFromNav(page, 'Dashboard', 'Dashboard');
  await expect(page.getByRole('link', { name: '1 MOCK' })).toBeVisible();

  // The new connection is picked in the top bar and drives the catalogue pages.
  await page.reload();
  await waitForHydration(page);
  await expect(page.getByRole('combobox', { name: 'Connection', exact: true })).toHaveValue('e2e-config');
  await openFromNav(page, 'Images', 'VM images');
  await expect(page.getByText('5 images')).toBeVisible();
  await expect(page.getByText('Page 1 of 1')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Next', exact: true })).toBeDisabled();
  await page.getByLabel('Search images').fill('windows');
  await expect(page.getByText('1 images')).toBeVisible();
  await expect(page.getByRole('row', { name: /mock-vmimage-03\s+Windows\s+Windows Server 2019/ })).toBeVisible();
  await openFromNav(page, 'Specs', 'VM specs');
  await page.getByRole('button', { name: 'Memory (MiB)' }).click();
  await expect(page.getByRole('row').nth(1)).toContainText('mock-vmspec-04');
  await openFromNav(page, 'History', 'Call history');
  await expect(page.getByRole('row', { name: /MOCK\s+ListImage/ })).toBeVisible();
  const listImage = page.getByRole('row', { name: /e2e-config\s+VMImage\s+ListImage/ }).first();
  await expect(listImage).toBeVisible();
  // Tied to the request that caused it: a UUID request id.
  await expect(listImage).toContainText(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);

  await openFromNav(page, 'Credentials', 'Credentials');
  await page.getByRole('button', { name: 'Delete credential e2e-cred' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    "cannot delete credential 'e2e-cred': it is used by connection config(s) e2e-config",
  );
  await expect(page.getByRole('row', { name: /e2e-cred/ })).toBeVisible();

  const removals: [string, string, string][] = [
    ['Connections', 'Connection configs', 'Delete connection config e2e-config'],
    ['Credentials', 'Credentials', 'Delete credential e2e-cred'],
    ['Regions', 'Regions', 'Delete region e2e-region'],
    ['Drivers', 'Cloud drivers', 'Delete driver e2e-driver'],
  ];
  for (const [nav, heading, button] of removals) {
    await openFromNav(page, nav, heading);
    await page.getByRole('button', { name: button }).click();
    await expect(page.getByText('None registered yet.')).toBeVisible();
  }
  expect(consoleErrors).toEqual([]);
});

test.describe('before the WASM loads', () => {
  test.use({ javaScriptEnabled: false });

  test('forms still submit as plain HTML', async ({ page }) => {
    await page.goto('/admin/login');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('e2e-password-not-secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
    await page.goto('/admin/drivers');
    await page.getByText('Register driver…', { exact: true }).click();
  await page.getByLabel('Driver name').fill('no-js-driver');
    await page.getByRole('button', { name: 'Save driver' }).click();
    await expect(page.getByRole('row', { name: /no-js-driver\s+MOCK/ })).toBeVisible();
    await page.getByRole('button', { name: 'Delete driver no-js-driver' }).click();
    await expect(page.getByText('None registered yet.')).toBeVisible();
  });

  test('a wrong password is refused', async ({ page }) => {
    await page.goto('/admin/login');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toHaveText('Wrong username or password.');
  });
});

test('one click on the dashboard gives a working mock connection', async ({ page }) => {
  await signIn(page);
  await page.getByRole('button', { name: 'Try the mock cloud' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'VM images' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Connection', exact: true })).toHaveValue('mock-config');
  await expect(page.getByText('5 images')).toBeVisible();

  await openFromNav(page, 'Dashboard', 'Dashboard');
  await expect(page.getByRole('link', { name: '1 MOCK' })).toBeVisible();
  await page.getByRole('button', { name: 'Try the mock cloud' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'VM images' })).toBeVisible();

  for (const [nav, heading, button] of [
    ['Connections', 'Connection configs', 'Delete connection config mock-config'],
    ['Credentials', 'Credentials', 'Delete credential mock-credential'],
    ['Regions', 'Regions', 'Delete region mock-region'],
    ['Drivers', 'Cloud drivers', 'Delete driver mock-driver'],
  ]) {
    page.once('dialog', (dialog) => dialog.accept());
    await openFromNav(page, nav, heading);
    await page.getByRole('button', { name: button }).click();
    await expect(page.getByText('None registered yet.')).toBeVisible();
  }
});
