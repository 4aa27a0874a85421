import { execFileSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import { admin } from '../playwright.config';
import { openFromNav, signIn, waitForHydration } from './helpers';
import { Rest } from './rest';

/** Fails the test on any console error or uncaught exception in the page (a WASM panic is one). */
function failOnPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  return errors;
}

/** Accepts every confirmation the page asks, and records its question. */
function acceptDialogs(page: Page): string[] {
  const questions: string[] = [];
  page.on('dialog', (dialog) => {
    questions.push(dialog.message());
    dialog.accept();
  });
  return questions;
}

const picker = (page: Page) => page.getByRole('combobox', { name: 'Connection', exact: true });

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ request }) => {
  const rest = new Rest(request);
  await rest.mockConnection('trust-fast');
  // Lists and counts of this cloud take seconds: long enough to click a stale row.
  await rest.mockConnection('trust-slow', { DelayAPI: 'ListVPC=2500,ListVMStatus=3000' });
  await rest.createVpc('trust-fast', 'vpc-01');
  await rest.createVpc('trust-slow', 'vpc-01');
  // trust-fast gets one of everything, so every page has rows to hydrate.
  await rest.createSecurityGroup('trust-fast', 'sg-01', 'vpc-01');
  await rest.ok('POST', '/keypair', { ConnectionName: 'trust-fast', ReqInfo: { Name: 'key-01' } });
  await rest.ok('POST', '/vm', {
    ConnectionName: 'trust-fast',
    ReqInfo: {
      Name: 'vm-01', ImageName: 'mock-vmimage-01', VMSpecName: 'mock-vmspec-01', VPCName: 'vpc-01',
      SubnetName: 'subnet-01', SecurityGroupNames: ['sg-01'], KeyPairName: 'key-01',
    },
  });
});

test('a row acts on the connection it was rendered for; a switch drops the stale rows first', async ({ page, request }) => {
  const errors = failOnPageErrors(page);
  const dialogs = acceptDialogs(page);
  await signIn(page);
  await page.goto('/admin/vpcs?connection=trust-fast');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: 'VPCs and subnets in trust-fast' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Delete VPC vpc-01' })).toBeEnabled();

  await picker(page).selectOption('trust-slow');
  // While trust-slow's list loads, trust-fast's rows and their buttons are gone.
  await expect(page).toHaveURL(/connection=trust-slow/);
  await expect(page.getByRole('heading', { name: 'VPCs and subnets in trust-fast' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Delete VPC vpc-01' })).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Loading' }).first()).toBeVisible();

  await expect(page.getByRole('heading', { name: 'VPCs and subnets in trust-slow' })).toBeVisible();
  await page.getByRole('button', { name: 'Delete VPC vpc-01' }).click();
  await expect(page.getByText('Deleted the VPC.')).toBeVisible();
  expect(dialogs).toEqual(["Delete VPC 'vpc-01' in connection trust-slow (MOCK, default)?"]);

  const rest = new Rest(request);
  expect(await rest.vpcNames('trust-fast')).toContain('vpc-01');
  expect(await rest.vpcNames('trust-slow')).not.toContain('vpc-01');
  await rest.createVpc('trust-slow', 'vpc-01');
  expect(errors).toEqual([]);
});

test('the dashboard paints at once; each connection fills in, and its counts open its own pages', async ({ page }) => {
  const errors = failOnPageErrors(page);
  await signIn(page);
  const started = Date.now();
  await page.goto('/admin', { waitUntil: 'commit' });
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  const slow = page.locator('.connection-counts', { has: page.getByRole('heading', { name: /^trust-slow/ }) });
  const fast = page.locator('.connection-counts', { has: page.getByRole('heading', { name: /^trust-fast/ }) });
  await expect(slow.getByRole('status')).toHaveText(/Asking the cloud/);
  await expect(fast.getByRole('link', { name: '1 VPCs' })).toBeVisible();
  // trust-slow's cloud needs 3 s to list its VMs; the rest of the page does not wait for it.
  expect(Date.now() - started).toBeLessThan(2500);
  await expect(slow.getByRole('link', { name: '1 VPCs' })).toBeVisible({ timeout: 15_000 });
  await waitForHydration(page);

  await expect(slow.getByRole('link', { name: '1 VPCs' })).toHaveAttribute('href', '/admin/vpcs?connection=trust-slow');
  await fast.getByRole('link', { name: '1 Running VMs' }).click();
  await expect(page).toHaveURL(/\/admin\/vms\?connection=trust-fast$/);
  await expect(page.getByRole('heading', { name: 'VMs in trust-fast' })).toBeVisible();
  await expect(picker(page)).toHaveValue('trust-fast');
  expect(errors).toEqual([]);
});

