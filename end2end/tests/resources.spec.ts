import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { openFromNav, signIn } from './helpers';

/**
 * Records every status the VM's status cell shows from now on. Transitional statuses last
 * 0.7 s in the e2e server, so they are recorded in the page rather than sampled.
 */
async function watchStatus(page: Page, vm: string) {
  await page.evaluate((vm) => {
    const w = window as unknown as { statusWatch?: MutationObserver; statuses: string[] };
    w.statusWatch?.disconnect();
    const seen: string[] = [];
    w.statuses = seen;
    const look = () => {
      for (const row of document.querySelectorAll('tr')) {
        if (row.cells[0]?.textContent !== vm) continue;
        const status = row.cells[1]?.querySelector('.badge')?.textContent ?? '';
        if (status && seen[seen.length - 1] !== status) seen.push(status);
      }
    };
    w.statusWatch = new MutationObserver(look);
    w.statusWatch.observe(document.body, { subtree: true, childList: true, characterData: true });
    look();
  }, vm);
}

async function seenStatuses(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { statuses: string[] }).statuses);
}

/** Clicks a lifecycle button and checks vm-01's status cell shows each of `statuses` in turn. */
async function control(page: Page, button: string, statuses: string[]) {
  const status = page.getByRole('row', { name: /^vm-01/ }).getByRole('cell').nth(1);
  await watchStatus(page, 'vm-01');
  await page.getByRole('button', { name: button, exact: true }).click();
  await expect.poll(() => seenStatuses(page)).toEqual(statuses);
  await expect(status).toHaveText(statuses[statuses.length - 1]);
}

