// The AdminWeb in Debian chromium: the WASM and its glue raw, gzip and brotli, and first
// contentful paint and time to hydrated of two pages, cold (a new browser profile each time)
// and warm (assets cached), against the real server. Writes bench/results/web.md.
//
// Run after `./run serve` or `./run test` built the site, with the binary to measure:
//   node bench/web.mjs [path/to/spinneret]     (default: $CARGO_TARGET_DIR/release/spinneret)
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Playwright comes from the browser tests' packages; the browser is Debian's.
const { chromium } = createRequire(join(root, 'end2end', 'package.json'))('@playwright/test');

const targetDir = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
const binary = process.argv[2] ?? join(targetDir, 'release', 'spinneret');
const siteRoot = process.env.SPINNERET_SITE_ROOT ?? join(root, 'target', 'site');
const password = 'bench-password';
const rounds = 7;
const pages = [
  ['dashboard', '/admin'],
  ['VPCs of a connection', '/admin/vpcs?connection=mock-config'],
];

const freePort = () => new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;

function sizes() {
  const rows = [];
  for (const [name, file] of [['WASM', 'spinneret_bg.wasm'], ['JS glue', 'spinneret.js'], ['CSS', 'spinneret.css']]) {
    const path = join(siteRoot, 'pkg', file);
    const size = (suffix) => statSync(path + suffix).size;
    rows.push(`| ${name} | ${kib(size(''))} | ${kib(size('.gz'))} | ${kib(size('.br'))} |`);
  }
  return rows;
}

async function startServer() {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(binary, ['serve'], {
    env: {
      ...process.env,
      SPINNERET_ADDR: `127.0.0.1:${port}`,
      SPINNERET_DATA_DIR: mkdtempSync(join(tmpdir(), 'spinneret-web-bench-')),
      SPINNERET_SITE_ROOT: siteRoot,
      SPIDER_PASSWORD: password,
      SPINNERET_MOCK_TRANSITION_MS: '0',
    },
    stdio: 'ignore',
  });
  for (let tries = 0; ; tries++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) break;
    } catch { /* not listening yet */ }
    if (tries > 300) throw new Error('the server did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { server, base };
}

async function populate(base) {
  const auth = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
  const post = async (path, body) => {
    const response = await fetch(`${base}/spider/${path}`, {
      method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  };
  await post('driver', { DriverName: 'mock-driver', ProviderName: 'MOCK' });
  await post('credential', { CredentialName: 'mock-cred', ProviderName: 'MOCK', KeyValueInfoList: [{ Key: 'MockName', Value: 'web' }] });
  await post('region', { RegionName: 'mock-region', ProviderName: 'MOCK', KeyValueInfoList: [{ Key: 'Region', Value: 'default' }] });
  await post('connectionconfig', { ConfigName: 'mock-config', ProviderName: 'MOCK', DriverName: 'mock-driver', CredentialName: 'mock-cred', RegionName: 'mock-region' });
  for (const n of [1, 2, 3]) {
    await post('vpc', { ConnectionName: 'mock-config', ReqInfo: { Name: `vpc-0${n}`, IPv4_CIDR: '10.0.0.0/16', SubnetInfoList: [{ Name: 'sub-01', IPv4_CIDR: '10.0.1.0/24' }] } });
  }
  const login = await fetch(`${base}/auth/login`, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: 'admin', password }),
  });
  const [name, value] = login.headers.get('set-cookie').split(';')[0].split('=');
  return { name, value, url: base };
}

// Records when the page's body is marked hydrated, from the navigation's start.
const watchHydration = () => {
  new MutationObserver((_, observer) => {
    if (document.body?.dataset.hydrated === 'true') {
      window.__hydratedAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
};

async function visit(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => window.__hydratedAt !== undefined);
  return page.evaluate(() => ({
    paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
    hydrated: window.__hydratedAt,
  }));
}

async function measure(browser, cookie, path) {
  const url = cookie.url + path;
  const context = async () => {
    const created = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await created.addCookies([cookie]);
    await created.addInitScript(watchHydration);
    return created;
  };
  const cold = [];
  for (let n = 0; n < rounds; n++) {
    const fresh = await context();
    cold.push(await visit(await fresh.newPage(), url));
    await fresh.close();
  }
  const kept = await context();
  const page = await kept.newPage();
  await visit(page, url);
  const warm = [];
  for (let n = 0; n < rounds; n++) warm.push(await visit(page, url));
  await kept.close();
  const summary = (runs) => `${median(runs.map((run) => run.paint)).toFixed(0)} ms / ${median(runs.map((run) => run.hydrated)).toFixed(0)} ms`;
  return `| ${summary(cold)} | ${summary(warm)} |`;
}

const { server, base } = await startServer();
try {
  const cookie = await populate(base);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  const timings = [];
  for (const [name, path] of pages) timings.push(`| ${name} (\`${path}\`) ${await measure(browser, cookie, path)}`);
  await browser.close();
  const table = [
    '# AdminWeb in the browser', '',
    `Assets as served from \`target/site/pkg\` (content-named, precompressed). Headless Debian chromium on loopback, the server \`${binary.split('/').slice(-2).join('/')}\`; the median of ${rounds} loads, signed in, with a mock connection holding three VPCs.`, '',
    '| asset | raw | gzip | brotli |', '|---|---|---|---|', ...sizes(), '',
    'First contentful paint / hydrated (the WASM has taken over the page), from the navigation\'s start:', '',
    '| page | cold (new profile) | warm (assets cached) |', '|---|---|---|', ...timings, '',
  ].join('\n');
  writeFileSync(join(root, 'bench', 'results', 'web.md'), table);
  process.stdout.write(table);
} finally {
  server.kill();
}
