// Chaos: sales rung up through the UI while the back office fails at random
// (its fault mode), is killed and restarted, tokens run out early and pages
// are reloaded, also in the middle of a flush. Afterwards the back office must
// hold exactly the sales the terminal completed: none lost, none twice, totals
// equal to the cent, invoice numbers gapless and unique.
//
// The back office's faults and this test's choices both come from CHAOS_SEED,
// so a failure replays with the seed the summary line prints. The CI run is
// short; `CHAOS_SALES=300 npx playwright test chaos` is the long one.
import { test, expect, signIn, cashierIn, startBackOffice, tap, DEMO, BackOffice } from './backoffice';
import type { Page } from '@playwright/test';

// A step blocked by the login overlay fails fast and is retried after signing in again.
test.use({ actionTimeout: 6_000 });
import { rmSync } from 'node:fs';

const seed = Number(process.env.CHAOS_SEED ?? 20261124);
const sales = Number(process.env.CHAOS_SALES ?? 36);
const faults = ['--faults', `seed=${seed},rate=0.25,delay=800`];

/** A small seeded generator (mulberry32): the same seed, the same run. */
function random(seedValue: number): () => number {
  let a = seedValue >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const articles = ['W100', 'W200', 'X10', 'S100', 'S200', 'C100', 'C200', 'K200'];
const methods = ['Cash', 'Card', 'Swish'];

type Sale = { invoice: number; total: string };

/** What the run went through, printed with the summary so a quiet run shows. */
const met = { kills: 0, downSales: 0, reloads: 0, relogins: 0 };

const loginDialog = (page: Page) => page.getByRole('dialog').filter({ hasText: 'sign-in has expired' });

/** Signs the terminal in again when its token ran out and it asks. */
async function reloginIfAsked(page: Page): Promise<void> {
  const dialog = loginDialog(page);
  if (!(await dialog.isVisible())) return;
  await dialog.getByLabel('Password').fill(DEMO.password);
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  await expect(dialog).toHaveCount(0, { timeout: 30_000 });
  met.relogins += 1;
}

/**
 * Runs one step of a cashier's work. The login can come up over the page at
 * any moment (a background pull or flush met an expired token): like a
 * cashier, sign in again and carry on with the same step.
 */
async function step(page: Page, action: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      if (attempt === 3 || !(await loginDialog(page).isVisible())) throw error;
      await reloginIfAsked(page);
    }
  }
}

/** Presses Sync now (signing in again when asked) until `done` holds: faults make single tries fail on purpose. */
async function syncUntil(page: Page, done: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (await done()) return;
    await reloginIfAsked(page);
    const button = page.getByRole('button', { name: 'Sync now' });
    if (await button.isEnabled()) await button.dispatchEvent('click');
    await page.waitForTimeout(500);
  }
  throw new Error(`chaos seed=${seed}: never got to ${what}`);
}

/** Opens the terminal in `page` (already signed in on this browser) with a cashier on duty. */
async function open(page: Page, url: string): Promise<void> {
  met.reloads += 1;
  await page.goto(url);
  await expect(page.getByTestId('catalogue-counts')).toHaveText('13 products, 50 customers cached');
  await reloginIfAsked(page);
  await expect(page.getByTestId('cashier')).toBeVisible();
}

/** Rings up one sale of a random article, paid in a random way; returns what the receipt says. */
async function sell(page: Page, pick: () => number): Promise<Sale> {
  const [article, method] = [articles[Math.floor(pick() * articles.length)], methods[Math.floor(pick() * methods.length)]];
  await reloginIfAsked(page);
  await step(page, () => tap(page, article));
  await step(page, () => page.getByRole('button', { name: 'Pay', exact: true }).click());
  await step(page, () => page.getByRole('dialog', { name: 'Payment' }).getByRole('button', { name: method, exact: true }).click());
  await step(page, () => page.getByRole('button', { name: 'Complete sale' }).click());
  // api/Sale may be delayed, cut or refused by the fault mode: the sale completes either way.
  await expect(page.getByTestId('receipt')).toBeVisible({ timeout: 30_000 });
  const sale = {
    invoice: Number(await page.getByTestId('invoice-number').textContent()),
    total: (await page.getByTestId('receipt-total').textContent())!.replace(' SEK', ''),
  };
  // A 401 on api/Sale completes the sale offline; the login may open under the
  // receipt, or over it when a background pull or flush met the expired token first.
  await step(page, () => page.getByRole('button', { name: 'Close receipt' }).click());
  await reloginIfAsked(page);
  return sale;
}