const PAGES = [
  ['/admin', 'Dashboard'],
  ['/admin/drivers', 'Cloud drivers'],
  ['/admin/credentials', 'Credentials'],
  ['/admin/regions', 'Regions'],
  ['/admin/connections', 'Connection configs'],
  ['/admin/images', 'VM images'],
  ['/admin/specs', 'VM specs'],
  ['/admin/vpcs', 'VPCs'],
  ['/admin/security-groups', 'Security groups'],
  ['/admin/key-pairs', 'Key pairs'],
  ['/admin/vms', 'VMs'],
  ['/admin/topology', 'Topology'],
  ['/admin/history', 'Call history'],
];

test('every page comes alive on every cold load', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = failOnPageErrors(page);
  await signIn(page);
  for (let round = 0; round < 5; round++) {
    for (const [path, heading] of PAGES) {
      await page.goto(`${path}?connection=trust-fast`);
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      await waitForHydration(page);
      expect(errors, `${path}, round ${round + 1}`).toEqual([]);
    }
  }
  // Alive, not just painted: the VM form's dropdowns are filled and the lists answer a click.
  await page.goto('/admin/vms?connection=trust-fast');
  await waitForHydration(page);
  await page.getByText('Create VM…', { exact: true }).click();
  const form = page.getByRole('form', { name: 'Create VM' });
  await expect(form.getByRole('combobox', { name: 'VPC', exact: true })).toHaveValue('vpc-01');
  await expect(form.getByRole('checkbox', { name: 'sg-01' })).toBeChecked();
  await expect(form.getByRole('button', { name: 'Create VM' })).toBeEnabled();
  expect(errors).toEqual([]);
});

test('switching the connection on the VMs page shows and submits the new connection only', async ({ page, request }) => {
  const errors = failOnPageErrors(page);
  const rest = new Rest(request);
  await rest.mockConnection('trust-other');
  await rest.createVpc('trust-other', 'vpc-other', 'subnet-other');
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page);
  await page.goto('/admin/vms?connection=trust-fast');
  await waitForHydration(page);
  await page.getByText('Create VM…', { exact: true }).click();
  const form = page.getByRole('form', { name: 'Create VM' });
  await expect(form.getByRole('combobox', { name: 'VPC', exact: true })).toHaveValue('vpc-01');
  await form.getByLabel('Name', { exact: true }).fill('typed-for-trust-fast');

  for (const [connection, vpc, subnet] of [
    ['trust-other', 'vpc-other', 'subnet-other'],
    ['trust-fast', 'vpc-01', 'subnet-01'],
    ['trust-other', 'vpc-other', 'subnet-other'],
  ]) {
    await picker(page).selectOption(connection);
    await expect(page.getByRole('heading', { name: `VMs in ${connection}` })).toBeVisible();
    await page.getByText('Create VM…', { exact: true }).click();
    await expect(form.getByRole('combobox', { name: 'VPC', exact: true })).toHaveValue(vpc);
    await expect(form.getByRole('combobox', { name: 'VPC', exact: true }).locator('option')).toHaveText([vpc]);
    await expect(form.getByRole('combobox', { name: 'Subnet', exact: true })).toHaveValue(subnet);
    await expect(form.getByLabel('Name', { exact: true })).toHaveValue('');
  }
  await expect(form.getByText('No key pair yet: create one on the Key pairs page.')).toBeVisible();
  expect(errors).toEqual([]);
});

