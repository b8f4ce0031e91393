import { test, expect, cashSale, ready, go } from './backoffice';
import type { Page, Route } from '@playwright/test';
import { readFileSync } from 'node:fs';

const row = (page: Page, invoice: number) => page.locator(`[data-testid="history-row"][data-invoice="${invoice}"]`);

test('a refused record needs attention while the rest flush; a manager exports, corrects and voids', async ({ page, backOffice }) => {
  await ready(page, backOffice.url, '2001');

  // Sales go by PostOrder only; the invoices named in `spoil` reach the back office with a wrong payment.
  const spoil = new Set<number>([1]);
  await page.route('**/api/Sale', (route) => route.abort());
  await page.route('**/api/Order/PostOrder', async (route: Route) => {
    const records = JSON.parse(route.request().postData() ?? '[]');
    for (const r of records) if (spoil.has(r.InvoiceNumber)) r.Payments[0].Amount = 1;
    await route.continue({ postData: JSON.stringify(records) });
  });
  await cashSale(page, 'W100');
  await cashSale(page, 'X10');
  await page.getByRole('button', { name: 'Sync now' }).click();
  await go(page, 'History');
  await expect(row(page, 2).getByTestId('history-state')).toHaveText('At the back office');
  await expect(row(page, 1).getByTestId('history-state')).toContainText('Needs attention: Payments: they add up to 1, not to Total');
  // The status strip says so on every screen, and leads to the records.
  await expect(page.getByTestId('needs-attention')).toHaveText('Needs attention: 1');
  expect(backOffice.orders().map((o) => o.InvoiceNumber)).toEqual([2]);
  // The invoice counter went too: one refused order holds back nothing else.
  await expect(page.getByTestId('outbox-pending')).toHaveText('Nothing waiting to be sent');

  await page.getByTestId('needs-attention').click();
  await expect(page.getByRole('heading', { name: 'Needs attention' })).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export unsent records' }).click();
  const file = JSON.parse(readFileSync((await (await download).path())!, 'utf8'));
  type Exported = { Kind: string; State: string; Body: { InvoiceNumber: number } };
  // The register's journal entries sealed since the last send may be in the file too, waiting (not refused).
  const records: Exported[] = file.Records;
  expect(records.filter((r) => r.Kind !== 'Journal').map((r) => [r.Kind, r.State, r.Body.InvoiceNumber])).toEqual([['Order', 'Attention', 1]]);
  expect(records.filter((r) => r.Kind === 'Journal' && r.State !== 'Pending')).toEqual([]);

  const record = page.getByTestId('attention-record');
  await record.getByRole('button', { name: /^Correct Order/ }).click();
  const editor = page.getByRole('dialog', { name: /^Correct Order/ });
  const body = editor.getByLabel('Record (JSON)');
  const original = await body.inputValue();
  await body.fill('{');
  await editor.getByRole('button', { name: 'Save and send again' }).click();
  await expect(editor.getByRole('alert')).toContainText('not valid JSON');
  spoil.clear();
  await body.fill(original.replace('"CashierName": "Magnus Manager"', '"CashierName": "Magnus Manager (corrected)"'));
  await editor.getByRole('button', { name: 'Save and send again' }).click();
  await expect(page.getByTestId('needs-attention')).toHaveCount(0);
  await go(page, 'History');
  await expect(row(page, 1).getByTestId('history-state')).toHaveText('At the back office');
  expect(backOffice.orders().map((o) => o.InvoiceNumber).sort()).toEqual([1, 2]);

  spoil.add(3);
  await go(page, 'Sale');
  await cashSale(page, 'S100');
  await go(page, 'History');
  await expect(row(page, 3).getByTestId('history-state')).toContainText('Needs attention');
  await go(page, 'Sync');
  await record.getByRole('button', { name: /^Void Order/ }).click();
  await expect(page.getByTestId('needs-attention')).toHaveCount(0);
  await go(page, 'History');
  await expect(row(page, 3).getByTestId('history-state')).toContainText('Voided, not sent');
  // The back office still learns of the voided sale, through the device log that carries it.
  await expect.poll(() => JSON.parse(backOffice.admin('records', 'DeviceLog')).map((l: { Message: string }) => l.Message).join()).toContain('Magnus Manager voided Order');
  expect(backOffice.orders().map((o) => o.InvoiceNumber).sort()).toEqual([1, 2]);
});