/** Flushes everything, then compares the back office's orders with what the terminal completed. */
async function verify(page: Page, backOffice: BackOffice, completed: Sale[], label: string): Promise<void> {
  await syncUntil(page, async () => (await page.getByTestId('outbox-pending').textContent()) === 'Nothing waiting to be sent', 'an empty outbox');
  const orders = backOffice.orders();
  const byInvoice = new Map(orders.map((o) => [o.InvoiceNumber, o]));
  const wanted = new Set(completed.map((c) => c.invoice));
  const delivered = completed.filter((c) => byInvoice.has(c.invoice)).length;
  const duplicated = orders.length - byInvoice.size;
  const unknown = [...byInvoice.keys()].filter((n) => !wanted.has(n)).length;
  const lost = completed.length - delivered;
  console.log(
    `chaos ${label} seed=${seed}: ${completed.length} sales completed, ${delivered} delivered, ${duplicated} duplicated, ${lost} lost, ${unknown} unknown` +
      ` (met ${met.kills} kills, ${met.downSales} sales with the back office down, ${met.reloads} reloads, ${met.relogins} re-logins)`,
  );
  expect({ duplicated, lost, unknown }, `replay with CHAOS_SEED=${seed}`).toEqual({ duplicated: 0, lost: 0, unknown: 0 });
  for (const c of completed) expect(byInvoice.get(c.invoice)!.Total, `invoice ${c.invoice}`).toBe(c.total);
  expect(completed.map((c) => c.invoice).sort((a, b) => a - b), 'invoice numbers gapless and unique').toEqual(completed.map((_, i) => i + 1));
}

/** Signs the terminal in through the faults and waits for its first full pull. */
async function firstStart(page: Page, backOffice: BackOffice): Promise<void> {
  await page.goto(backOffice.url);
  await signIn(page, backOffice.url);
  const counts = page.getByTestId('catalogue-counts');
  await syncUntil(page, async () => (await counts.textContent()) === '13 products, 50 customers cached', 'the first full pull');
  await cashierIn(page, '1001');
}

test('chaos, one tab: faults, a killed back office, early token expiry and reloads lose and duplicate nothing', async ({ page }) => {
  test.setTimeout(120_000 + sales * 6_000);
  const pick = random(seed);
  Object.assign(met, { kills: 0, downSales: 0, reloads: 0, relogins: 0 });
  // Tokens live 8 s: the run meets expiry on api/Sale, on pulls and on pushes.
  const backOffice = await startBackOffice(undefined, [...faults, '--token-lifetime', '8']);
  const completed: Sale[] = [];
  try {
    await firstStart(page, backOffice);
    for (let i = 0; i < sales; i++) {
      const dice = pick();
      if (dice < 0.06) {
        met.kills += 1;
        await backOffice.kill();
        await backOffice.restart();
      } else if (dice < 0.12) {
        await open(page, backOffice.url);
      } else if (dice < 0.2) {
        met.kills += 1;
        met.downSales += 1;
        await backOffice.kill(); // this sale is made with the back office down
      }
      completed.push(await sell(page, pick));
      if (dice >= 0.12 && dice < 0.2) await backOffice.restart();
      if (pick() < 0.12) {
        // A reload at a random moment of the flush the sale started.
        await page.waitForTimeout(Math.floor(pick() * 400));
        await open(page, backOffice.url);
      }
    }
    await verify(page, backOffice, completed, 'one tab');
    // The seed must have led the run through each kind of trouble.
    expect(Math.min(met.kills, met.downSales, met.reloads, met.relogins), JSON.stringify(met)).toBeGreaterThan(0);
  } finally {
    await backOffice.kill();
    rmSync(backOffice.dataDir, { recursive: true, force: true });
  }
});

test('chaos, three tabs: ringing up and flushing at once through faults loses and duplicates nothing', async ({ page, context }) => {
  test.setTimeout(120_000 + sales * 6_000);
  const pick = random(seed + 1);
  Object.assign(met, { kills: 0, downSales: 0, reloads: 0, relogins: 0 });
  const backOffice = await startBackOffice(undefined, faults);
  const completed: Sale[] = [];
  try {
    await firstStart(page, backOffice);
    const tabs = [page];
    for (let i = 0; i < 2; i++) {
      const tab = await context.newPage();
      await open(tab, backOffice.url);
      tabs.push(tab);
    }
    for (let i = 0; i < sales; i++) {
      const tab = tabs[Math.floor(pick() * tabs.length)];
      await tab.bringToFront();
      if (pick() < 0.08) await open(tab, backOffice.url);
      completed.push(await sell(tab, pick));
    }
    // Every tab tries to flush at once; one at a time may.
    await Promise.all(tabs.map((tab) => tab.getByRole('button', { name: 'Sync now' }).dispatchEvent('click')));
    await verify(page, backOffice, completed, 'three tabs');
    for (const tab of tabs) await expect(tab.getByTestId('outbox-pending')).toHaveText('Nothing waiting to be sent');
  } finally {
    await backOffice.kill();
    rmSync(backOffice.dataDir, { recursive: true, force: true });
  }
});
