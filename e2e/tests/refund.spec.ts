import { test, expect, cashierIn, ready, tap, go } from './backoffice';

test('a manager refunds part of a sale, then the rest is limited, and a refund without a receipt is queued too', async ({ page, backOffice }) => {
  await ready(page, backOffice.url, '1001');
  for (const article of ['S100', 'S100', 'K200']) await tap(page, article);
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Cash', exact: true }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByTestId('receipt-total')).toHaveText('449.00 SEK');
  await page.getByRole('button', { name: 'Close receipt' }).click();
  await tap(page, 'C100');
  await go(page, 'History');
  await expect(page.getByTestId('history-state').first()).toHaveText('At the back office');

  // A cashier may not refund: neither from the history nor without a receipt.
  await expect(page.getByRole('button', { name: 'Refund invoice 1' })).toHaveCount(0);
  await go(page, 'Sale');
  await expect(page.getByRole('button', { name: 'Refund without receipt' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Switch cashier' }).click();
  await cashierIn(page, '2001');
  await go(page, 'History');
  await page.getByRole('button', { name: 'Refund invoice 1' }).click();
  const dialog = page.getByRole('dialog', { name: 'Refund invoice 1' });
  await expect(dialog.getByTestId('refund-item')).toHaveCount(2);
  await dialog.getByLabel('Microfibre cloth').fill('1');
  await dialog.getByLabel('K200 (Premium wash + Hot wax)').fill('0');
  // 89.90 back in cash, rounded to whole kronor like the sale was.
  await expect(dialog.getByTestId('refund-total')).toHaveText('To pay back: 90.00 SEK');
  await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Refund', exact: true })).toBeVisible();
  await expect(page.getByTestId('receipt-total')).toHaveText('-90.00 SEK');
  await page.getByRole('button', { name: 'Close receipt' }).click();
  const refundRow = page.locator('[data-testid="history-row"][data-invoice="2"]');
  await expect(refundRow).toContainText('refund of 1');
  await expect(refundRow.getByTestId('history-state')).toHaveText('At the back office');
  await expect.poll(() => backOffice.orders().map((o) => o.Total)).toEqual(['449.00', '-90.00']);

  // What is left of the sale is all that can be refunded.
  await page.getByRole('button', { name: 'Refund invoice 1' }).click();
  await dialog.getByLabel('Microfibre cloth').fill('2');
  await expect(dialog.getByTestId('refund-total')).toHaveText('Only 1 of Microfibre cloth can still be refunded.');
  await expect(dialog.getByRole('button', { name: 'Refund', exact: true })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Cancel refund' }).click();

  // A refund without a receipt: the cart's lines (kept while the cashier looked at the history), paid back in cash.
  await go(page, 'Sale');
  await expect(page.getByTestId('cart-line')).toHaveCount(1);
  await page.getByRole('button', { name: 'Refund without receipt' }).click();
  const standalone = page.getByRole('dialog', { name: 'Refund without receipt' });
  await expect(standalone.getByLabel('Coffee')).toHaveValue('1');
  await standalone.getByRole('button', { name: 'Refund', exact: true }).click();
  await expect(page.getByTestId('receipt-total')).toHaveText('-25.00 SEK');
  await page.getByRole('button', { name: 'Close receipt' }).click();
  await expect(page.getByTestId('cart-line')).toHaveCount(0);
  await expect.poll(() => backOffice.orders().map((o) => o.Total)).toEqual(['449.00', '-90.00', '-25.00']);
});