test("an operator's whole flow on the mock cloud: network, key, VM lifecycle, clean-up", async ({ page }) => {
  test.setTimeout(120_000);
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('dialog', (dialog) => dialog.accept());

  await signIn(page);
  await page.getByRole('button', { name: 'Try the mock cloud' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'VM images' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Connection', exact: true })).toHaveValue('mock-config');

  // A VPC with two subnets, then a third added and removed.
  await openFromNav(page, 'VPCs', 'VPCs');
  await expect(page.getByText('No VPCs yet.')).toBeVisible();
  await page.getByText('Create VPC…', { exact: true }).click();
  const createVpc = page.getByRole('form', { name: 'Create VPC' });
  await createVpc.getByLabel('Name', { exact: true }).fill('vpc-01');
  await createVpc.getByLabel('IPv4 CIDR').fill('192.168.0.0/16');
  await createVpc.getByLabel('Subnet 1 name').fill('subnet-01');
  await createVpc.getByLabel('Subnet 1 CIDR').fill('192.168.1.0/24');
  await createVpc.getByRole('button', { name: 'Add subnet row' }).click();
  await createVpc.getByLabel('Subnet 2 name').fill('subnet-02');
  await createVpc.getByLabel('Subnet 2 CIDR').fill('192.168.2.0/24');
  await createVpc.getByRole('button', { name: 'Create VPC' }).click();
  await expect(page.getByText("Created the VPC.")).toBeVisible();
  await expect(page.getByRole('row', { name: /vpc-01\s+192\.168\.0\.0\/16/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /subnet-01\s+192\.168\.1\.0\/24/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /subnet-02\s+192\.168\.2\.0\/24/ })).toBeVisible();

  await page.getByText('Add subnet…', { exact: true }).click();
  const addSubnet = page.getByRole('form', { name: 'Add subnet' });
  await expect(addSubnet.getByRole('combobox', { name: 'VPC' })).toHaveValue('vpc-01');
  await addSubnet.getByLabel('Subnet name').fill('subnet-03');
  await addSubnet.getByLabel('Subnet CIDR').fill('192.168.3.0/24');
  await addSubnet.getByRole('button', { name: 'Add subnet', exact: true }).click();
  await expect(page.getByRole('row', { name: /subnet-03\s+192\.168\.3\.0\/24/ })).toBeVisible();
  await page.getByRole('button', { name: 'Remove subnet subnet-03 from vpc-01' }).click();
  await expect(page.getByText('Removed the subnet.')).toBeVisible();
  await expect(page.getByRole('row', { name: /subnet-03/ })).toHaveCount(0);

  // A security group with two rules; a third added and removed.
  await openFromNav(page, 'Security groups', 'Security groups');
  await page.getByText('Create security group…', { exact: true }).click();
  const createGroup = page.getByRole('form', { name: 'Create security group' });
  await createGroup.getByLabel('Name', { exact: true }).fill('sg-01');
  await expect(createGroup.getByRole('combobox', { name: 'VPC' })).toHaveValue('vpc-01');
  await createGroup.getByLabel('Rule 1 protocol').selectOption('TCP');
  await createGroup.getByLabel('Rule 1 from port').fill('22');
  await createGroup.getByLabel('Rule 1 to port').fill('22');
  await createGroup.getByRole('button', { name: 'Add rule row' }).click();
  await createGroup.getByLabel('Rule 2 protocol').selectOption('ALL');
  await createGroup.getByLabel('Rule 2 direction').selectOption('outbound');
  await createGroup.getByRole('button', { name: 'Create security group' }).click();
  await expect(page.getByText("Created the security group.")).toBeVisible();
  await expect(page.getByRole('row', { name: /sg-01\s+VPC vpc-01/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /inbound\s+TCP\s+22\s+0\.0\.0\.0\/0/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /outbound\s+ALL\s+all\s+0\.0\.0\.0\/0/ })).toBeVisible();

  await page.getByText('Add rules…', { exact: true }).click();
  const addRules = page.getByRole('form', { name: 'Add rules' });
  await expect(addRules.getByRole('combobox', { name: 'Security group' })).toHaveValue('sg-01');
  await addRules.getByLabel('Rule 1 protocol').selectOption('UDP');
  await addRules.getByLabel('Rule 1 from port').fill('53');
  await addRules.getByLabel('Rule 1 to port').fill('53');
  await addRules.getByLabel('Rule 1 CIDR').fill('10.0.0.0/8');
  await addRules.getByRole('button', { name: 'Add rules' }).click();
  await expect(page.getByRole('row', { name: /inbound\s+UDP\s+53\s+10\.0\.0\.0\/8/ })).toBeVisible();
  await page.getByRole('button', { name: 'Remove rule inbound UDP 53 10.0.0.0/8 from sg-01' }).click();
  await expect(page.getByText('Removed the rule.')).toBeVisible();
  await expect(page.getByRole('row', { name: /UDP/ })).toHaveCount(0);

  // A key pair: its private key is shown once and downloads as a .pem file.
  await openFromNav(page, 'Key pairs', 'Key pairs');
  await page.getByText('Create key pair…', { exact: true }).click();
  const createKey = page.getByRole('form', { name: 'Create key pair' });
  await createKey.getByLabel('Name').fill('keypair-01');
  await createKey.getByRole('button', { name: 'Create key pair' }).click();
  await expect(page.getByText('Created the key pair.')).toBeVisible();
  await expect(page.getByText('This private key will not be shown again. Download it now.')).toBeVisible();
  await expect(page.getByLabel('Private key of keypair-01')).toContainText('-----BEGIN OPENSSH PRIVATE KEY-----');
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download .pem' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('keypair-01.pem');
  expect(readFileSync(await download.path(), 'utf8')).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----/);
  await expect(page.getByRole('row', { name: /keypair-01/ })).toBeVisible();
  await openFromNav(page, 'VPCs', 'VPCs');
  await openFromNav(page, 'Key pairs', 'Key pairs');
  await expect(page.getByRole('row', { name: /keypair-01/ })).toBeVisible();
  await expect(page.getByText('-----BEGIN OPENSSH PRIVATE KEY-----')).toHaveCount(0);

  // A VM, watched from Creating to Running without a reload.
  await openFromNav(page, 'VMs', 'VMs');
  await page.getByText('Create VM…', { exact: true }).click();
  const createVm = page.getByRole('form', { name: 'Create VM' });
  await createVm.getByLabel('Name', { exact: true }).fill('vm-01');
  await expect(createVm.getByRole('combobox', { name: 'VPC', exact: true })).toHaveValue('vpc-01');
  await createVm.getByRole('combobox', { name: 'Subnet', exact: true }).selectOption('subnet-02');
  await createVm.getByRole('checkbox', { name: 'sg-01' }).check();
  await expect(createVm.getByRole('combobox', { name: 'Key pair' })).toHaveValue('keypair-01');
  await watchStatus(page, 'vm-01');
  await createVm.getByRole('button', { name: 'Create VM' }).click();
  const vmStatus = page.getByRole('row', { name: /^vm-01/ }).getByRole('cell').nth(1);
  await expect(vmStatus).toHaveText('Running');
  await expect(page.getByText("The VM is running.")).toBeVisible();
  expect(await seenStatuses(page)).toEqual(['Creating', 'Running']);
  await expect(page.getByRole('row', { name: /^vm-01\s+Running.*subnet-02/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Resume vm-01' })).toBeDisabled();

  // The dashboard counts the connection's resources, each count linking to its page.
  await openFromNav(page, 'Dashboard', 'Dashboard');
  const counts = page.locator('section', { has: page.getByRole('heading', { name: 'Resources per connection' }) });
  await expect(counts.getByRole('heading', { name: 'mock-config MOCK' })).toBeVisible();
  await expect(counts.getByRole('link', { name: '1 VPCs' })).toHaveAttribute('href', '/admin/vpcs?connection=mock-config');
  await expect(counts.getByRole('link', { name: '1 Security groups' })).toBeVisible();
  await expect(counts.getByRole('link', { name: '1 Key pairs' })).toBeVisible();
  await counts.getByRole('link', { name: '1 Running VMs' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'VMs' })).toBeVisible();

  // The lifecycle: each action passes through its transitional status.
  await control(page, 'Suspend vm-01', ['Running', 'Suspending', 'Suspended']);
  await expect(page.getByRole('button', { name: 'Suspend vm-01' })).toBeDisabled();
  await control(page, 'Resume vm-01', ['Suspended', 'Resuming', 'Running']);
  await control(page, 'Reboot vm-01', ['Running', 'Rebooting', 'Running']);
  await watchStatus(page, 'vm-01');
  await page.getByRole('button', { name: 'Terminate VM vm-01' }).click();
  await expect(page.getByText('No VMs yet.')).toBeVisible();
  expect(await seenStatuses(page)).toEqual(['Running', 'Terminating']);

  // Clean-up, in dependency order.
  const removals: [string, string, string, string][] = [
    ['Security groups', 'Security groups', 'Delete security group sg-01', 'No security groups yet.'],
    ['Key pairs', 'Key pairs', 'Delete key pair keypair-01', 'No key pairs yet.'],
    ['VPCs', 'VPCs', 'Delete VPC vpc-01', 'No VPCs yet.'],
  ];
  for (const [nav, heading, button, empty] of removals) {
    await openFromNav(page, nav, heading);
    await page.getByRole('button', { name: button }).click();
    await expect(page.getByText(empty)).toBeVisible();
  }

  // Every cloud call was recorded, the VM's start among them.
  await openFromNav(page, 'History', 'Call history');
  await page.getByLabel('API', { exact: true }).fill('StartVM');
  await page.getByLabel('API', { exact: true }).press('Enter');
  const startVm = page.getByRole('row', { name: /mock-config\s+VM\s+.*StartVM/ }).first();
  await expect(startVm).toBeVisible();
  await expect(startVm.getByRole('cell').first()).toHaveText(/\d{4}-\d{2}-\d{2}.\d{2}:\d{2}:\d{2}/);
  expect(consoleErrors).toEqual([]);
});
