import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The server under test: the binary `./run test` built, on its own port and data directory.
const port = Number(process.env.SPINNERET_E2E_PORT ?? 18024);
const bin = process.env.SPINNERET_BIN ?? '../target/debug/spinneret';
export const admin = { username: 'admin', password: 'e2e-password-not-secret' };
// The ARM emulator the Azure spec's connection points at, built by `cargo test`.
const armPort = Number(process.env.SPINNERET_E2E_ARM_PORT ?? 18025);
const armBin = process.env.SPINNERET_ARM_EMULATOR ?? '../target/debug/arm-emulator';
export const armUrl = `http://127.0.0.1:${armPort}`;

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    headless: true,
    launchOptions: {
      // Debian's chromium; Playwright never downloads a browser here.
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: [{
    command: `${bin} serve`,
    url: `http://127.0.0.1:${port}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    env: {
      SPINNERET_ADDR: `127.0.0.1:${port}`,
      SPINNERET_DATA_DIR: mkdtempSync(join(tmpdir(), 'spinneret-e2e-')),
      SPINNERET_SITE_ROOT: process.env.SPINNERET_SITE_ROOT ?? '../target/site',
      SPIDER_USERNAME: admin.username,
      SPIDER_PASSWORD: admin.password,
      // Long enough for the browser to see Creating, Suspending, ...; short enough to keep tests quick.
      SPINNERET_MOCK_TRANSITION_MS: '700',
    },
  }, {
    command: `${armBin} ${armPort}`,
    // ARM answers 400 to a request without api-version: it is up.
    url: armUrl,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
  }],
});
