import { test, expect, ready, cashSale, startBackOffice, root, tap } from './backoffice';
import type { Page } from '@playwright/test';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// These tests are about the service worker, which the other tests keep out of the way.
test.use({ serviceWorkers: 'allow' });

async function controlled(page: Page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

test('the manifest is valid and every icon it names exists', async ({ page, backOffice }) => {
  await page.goto(backOffice.url);
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const response = await page.request.get(new URL(href!, backOffice.url).toString());
  expect(response.headers()['content-type']).toContain('manifest+json');
  const manifest = await response.json();
  expect(manifest).toMatchObject({ name: 'POSSUM Terminal', short_name: 'POSSUM', display: 'standalone', start_url: '/', orientation: 'any' });
  const sizes = manifest.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes} ${i.purpose}`);
  expect(sizes).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
  for (const icon of manifest.icons) {
    const png = await page.request.get(new URL(icon.src, backOffice.url).toString());
    expect(png.status(), icon.src).toBe(200);
    const bytes = await png.body();
    // PNG signature, then the IHDR width and height the manifest promises.
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    const [w, h] = icon.sizes.split('x').map(Number);
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([w, h]);
  }
  // Chromium's own install criteria (a test profile is off the record, which only an installed browser profile is not).
  await controlled(page);
  const cdp = await page.context().newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors.filter((e) => e.errorId !== 'in-incognito')).toEqual([]);
  // The policy the back office sends is the one the page carries for static hosts.
  const csp = (await page.request.get(backOffice.url)).headers()['content-security-policy'];
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toBe(`${meta}; frame-ancestors 'none'`);
  expect(csp).toContain("'wasm-unsafe-eval'");
  expect(csp).not.toContain("'unsafe-eval'");
});

test('loaded once, the terminal starts with the back office stopped and sells from the cache', async ({ page, backOffice }) => {
  const blocked: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) blocked.push(message.text());
  });
  await ready(page, backOffice.url);
  await controlled(page);
  await backOffice.stop();
  await page.reload();
  await expect(page.getByTestId('catalogue-counts')).toHaveText('13 products, 50 customers cached');
  await expect(page.getByTestId('cashier')).toContainText('Anna Andersson');
  // The next cashier signs in against the cached users, with no back office.
  await page.getByRole('button', { name: 'Switch cashier' }).click();
  await page.getByLabel('or PIN').fill('24682468');
  await page.getByRole('button', { name: 'Sign in cashier' }).click();
  await expect(page.getByTestId('cashier')).toHaveText('Cashier: Magnus Manager (Manager)');
  await tap(page, 'W100');
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Cash', exact: true }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByTestId('receipt')).toContainText('Sold offline');
  // A wash sold offline still carries its token, taken from the terminal's reserve.
  await expect(page.getByTestId('wash-token')).toBeVisible();
  await page.getByRole('button', { name: 'Close receipt' }).click();
  // Any screen's address starts offline too: the service worker answers it with the shell.
  await page.goto(`${backOffice.url}/history`);
  await expect(page.getByRole('heading', { name: 'Sale history' })).toBeVisible();
  await expect(page.getByTestId('history-state').first()).toHaveText('Waiting to be sent');
  // The policy let the whole app run: nothing was blocked on the way.
  expect(blocked).toEqual([]);
});

test('a new build is announced, waits for the sale in progress, and keeps the outbox', async ({ page }) => {
  // A copy of the build that the test can replace, served by its own back office.
  const dist = mkdtempSync(path.join(tmpdir(), 'possum-dist-'));
  cpSync(path.join(root, 'dist'), dist, { recursive: true });
  const backOffice = await startBackOffice(undefined, [], '127.0.0.1:0', dist);
  try {
    await ready(page, backOffice.url);
    await controlled(page);
    await page.route('**/api/**', (route) => route.abort());
    await cashSale(page, 'W100');
    await expect(page.getByTestId('outbox-pending')).toContainText('1 sale');

    // The next build: a new service worker with a new shell version.
    const sw = path.join(dist, 'sw.js');
    const before = readFileSync(sw, 'utf8');
    const version = before.match(/const VERSION = '([0-9a-f]+)'/)![1];
    writeFileSync(sw, before.replace(`const VERSION = '${version}'`, `const VERSION = '${version}2'`));
    await tap(page, 'X10');
    await page.getByRole('button', { name: 'Sync now' }).click();
    const banner = page.getByTestId('update-ready');
    await expect(banner).toContainText('A new version of the terminal is ready');
    // Not in the middle of a sale.
    await expect(banner.getByRole('button', { name: 'Update now' })).toBeDisabled();
    await expect(banner).toContainText('Finish or park the sale first');
    await page.getByRole('button', { name: 'Clear cart' }).click();
    const reloaded = page.waitForEvent('load');
    await banner.getByRole('button', { name: 'Update now' }).click();
    await reloaded;
    await controlled(page);
    // The new version runs, with a shell cache of its own; the old one is gone.
    expect(await page.evaluate(() => caches.keys())).toEqual([`possum-shell-${version}2`]);
    await expect(page.getByTestId('outbox-pending')).toContainText('1 sale');
    await expect(page.getByTestId('update-ready')).toHaveCount(0);
  } finally {
    await backOffice.stop();
    rmSync(backOffice.dataDir, { recursive: true, force: true });
    rmSync(dist, { recursive: true, force: true });
  }
});
