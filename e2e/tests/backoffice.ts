// Starts the bundled back office for one test: a free loopback port, a fresh
// data folder, the demo tenant, the built terminal from dist/. Stopped after.
import { test as base, expect, Page } from '@playwright/test';
import { spawn, ChildProcess, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const root = path.resolve(__dirname, '..', '..');
const binary = process.env.POSSUM_BACKOFFICE ?? path.join(root, 'target', 'debug', 'possum-backoffice');
// The built terminal: dist/ unless POSSUM_DIST names another build (a parallel build's own folder).
const builtDist = process.env.POSSUM_DIST ?? path.join(root, 'dist');

export const DEMO = {
  username: 'terminal.user@possum.com',
  password: 'SuperSecret123!',
};

/** Opens one of the terminal's screens from its bar: Sale, History, Cash drawer, Sync or Terminal. */
export async function go(page: Page, screen: 'Sale' | 'History' | 'Cash drawer' | 'Sync' | 'Terminal'): Promise<void> {
  const link = page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: screen, exact: true });
  await link.click();
  await expect(link).toHaveAttribute('aria-current', 'page');
}

/** Signs a cashier in by card. */
export async function cashierIn(page: Page, card: string): Promise<void> {
  await page.getByLabel('Cashier card').fill(card);
  await page.getByRole('button', { name: 'Sign in cashier' }).click();
  await page.getByTestId('cashier').waitFor();
}

/** Opens the terminal, signs it in to the demo car wash, waits for the full pull and signs in the cashier with `card`. */
export async function ready(page: Page, url: string, card = '1001'): Promise<void> {
  await page.goto(url);
  await signIn(page, url);
  await page.getByTestId('catalogue-counts').filter({ hasText: '13 products, 50 customers cached' }).waitFor();
  await cashierIn(page, card);
}

/** Magnus Manager's PIN in the demo data (a manager's PIN has at least eight digits). */
export const MANAGER_PIN = '24682468';

/** The manager-approval dialog. */
export function approvalDialog(page: Page) {
  return page.getByRole('dialog', { name: 'Manager approval' });
}

/** Magnus approves what the manager-approval dialog asks, with `pin`. */
export async function approveAs(page: Page, pin = MANAGER_PIN): Promise<void> {
  const dialog = approvalDialog(page);
  await dialog.getByLabel('Magnus Manager').check();
  await dialog.getByLabel('Manager PIN').fill(pin);
  await dialog.getByRole('button', { name: 'Approve' }).click();
}

/**
 * Taps the tile of `article`. The product list is virtualised: a tile scrolled
 * far out of view is not in the page, as a cashier would scroll back to it,
 * the list goes back to its top first.
 */
export async function tap(page: Page, article: string): Promise<void> {
  await page.getByRole('list', { name: 'Products' }).evaluate((list) => {
    list.scrollTop = 0;
    list.dispatchEvent(new Event('scroll'));
  });
  await page.locator(`button[data-article="${article}"]`).click();
}

/** Rings up one `article`, paid in cash (exactly), and leaves its receipt open. */
export async function cashSaleShown(page: Page, article: string): Promise<void> {
  await tap(page, article);
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Cash', exact: true }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await page.getByTestId('receipt').waitFor();
}

/** Rings up one `article`, paid in cash (exactly), and closes the receipt. */
export async function cashSale(page: Page, article: string): Promise<void> {
  await cashSaleShown(page, article);
  await page.getByRole('button', { name: 'Close receipt' }).click();
}

/** The trimmed text of the element with `testId`. */
export async function testIdText(page: Page, testId: string): Promise<string> {
  return ((await page.getByTestId(testId).textContent()) ?? '').trim();
}

