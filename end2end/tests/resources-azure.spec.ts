import { expect, test } from '@playwright/test';
import { armUrl } from '../playwright.config';
import { signIn, waitForHydration } from './helpers';
import { Rest } from './rest';

const URN = 'Canonical:ubuntu-24_04-lts:server:latest';
// The server is shared and spec files run in name order: this one runs after registry.spec.ts,
// whose first-run checks expect no other records, and removes what it made.
const CN = 'azure-at-arm';

test('an Azure connection at the ARM emulator: its pages cold-load, and a VM is terminated from the AdminWeb', async ({ page, request }) => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    dialog.accept();
  });

  const rest = new Rest(request);
  await rest.azureConnection(CN, armUrl);
  await rest.createVpc(CN, 'vpc-az');
  await rest.createSecurityGroup(CN, 'sg-az', 'vpc-az');
  await rest.ok('POST', '/keypair', { ConnectionName: CN, ReqInfo: { Name: 'key-az' } });
  await rest.ok('POST', '/vm', {
    ConnectionName: CN,
    ReqInfo: {
      Name: 'vm-az', ImageName: URN, VMSpecName: 'Standard_B1s', VPCName: 'vpc-az',
      SubnetName: 'subnet-01', SecurityGroupNames: ['sg-az'], KeyPairName: 'key-az',
    },
  });

  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page);
  await page.goto(`/admin/images?connection=${CN}`);
  await waitForHydration(page);
  await expect(page.getByText(/Canonical:ubuntu-24_04-lts:server:24\.04\./).first()).toBeVisible();
  await page.goto(`/admin/security-groups?connection=${CN}`);
  await waitForHydration(page);
  await expect(page.getByRole('row', { name: /^sg-az/ })).toBeVisible();
  await page.goto(`/admin/vms?connection=${CN}`);
  await waitForHydration(page);
  await expect(page.getByRole('row', { name: /^vm-az\s+Running/ })).toBeVisible();

  await page.getByRole('button', { name: 'Terminate VM vm-az' }).click();
  await expect(page.getByText('No VMs yet.')).toBeVisible();
  expect(dialogs.join('\n')).toContain(`${CN} (AZURE, koreacentral)`);
  const all = await rest.ok('GET', `/allvm?ConnectionName=${CN}`);
  expect(all.AllList.OnlyCSPList).toEqual([]);
  expect(errors).toEqual([]);

  for (const path of ['/securitygroup/sg-az', '/keypair/key-az', '/vpc/vpc-az']) {
    await rest.ok('DELETE', path, { ConnectionName: CN });
  }
  await rest.removeAzureConnection(CN);
});
