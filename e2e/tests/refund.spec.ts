import { test, expect, ready, tap, go, approveAs, approvalDialog } from './backoffice';

test('a refund is approved online by the manager (a wrong PIN first), then the rest is limited, and a refund without a receipt is approved too', async ({ page, backOffice }) => {
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

  // The cashier starts the refund; the manager's PIN approves it.
  await page.getByRole('button', { name: 'Refund invoice 1' }).click();
  const dialog = page.getByRole('dialog', { name: 'Refund invoice 1' });
  await expect(dialog.getByTestId('refund-item')).toHaveCount(2);
  await dialog.getByLabel('Microfibre cloth').fill('1');
  await dialog.getByLabel('K200 (Premium wash + Hot wax)').fill('0');
  // A cash sale goes back in cash: 89.90, rounded to whole kronor like the sale was.
  await expect(dialog.getByRole('radio')).toHaveCount(1);
  await expect(dialog.getByLabel('Cash', { exact: true })).toBeChecked();
  await expect(dialog.getByTestId('refund-total')).toHaveText('To pay back: 90.00 SEK');
  await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
  const approval = approvalDialog(page);
  await expect(approval.getByTestId('approval-what')).toHaveText('Refund invoice 1: pay back 90.00 SEK by Cash.');
  await approveAs(page, '11111111');
  // The back office checked the PIN and said so; nothing was refunded.
  await expect(approval.getByRole('alert')).toHaveText("That is not Magnus Manager's PIN.");
  await expect(approval.getByLabel('Manager PIN')).toHaveValue('');
  expect(backOffice.orders()).toHaveLength(1);
  await approveAs(page);
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

  // A refund without a receipt: the cart's lines (kept while the cashier looked at the history),
  // paid back in cash, by card or Swish, never to an account.
  await go(page, 'Sale');
  await expect(page.getByTestId('cart-line')).toHaveCount(1);
  await page.getByRole('button', { name: 'Refund without receipt' }).click();
  const standalone = page.getByRole('dialog', { name: 'Refund without receipt' });
  await expect(standalone.getByLabel('Coffee')).toHaveValue('1');
  await expect(standalone.getByRole('radio')).toHaveCount(3);
  for (const method of ['Cash', 'Card', 'Swish']) await expect(standalone.getByLabel(method, { exact: true })).toBeVisible();
  await standalone.getByRole('button', { name: 'Refund', exact: true }).click();
  await approveAs(page);
  await expect(page.getByTestId('receipt-total')).toHaveText('-25.00 SEK');
  await page.getByRole('button', { name: 'Close receipt' }).click();
  await expect(page.getByTestId('cart-line')).toHaveCount(0);
  await expect.poll(() => backOffice.orders().map((o) => o.Total)).toEqual(['449.00', '-90.00', '-25.00']);
  const unreceipted = JSON.parse(backOffice.admin('report', 'unreceipted-refunds'));
  expect(unreceipted).toHaveLength(1);
  expect(unreceipted[0].ApprovedBy).toBeTruthy();
});

test('a card sale is refunded to the card: its refund dialog offers Card and not Cash', async ({ page, backOffice }) => {
  await ready(page, backOffice.url, '1001');
  await tap(page, 'W100');
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Card', exact: true }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await page.getByRole('button', { name: 'Close receipt' }).click();
  await go(page, 'History');
  await expect(page.getByTestId('history-state').first()).toHaveText('At the back office');

  await page.getByRole('button', { name: 'Refund invoice 1' }).click();
  const dialog = page.getByRole('dialog', { name: 'Refund invoice 1' });
  await expect(dialog.getByLabel('Card', { exact: true })).toBeChecked();
  await expect(dialog.getByLabel('Cash', { exact: true })).toHaveCount(0);
  await expect(dialog.getByRole('radio')).toHaveCount(1);
  await expect(dialog.getByTestId('refund-total')).toHaveText('To pay back: 149.00 SEK');
  await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
  await approveAs(page);
  await expect(page.getByTestId('receipt-total')).toHaveText('-149.00 SEK');
  await page.getByRole('button', { name: 'Close receipt' }).click();
  await expect(page.locator('[data-testid="history-row"][data-invoice="2"]').getByTestId('history-state')).toHaveText('At the back office');
  await expect.poll(() => backOffice.orders().map((o) => o.Total)).toEqual(['149.00', '-149.00']);
  // Nothing is left to refund.
  await expect(page.getByRole('button', { name: 'Refund invoice 1' })).toHaveCount(0);
});