/** Whether `code` is thirteen digits with a correct EAN-13 check digit. */
export function isEan13(code: string): boolean {
  if (!/^\d{13}$/.test(code)) return false;
  const digits = [...code].map(Number);
  const sum = digits.slice(0, 12).reduce((s, d, i) => s + d * (i % 2 === 0 ? 1 : 3), 0);
  return (10 - (sum % 10)) % 10 === digits[12];
}

/** Signs the terminal in through the first-run screen. */
export async function signIn(page: Page, backOfficeUrl: string): Promise<void> {
  await page.getByLabel('Back-office address').fill(backOfficeUrl);
  await page.getByLabel('Terminal user name').fill(DEMO.username);
  await page.getByLabel('Password').fill(DEMO.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export class BackOffice {
  constructor(readonly url: string, readonly dataDir: string, private child: ChildProcess, private readonly extraArgs: string[] = []) {}

  /** Starts the stopped server again on the same address with the same data. */
  async restart(): Promise<void> {
    const again = await startBackOffice(this.dataDir, this.extraArgs, new URL(this.url).host);
    this.child = again.child;
  }

  /** The orders the back office holds, as `admin orders` prints them. */
  orders(): { Id: string; TerminalId: string; InvoiceNumber: number; Total: string; Token: string | null; RegisterId?: string }[] {
    return JSON.parse(this.admin('orders'));
  }

  /** Runs `possum-backoffice admin …` against this server's data folder. */
  admin(...args: string[]): string {
    return execFileSync(binary, ['admin', '--data-dir', this.dataDir, ...args], { encoding: 'utf8' });
  }

  /** Kills the server at once (SIGKILL), as a crash or a power cut would. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

export async function startBackOffice(dataDir?: string, extraArgs: string[] = [], addr = '127.0.0.1:0', dist = builtDist): Promise<BackOffice> {
  const dir = dataDir ?? mkdtempSync(path.join(tmpdir(), 'possum-e2e-'));
  const child = spawn(
    binary,
    ['serve', '--addr', addr, '--data-dir', dir, '--demo', '--dist', dist, ...extraArgs],
    { env: { ...process.env, RUST_LOG: 'info', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`back office did not start:\n${seen}`)), 30_000);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = seen.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`back office exited with ${code}:\n${seen}`)));
  });
  return new BackOffice(url, dir, child, extraArgs);
}

/** Serves the built terminal alone, as any static host would: the app without its back office. */
export async function serveDist(): Promise<{ url: string; close: () => Promise<void> }> {
  const dist = builtDist;
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
  const server = http.createServer((req, res) => {
    const wanted = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = path.join(dist, path.normalize(wanted));
    if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) file = path.join(dist, 'index.html');
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Runs `body` against a back office started with `extraArgs`, then stops it and removes its data. */
export async function withBackOffice<T>(extraArgs: string[], body: (server: BackOffice) => Promise<T>): Promise<T> {
  const server = await startBackOffice(undefined, extraArgs);
  try {
    return await body(server);
  } finally {
    await server.stop();
    rmSync(server.dataDir, { recursive: true, force: true });
  }
}

export const test = base.extend<{ backOffice: BackOffice; pageProblems: void }>({
  backOffice: async ({}, use) => withBackOffice([], use),
  // A failing test prints what the page reported (panics, errors, warnings):
  // a rare failure on CI is then explained by its own log.
  pageProblems: [
    async ({ page }, use, testInfo) => {
      const seen: string[] = [];
      const at = () => new Date().toISOString().slice(11, 23);
      page.on('pageerror', (e) => seen.push(`${at()} pageerror ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') seen.push(`${at()} ${m.type()} ${m.text()}`);
      });
      await use();
      if (testInfo.status !== testInfo.expectedStatus) {
        const shown = await page.locator('body').innerText({ timeout: 1_000 }).catch(() => '(page gone)');
        console.log(`page at the failure of "${testInfo.title}":\n${shown.slice(0, 3_000)}\n${seen.join('\n')}`);
      }
    },
    { auto: true },
  ],
});

export { expect };