test('a double click sends one request, and the running action shows it is busy', async ({ page, request }) => {
  const errors = failOnPageErrors(page);
  const rest = new Rest(request);
  await rest.mockConnection('trust-busy', { DelayAPI: 'CreateVPC=1500' });
  await signIn(page);
  await page.goto('/admin/vpcs?connection=trust-busy');
  await waitForHydration(page);
  const creates: string[] = [];
  page.on('request', (sent) => {
    if (sent.url().includes('/vpcs/create')) creates.push(sent.url());
  });
  await page.getByText('Create VPC…', { exact: true }).click();
  const form = page.getByRole('form', { name: 'Create VPC' });
  await form.getByLabel('Name', { exact: true }).fill('vpc-busy');
  await form.getByLabel('IPv4 CIDR').fill('10.1.0.0/16');
  await form.getByLabel('Subnet 1 name').fill('subnet-busy');
  await form.getByLabel('Subnet 1 CIDR').fill('10.1.1.0/24');
  await form.getByRole('button', { name: 'Create VPC' }).dblclick();
  await expect(form.getByRole('button', { name: 'Create VPC' })).toBeDisabled();
  await expect(form.getByRole('status')).toHaveText(/Creating the VPC… \d+ s/);
  await expect(page.getByText('Created the VPC.')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(creates).toHaveLength(1);
  expect(await rest.vpcNames('trust-busy')).toEqual(['vpc-busy']);
  expect(errors).toEqual([]);
});

test('without JavaScript the JSON forms are disabled, and the plain forms still work', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/admin/login');
  await page.getByLabel('Username').fill(admin.username);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  for (const [path, panel, button] of [
    ['/admin/vpcs', 'Create VPC…', 'Create VPC'],
    ['/admin/security-groups', 'Create security group…', 'Create security group'],
    ['/admin/key-pairs', 'Create key pair…', 'Create key pair'],
    ['/admin/vms', 'Create VM…', 'Create VM'],
  ]) {
    await page.goto(`${path}?connection=trust-fast`);
    await page.getByText(panel).click();
    await expect(page.getByRole('button', { name: button, exact: true })).toBeDisabled();
  }
  // The registry forms and the connection picker are plain HTML forms.
  await page.goto('/admin/vpcs?connection=trust-fast');
  await picker(page).selectOption('trust-slow');
  await page.getByRole('button', { name: 'Switch' }).click();
  await expect(page.getByRole('heading', { name: 'VPCs and subnets in trust-slow' })).toBeVisible();
  await page.goto('/admin/drivers');
  await page.getByText('Register driver…', { exact: true }).click();
  await expect(page.getByRole('button', { name: 'Save driver' })).toBeEnabled();
  await context.close();
});

test('a saved credential leaves an empty form, and only secret keys are masked', async ({ page, request }) => {
  const errors = failOnPageErrors(page);
  await signIn(page);
  await page.goto('/admin/credentials');
  await waitForHydration(page);
  await page.getByText('Register credential…', { exact: true }).click();
  await page.getByLabel('Provider').selectOption('AWS');
  await expect(page.getByLabel('ClientId')).toHaveAttribute('type', 'text');
  await expect(page.getByLabel('ClientSecret')).toHaveAttribute('type', 'password');
  await page.getByLabel('Provider').selectOption('MOCK');
  await page.getByLabel('Credential name').fill('trust-credential');
  await page.getByLabel('MockName').fill('trust-account');
  await page.getByLabel('DelayAPI (optional)').fill('*=10');
  await page.getByRole('button', { name: 'Save credential' }).click();
  await expect(page.getByRole('status')).toHaveText("Saved credential 'trust-credential'.");
  await expect(page.getByLabel('Credential name')).toHaveValue('');
  await expect(page.getByLabel('MockName')).toHaveValue('');
  await expect(page.getByLabel('DelayAPI (optional)')).toHaveValue('');
  await new Rest(request).ok('DELETE', '/credential/trust-credential');
  expect(errors).toEqual([]);
});

