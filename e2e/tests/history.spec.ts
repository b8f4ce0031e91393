// The sale history answers a customer at the counter (issue 19): each sale's
// items, payment methods and cashier; a search by invoice number, amount,
// licence plate or card number; and more than the newest 50, page by page.
import type { Page } from '@playwright/test';
import { test, expect, ready, tap, go } from './backoffice';

/** Rings up `articles` and pays with `method` (all of it), then closes the receipt. */
async function sell(page: Page, articles: string[], method: string): Promise<void> {
  for (const article of articles) await tap(page, article);
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.getByRole('dialog', { name: 'Payment' }).getByRole('button', { name: method, exact: true }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await page.getByRole('button', { name: 'Close receipt' }).click();
}

/** A quick exact cash sale of one coffee, with Enter in the amount field. */
async function coffee(page: Page): Promise<void> {
  await tap(page, 'C100');
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.getByLabel('Amount or cash received').press('Enter');
  await page.getByRole('button', { name: 'Close receipt' }).click();
}

function row(page: Page, invoice: number) {
  return page.locator(`[data-testid="history-row"][data-invoice="${invoice}"]`);
}

async function search(page: Page, text: string): Promise<void> {
  await page.getByLabel('Invoice, amount, licence plate or card').fill(text);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
}

test('each sale shows its items, methods and cashier, and a search finds it by invoice, amount, plate or card', async ({ page, backOffice }) => {
  await ready(page, backOffice.url);
  // 1: Eva Ek (card 10000001, plate ABC123) buys a wheel wash and two coffees by card.
  await page.getByLabel('Card number, tag or licence plate').fill('10000001');
  await page.getByRole('button', { name: 'Find customer' }).click();
  await expect(page.getByTestId('customer')).toContainText('Eva Ek');
  await sell(page, ['X10', 'C100', 'C100'], 'Card');
  // 2: a premium wash in cash, no customer; 3: a wheel wash by Swish.
  await sell(page, ['W200'], 'Cash');
  await sell(page, ['X10'], 'Swish');

  await go(page, 'History');
  await expect(page.getByTestId('history-row')).toHaveCount(3);
  await expect(row(page, 1).getByTestId('history-items')).toHaveText('Wheel wash, 2 × Coffee');
  await expect(row(page, 1).getByTestId('history-methods')).toHaveText('Card');
  await expect(row(page, 1).getByTestId('history-cashier')).toHaveText('Anna Andersson');
  await expect(row(page, 2).getByTestId('history-items')).toHaveText('Premium wash');
  await expect(row(page, 2).getByTestId('history-methods')).toHaveText('Cash');
  await expect(row(page, 2).getByTestId('history-total')).toHaveText('229.00 SEK');
  await expect(row(page, 3).getByTestId('history-methods')).toHaveText('Swish');

  const invoices = () => page.getByTestId('history-row').evaluateAll((all) => all.map((r) => Number(r.getAttribute('data-invoice'))));
  await search(page, '2');
  await expect(page.getByTestId('history-found')).toHaveText('1 sale matches “2”.');
  expect(await invoices()).toEqual([2]);
  await search(page, '229,00');
  await expect.poll(invoices).toEqual([2]);
  await search(page, '49');
  await expect.poll(invoices).toEqual([3]);
  // The customer's plate, typed as a cashier hears it, and their card number.
  await search(page, 'abc 123');
  await expect.poll(invoices).toEqual([1]);
  await search(page, '10000001');
  await expect.poll(invoices).toEqual([1]);
  await search(page, 'ZZZ999');
  await expect(page.getByTestId('history-found')).toHaveText('No sale matches “ZZZ999”.');
  await expect(page.getByTestId('history-row')).toHaveCount(0);

  // Found, it can be reprinted and refunded as from the full list.
  await search(page, 'abc123');
  await expect(page.getByRole('button', { name: 'Refund invoice 1' })).toBeVisible();
  await page.getByRole('button', { name: 'Reprint invoice 1' }).click();
  await expect(page.getByTestId('copy-mark')).toHaveText('COPY');
  await page.getByRole('button', { name: 'Close receipt' }).click();

  await page.getByRole('button', { name: 'Show all' }).click();
  await expect.poll(invoices).toEqual([3, 2, 1]);
});

test('the history shows the newest 50 sales and older ones page by page', async ({ page, backOffice }) => {
  test.setTimeout(240_000);
  await ready(page, backOffice.url);
  for (let i = 0; i < 52; i++) await coffee(page);
  await go(page, 'History');
  const rows = page.getByTestId('history-row');
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toHaveAttribute('data-invoice', '52');
  await expect(rows.last()).toHaveAttribute('data-invoice', '3');
  await page.getByRole('button', { name: 'Show older' }).click();
  await expect(rows).toHaveCount(52);
  await expect(rows.last()).toHaveAttribute('data-invoice', '1');
  await expect(page.getByRole('button', { name: 'Show older' })).toHaveCount(0);

  // A search pages the same way: all 52 coffees cost 25.
  await search(page, '25');
  await expect(page.getByTestId('history-found')).toHaveText('50+ sales match “25”.');
  await expect(rows).toHaveCount(50);
  await page.getByRole('button', { name: 'Show older' }).click();
  await expect(rows).toHaveCount(52);
  await expect(row(page, 25)).toBeVisible();
});
