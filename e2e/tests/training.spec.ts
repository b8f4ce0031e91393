// Training mode (ÖVNING) and the pro forma (EJ KVITTO) at the till (issue
// 20, SKVFS 2014:9): a training sale completes on screen with its receipt
// marked large and registered, but the back office gets no order, only the
// journal's Training entry; switched back, a sale is a sale again; a pro
// forma shows the cart marked NOT A RECEIPT, journaled, and the cart stays.
import { test, expect, ready, tap, go, cashSaleShown, testIdText, BackOffice } from './backoffice';
import type { Page } from '@playwright/test';

// An ECDSA P-256 signature, base64.
const CONTROL_CODE = /^[A-Za-z0-9+/]{40,}={0,2}$/;

type Entry = { kind: string; controlCode?: string };

/** The register's journal at the back office, from `admin export-journal`. */
function journal(backOffice: BackOffice, register: string): Entry[] {
  const xml = backOffice.admin('export-journal', register, '--from', '2000-01-01', '--to', '2100-01-01');
  return [...xml.matchAll(/<Entry ([^>]*)>/g)].map((m) => {
    const attr = (name: string) => m[1].match(new RegExp(`\\b${name}="([^"]*)"`))?.[1];
    return { kind: attr('Kind')!, controlCode: attr('ControlCode') };
  });
}

async function tool(page: Page, name: string | RegExp): Promise<void> {
  const tools = page.locator('details.sale-tools');
  if (!(await tools.evaluate((d) => (d as HTMLDetailsElement).open))) await tools.locator('summary').click();
  await tools.getByRole('button', { name, exact: typeof name === 'string' }).click();
}

test('a training sale is marked and journaled, never an order; a pro forma leaves the cart', async ({ page, backOffice }) => {
  await ready(page, backOffice.url);
  const banner = page.getByRole('status').filter({ hasText: 'Training mode: nothing is charged' });
  await expect(banner).toHaveCount(0);

  // Training on: the banner on the sale screen and in the payment dialog.
  await tool(page, 'Training mode');
  await expect(page.getByTestId('training-toggle')).toHaveAttribute('aria-pressed', 'true');
  await expect(banner.first()).toBeVisible();
  await tap(page, 'W100');
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await expect(page.getByRole('dialog').getByTestId('training-banner')).toBeVisible();
  await page.getByRole('dialog').getByRole('button', { name: 'Cash', exact: true }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();

  // Its receipt: TRAINING, large as a copy's mark, registered with its control code, no wash token.
  const mark = page.getByTestId('training-mark');
  await expect(mark).toHaveText('TRAINING');
  const [markHeight, totalHeight] = await Promise.all(
    [mark, page.getByTestId('receipt-total')].map((l) => l.evaluate((e) => parseFloat(getComputedStyle(e).fontSize))),
  );
  expect(markHeight).toBeGreaterThanOrEqual(2 * totalHeight);
  const register = await testIdText(page, 'register-id');
  const trainingCode = await testIdText(page, 'control-code');
  expect(trainingCode).toMatch(CONTROL_CODE);
  await expect(page.getByTestId('receipt').getByTestId('training-banner')).toBeVisible();
  await expect(page.getByTestId('wash-token')).toHaveCount(0);
  await expect(page.getByTestId('token-pending')).toHaveCount(0);
  await page.getByRole('button', { name: 'Close receipt' }).click();

  // Switched back: no banner, and a sale is a sale.
  await tool(page, 'End training mode');
  await expect(page.getByTestId('training-toggle')).toHaveAttribute('aria-pressed', 'false');
  await expect(banner).toHaveCount(0);
  await cashSaleShown(page, 'W100');
  await expect(page.getByTestId('training-mark')).toHaveCount(0);
  const invoice = Number(await testIdText(page, 'invoice-number'));
  const saleCode = await testIdText(page, 'control-code');
  await page.getByRole('button', { name: 'Close receipt' }).click();

  // A pro forma of a cart: NOT A RECEIPT, registered, no invoice number; the cart stays.
  await tap(page, 'X10');
  await tool(page, 'Print pro forma');
  await expect(page.getByTestId('pro-forma-mark')).toHaveText('NOT A RECEIPT');
  await expect(page.getByTestId('invoice-number')).toHaveCount(0);
  const quoteCode = await testIdText(page, 'control-code');
  expect(quoteCode).toMatch(CONTROL_CODE);
  await page.getByRole('button', { name: 'Close receipt' }).click();
  await expect(page.getByTestId('cart-line')).toHaveCount(1);

  // At the back office: the one real sale as an order; the journal holds the training sale and the pro forma.
  await go(page, 'History');
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByTestId('outbox-pending')).toHaveText('Nothing waiting to be sent');
  expect(backOffice.orders().map((o) => o.InvoiceNumber)).toEqual([invoice]);
  await expect
    .poll(() => journal(backOffice, register).filter((e) => ['Sale', 'Training', 'ProForma'].includes(e.kind)))
    .toEqual([
      { kind: 'Training', controlCode: trainingCode },
      { kind: 'Sale', controlCode: saleCode },
      { kind: 'ProForma', controlCode: quoteCode },
    ]);
  // The history lists the sale alone: a training sale is no sale.
  await expect(page.getByRole('button', { name: /^Reprint invoice/ })).toHaveCount(1);
});