test('at 390 px no page scrolls sideways, and the menu folds away', async ({ page }) => {
  const errors = failOnPageErrors(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page);
  for (const [path, heading] of PAGES) {
    await page.goto(`${path}?connection=trust-fast`);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
  await waitForHydration(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'VPCs' })).toBeHidden();
  await page.getByText('Menu').click();
  await nav.getByRole('link', { name: 'VPCs' }).click();
  await expect(page).toHaveURL(/\/admin\/vpcs\?connection=trust-fast$/);
  await expect(page.getByText('Create VPC…', { exact: true })).toBeInViewport();
  expect(errors).toEqual([]);
});

test('assets are content-named, compressed and cached; pages are not', async ({ page, request }) => {
  await signIn(page);
  const html = await page.request.get('/admin/vpcs?connection=trust-fast');
  const headers = html.headers();
  expect(headers['cache-control']).toBe('no-cache');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['referrer-policy']).toBe('same-origin');
  expect(headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+' 'wasm-unsafe-eval'/);
  const wasmPath = (await html.text()).match(/href="(\/pkg\/[A-Za-z0-9_-]{16}\/spinneret_bg\.wasm)"/)?.[1];
  expect(wasmPath).toBeTruthy();
  for (const [encoding, header] of [['br', 'br'], ['gzip', 'gzip']]) {
    const wasm = await request.get(wasmPath!, { headers: { 'Accept-Encoding': encoding } });
    expect(wasm.status()).toBe(200);
    expect(wasm.headers()['content-encoding']).toBe(header);
    expect(wasm.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  }
});

test('a VM started over REST shows up on an open VMs page without a reload', async ({ page, request }) => {
  const errors = failOnPageErrors(page);
  await signIn(page);
  await page.goto('/admin/vms?connection=trust-fast');
  await waitForHydration(page);
  await expect(page.getByRole('row', { name: /^vm-01/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /^vm-live/ })).toHaveCount(0);
  const rest = new Rest(request);
  await rest.ok('POST', '/vm', {
    ConnectionName: 'trust-fast',
    ReqInfo: {
      Name: 'vm-live', ImageName: 'mock-vmimage-01', VMSpecName: 'mock-vmspec-01', VPCName: 'vpc-01',
      SubnetName: 'subnet-01', SecurityGroupNames: ['sg-01'], KeyPairName: 'key-01',
    },
  });
  await expect(page.getByRole('row', { name: /^vm-live\s+Running/ })).toBeVisible({ timeout: 12_000 });
  await rest.ok('DELETE', '/vm/vm-live', { ConnectionName: 'trust-fast' });
  await expect(page.getByRole('row', { name: /^vm-live/ })).toHaveCount(0, { timeout: 15_000 });
  expect(errors).toEqual([]);
});

test('a delete refused because of its users offers "Delete anyway", which asks a second time', async ({ page, request }) => {
  const errors = failOnPageErrors(page);
  const rest = new Rest(request);
  await rest.mockConnection('trust-force');
  await rest.createVpc('trust-force', 'vpc-used');
  await rest.createSecurityGroup('trust-force', 'sg-user', 'vpc-used');
  const dialogs = acceptDialogs(page);
  await signIn(page);
  await page.goto('/admin/vpcs?connection=trust-force');
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Delete VPC vpc-used' }).click();
  await expect(page.getByRole('alert')).toContainText("VPC 'vpc-used' is used by security group 'sg-user'.");
  expect(await rest.vpcNames('trust-force')).toEqual(['vpc-used']);

  await page.getByRole('button', { name: "Delete VPC 'vpc-used' anyway" }).click();
  await expect(page.getByText('Deleted the VPC.')).toBeVisible();
  expect(dialogs).toEqual([
    "Delete VPC 'vpc-used' in connection trust-force (MOCK, default)?",
    "Delete VPC 'vpc-used' in connection trust-force (MOCK, default) anyway? security group 'sg-user' will lose it.",
  ]);
  expect(await rest.vpcNames('trust-force')).toEqual([]);
  expect(errors).toEqual([]);
});

test("a VM's details give its cloud id and the exact ssh line, each with a copy button", async ({ page, context }) => {
  const errors = failOnPageErrors(page);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page);
  await page.goto('/admin/vms?connection=trust-fast');
  await waitForHydration(page);
  await page.getByLabel('Details of vm-01').click();
  const details = page.locator('details.vm-details[open]');
  await expect(details.locator('dd code').first()).toHaveText(/^vm-01-\S+$/);
  const ssh = details.locator('dd code').nth(1);
  await expect(ssh).toHaveText(/^ssh -i key-01\.pem cb-user@203\.0\.113\.\d+$/);
  await details.getByRole('button', { name: 'Copy ssh command' }).click();
  await expect(details.getByRole('button', { name: 'Copy ssh command' })).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await ssh.textContent());
  // The list refreshes every few seconds; the open details stay open.
  await page.waitForTimeout(6000);
  await expect(page.locator('details.vm-details[open]')).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('a create form shows its curl, which works as a script with the password from the environment', async ({ page, request }) => {
  const errors = failOnPageErrors(page);
  await signIn(page);
  await page.goto('/admin/vpcs?connection=trust-fast');
  await waitForHydration(page);
  await page.getByText('Create VPC…', { exact: true }).click();
  const form = page.getByRole('form', { name: 'Create VPC' });
  await form.getByLabel('Name', { exact: true }).fill('vpc-curl');
  await form.getByLabel('IPv4 CIDR').fill('10.9.0.0/16');
  await form.getByLabel('Subnet 1 name').fill('subnet-curl');
  await form.getByLabel('Subnet 1 CIDR').fill('10.9.1.0/24');
  const panel = page.locator('details.create-panel', { hasText: 'Create VPC…' });
  await panel.getByText('Show curl', { exact: true }).click();
  const curl = (await panel.locator('details.curl code').textContent()) ?? '';
  expect(curl).toContain(`-u "$SPIDER_USERNAME:$SPIDER_PASSWORD" -X POST 'http://127.0.0.1:`);
  expect(curl).toContain('"ConnectionName":"trust-fast"');
  expect(curl).toContain('"Name":"vpc-curl"');
  expect(curl).not.toContain(admin.password);

  const answer = execFileSync('bash', ['-c', curl], {
    env: { ...process.env, SPIDER_USERNAME: admin.username, SPIDER_PASSWORD: admin.password },
  }).toString();
  expect(JSON.parse(answer).IId.NameId).toBe('vpc-curl');
  expect(await new Rest(request).vpcNames('trust-fast')).toContain('vpc-curl');
  expect(errors).toEqual([]);
});

test('a VPC created over REST shows up on an open VPCs page without a reload', async ({ page, request }) => {
  const errors = failOnPageErrors(page);
  await signIn(page);
  await page.goto('/admin/vpcs?connection=trust-other');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: 'VPCs and subnets in trust-other' })).toBeVisible();
  await new Rest(request).createVpc('trust-other', 'vpc-live', 'subnet-live');
  await expect(page.getByRole('row', { name: /^vpc-live/ })).toBeVisible({ timeout: 12_000 });
  expect(errors).toEqual([]);
});

/** Runs a curl line the page shows, with the credentials in the environment as the page says. */
function runCurl(curl: string): string {
  return execFileSync('bash', ['-c', curl], {
    env: { ...process.env, SPIDER_USERNAME: admin.username, SPIDER_PASSWORD: admin.password },
  }).toString();
}

test("every row's delete shows its curl, which does the same as the button", async ({ page, request }) => {
  const errors = failOnPageErrors(page);
  const rest = new Rest(request);
  await rest.createVpc('trust-other', 'vpc-scripted', 'subnet-scripted');
  await signIn(page);
  await page.goto('/admin/vpcs?connection=trust-other');
  await waitForHydration(page);
  const row = page.getByRole('row', { name: /^vpc-scripted/ });
  await row.getByText('curl', { exact: true }).click();
  const curl = (await row.locator('details.curl code').textContent()) ?? '';
  expect(curl).toMatch(/-X DELETE 'http:\/\/127\.0\.0\.1:\d+\/spider\/vpc\/vpc-scripted'/);
  expect(curl).toContain(`-d '{"ConnectionName":"trust-other"}'`);
  expect(JSON.parse(runCurl(curl)).Result).toBe('true');
  expect(await rest.vpcNames('trust-other')).not.toContain('vpc-scripted');

  // A VM's details list the curl of each lifecycle action.
  await page.goto('/admin/vms?connection=trust-fast');
  await waitForHydration(page);
  await page.getByLabel('Details of vm-01').click();
  await page.getByText('curl for each action').click();
  const actions = (await page.locator('details.vm-details[open] details.curl code').textContent()) ?? '';
  for (const action of ['suspend', 'resume', 'reboot']) {
    expect(actions).toContain(`/spider/controlvm/vm-01?ConnectionName=trust-fast&action=${action}'`);
  }
  expect(actions).toContain(`-X DELETE '`);
  expect(errors).toEqual([]);
});

test("a VM's details link to the cloud calls made for it", async ({ page }) => {
  const errors = failOnPageErrors(page);
  await signIn(page);
  await page.goto('/admin/vms?connection=trust-fast');
  await waitForHydration(page);
  await page.getByLabel('Details of vm-01').click();
  await page.getByRole('link', { name: 'Every cloud call made for vm-01' }).click();
  await expect(page).toHaveURL(/\/admin\/history\?connection=trust-fast&resource=vm-01$/);
  await expect(page.getByLabel('Resource', { exact: true })).toHaveValue('vm-01');
  const start = page.getByRole('row', { name: /trust-fast\s+VM\s+vm-01\s+StartVM/ });
  await expect(start.first()).toBeVisible();
  // Only vm-01's calls: nothing made for the network it sits in.
  await expect(page.getByRole('row', { name: /CreateVPC|CreateSecurityGroup/ })).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('the VM form searches images and specs by what they are', async ({ page }) => {
  const errors = failOnPageErrors(page);
  await signIn(page);
  await page.goto('/admin/vms?connection=trust-fast');
  await waitForHydration(page);
  await page.getByText('Create VM…', { exact: true }).click();
  const form = page.getByRole('form', { name: 'Create VM' });
  const image = form.getByRole('combobox', { name: 'Image', exact: true });
  await expect(image).toHaveValue('mock-vmimage-01');
  await expect(form.getByText('Ubuntu 18.04 · Linux/UNIX · x86_64')).toBeVisible();
  const listId = (await image.getAttribute('list'))!;
  const labels = await page.locator(`datalist[id="${listId}"] option`).evaluateAll((options) =>
    options.map((option) => `${(option as HTMLOptionElement).value} ${(option as HTMLOptionElement).label}`),
  );
  expect(labels).toContain('mock-vmimage-03 Windows Server 2019 · Windows · x86_64');
  await image.fill('mock-vmimage-04');
  await expect(form.getByText('Ubuntu 22.04 · Linux/UNIX · arm64')).toBeVisible();
  await image.fill('ami-0abc');
  await expect(form.getByText('Not in the list: the cloud is asked for it by this name.')).toBeVisible();
  await expect(form.getByText('4 vCPU · 32 GiB · GPU 2 × NVIDIA V100')).toBeVisible();
  expect(errors).toEqual([]);
});

test('an error names the field as the form does, and marks it', async ({ page }) => {
  const errors = failOnPageErrors(page);
  await signIn(page);
  await page.goto('/admin/vpcs?connection=trust-other');
  await waitForHydration(page);
  await page.getByText('Create VPC…', { exact: true }).click();
  const form = page.getByRole('form', { name: 'Create VPC' });
  await form.getByLabel('Name', { exact: true }).fill('vpc-bad');
  await form.getByLabel('IPv4 CIDR').fill('10.3.0.0/16');
  await form.getByLabel('Subnet 1 name').fill('subnet-bad');
  await form.getByLabel('Subnet 1 CIDR').fill('10.4.1.0/24');
  await form.getByRole('button', { name: 'Create VPC' }).click();
  const message = "Subnet 1 CIDR: subnet 'subnet-bad' (10.4.1.0/24) lies outside its VPC's 10.3.0.0/16";
  await expect(page.getByRole('alert')).toHaveText(message);
  await expect(form.getByLabel('Subnet 1 CIDR')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.locator('.field-error')).toHaveText([message]);
  await expect(form.getByLabel('IPv4 CIDR')).not.toHaveAttribute('aria-invalid', 'true');

  await form.getByLabel('IPv4 CIDR').fill('10.3.0.0');
  await form.getByRole('button', { name: 'Create VPC' }).click();
  await expect(page.getByRole('alert')).toHaveText("IPv4 CIDR '10.3.0.0' is not an IPv4 CIDR such as 10.0.0.0/16");
  await expect(form.getByLabel('IPv4 CIDR')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Subnet 1 CIDR')).not.toHaveAttribute('aria-invalid', 'true');
  // The browser logs each 400 answer; nothing else may show up.
  expect(errors.filter((error) => !error.includes('status of 400'))).toEqual([]);
});

test('a subnet in use is removed only with "Delete anyway"', async ({ page, request }) => {
  const errors = failOnPageErrors(page);
  const rest = new Rest(request);
  await rest.createVpc('trust-force', 'vpc-busy-subnet', 'subnet-used');
  await rest.createSecurityGroup('trust-force', 'sg-subnet', 'vpc-busy-subnet');
  await rest.ok('POST', '/keypair', { ConnectionName: 'trust-force', ReqInfo: { Name: 'key-subnet' } });
  await rest.ok('POST', '/vm', {
    ConnectionName: 'trust-force',
    ReqInfo: {
      Name: 'vm-in-subnet', ImageName: 'mock-vmimage-01', VMSpecName: 'mock-vmspec-01', VPCName: 'vpc-busy-subnet',
      SubnetName: 'subnet-used', SecurityGroupNames: ['sg-subnet'], KeyPairName: 'key-subnet',
    },
  });
  const dialogs = acceptDialogs(page);
  await signIn(page);
  await page.goto('/admin/vpcs?connection=trust-force');
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Remove subnet subnet-used from vpc-busy-subnet' }).click();
  await expect(page.getByRole('alert')).toContainText("subnet 'subnet-used' of VPC 'vpc-busy-subnet' is used by VM 'vm-in-subnet'.");
  await page.getByRole('button', { name: "Delete subnet 'subnet-used' of VPC 'vpc-busy-subnet' anyway" }).click();
  await expect(page.getByText('Removed the subnet.')).toBeVisible();
  // Spinneret forgets the subnet; the cloud keeps it while the VM sits in it.
  const answer = await rest.call('GET', '/vpc/vpc-busy-subnet/subnet/subnet-used?ConnectionName=trust-force');
  expect(answer.status).toBe(404);
  expect(dialogs[1]).toBe(
    "Delete subnet 'subnet-used' of VPC 'vpc-busy-subnet' in connection trust-force (MOCK, default) anyway? VM 'vm-in-subnet' will lose it.",
  );
  expect(errors).toEqual([]);
});

test("the topology draws the connection's network, and links each VM to its subnet and groups", async ({ page }) => {
  const errors = failOnPageErrors(page);
  await signIn(page);
  await page.goto('/admin/topology?connection=trust-fast');
  await waitForHydration(page);
  const picture = page.getByRole('img', { name: 'Topology of trust-fast' });
  await expect(picture).toBeVisible();
  for (const [kind, name] of [['vpc', 'vpc-01'], ['subnet', 'subnet-01'], ['vm', 'vm-01'], ['security-group', 'sg-01']]) {
    await expect(picture.locator(`g.${kind}`, { hasText: name })).toHaveCount(1);
  }
  await expect(picture.locator('g.vm', { hasText: 'vm-01' })).toContainText('Running');
  // vpc-01 → subnet-01 → vm-01 → sg-01, at the least.
  expect(await picture.locator('path.link').count()).toBeGreaterThanOrEqual(3);
  await page.getByRole('button', { name: 'Refresh topology' }).click();
  await expect(picture).toBeVisible();
  expect(errors).toEqual([]);
});

test('nothing opened or typed on one page carries over to the next', async ({ page }) => {
  const errors = failOnPageErrors(page);
  await signIn(page);
  await openFromNav(page, 'Drivers', 'Cloud drivers');
  await page.getByText('Register driver…', { exact: true }).click();
  await page.getByLabel('Driver name').fill('typed-on-drivers');
  await openFromNav(page, 'Credentials', 'Credentials');
  await expect(page.locator('details.create-panel')).not.toHaveAttribute('open');
  await page.getByText('Register credential…', { exact: true }).click();
  await expect(page.getByLabel('Credential name')).toHaveValue('');
  await expect(page.getByLabel('Credential name')).toBeVisible();
  expect(errors).toEqual([]);
});

test('a VM whose start failed is listed as Failed with its reason, and deleting it frees its network', async ({ page, request }) => {
  const errors = failOnPageErrors(page);
  const rest = new Rest(request);
  await rest.mockConnection('trust-failing', { FailAPI: 'StartVM' });
  await rest.createVpc('trust-failing', 'vpc-01');
  await rest.createSecurityGroup('trust-failing', 'sg-01', 'vpc-01');
  await rest.ok('POST', '/keypair', { ConnectionName: 'trust-failing', ReqInfo: { Name: 'key-01' } });
  const start = await rest.call('POST', '/vm', {
    ConnectionName: 'trust-failing',
    ReqInfo: {
      Name: 'vm-bad', ImageName: 'mock-vmimage-01', VMSpecName: 'mock-vmspec-01', VPCName: 'vpc-01',
      SubnetName: 'subnet-01', SecurityGroupNames: ['sg-01'], KeyPairName: 'key-01',
    },
  });
  expect(start.status).toBeGreaterThanOrEqual(400);
  acceptDialogs(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page);
  // A cold load of the populated page.
  await page.goto('/admin/vms?connection=trust-failing');
  await waitForHydration(page);
  const row = page.getByRole('row', { name: /^vm-bad/ });
  await expect(row).toContainText('Failed');
  await expect(row).toContainText('injected fault');
  await page.getByRole('button', { name: 'Terminate VM vm-bad' }).click();
  await expect(page.getByRole('row', { name: /^vm-bad/ })).toHaveCount(0);

  // Nothing holds the network any more: its deletes need no "anyway".
  await page.goto('/admin/security-groups?connection=trust-failing');
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Delete security group sg-01' }).click();
  await expect(page.getByRole('row', { name: /^sg-01/ })).toHaveCount(0);
  await page.goto('/admin/vpcs?connection=trust-failing');
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Delete VPC vpc-01' }).click();
  await expect(page.getByText('Deleted the VPC.')).toBeVisible();
  expect(await rest.vpcNames('trust-failing')).toEqual([]);
  expect(errors).toEqual([]);
});

test('re-pointing a credential whose connection holds resources is refused, and says why', async ({ page, request }) => {
  const errors: string[] = [];
  page.on('console', (message) => {
    // The refusal's 409 is expected; anything else is a fault.
    if (message.type() === 'error' && !message.text().includes('status of 409')) errors.push(message.text());
  });
  const rest = new Rest(request);
  await rest.mockConnection('trust-account');
  await rest.createVpc('trust-account', 'vpc-kept');
  await signIn(page);
  await openFromNav(page, 'Credentials', 'Credentials');
  await page.getByText('Register credential…', { exact: true }).click();
  await page.getByLabel('Credential name').fill('trust-account-credential');
  await page.getByLabel('Provider').selectOption('MOCK');
  await page.getByLabel('MockName').fill('another-account');
  await page.getByRole('button', { name: 'Save credential' }).click();
  await expect(page.getByRole('alert')).toContainText(
    "cannot point connection 'trust-account' at account",
  );
  await expect(page.getByRole('alert')).toContainText("VPC 'vpc-kept'");
  // Nothing was saved: the VPC still reads at its account.
  await rest.ok('GET', '/vpc/vpc-kept?ConnectionName=trust-account');

  // Saved again for the same account, the credential is a change like any other.
  await page.getByLabel('MockName').fill('trust-account');
  await page.getByRole('button', { name: 'Save credential' }).click();
  await expect(page.getByRole('status')).toHaveText("Saved credential 'trust-account-credential'.");
  expect(errors).toEqual([]);
});
