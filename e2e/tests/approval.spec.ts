import { test, expect, ready, tap, go, withBackOffice, approveAs, approvalDialog } from './backoffice';
import type { Page } from '@playwright/test';

/** Opens the price change of `article`'s cart line and types `text` into it. */
async function changeLine(page: Page, article: string, text: string, button: 'Set price' | 'Discount %') {
  const line = page.locator(`.cart-line[data-article="${article}"]`);
  // The panel stays open after a change that was not made (cancelled or refused).
  if (!(await line.locator('details.override').evaluate((d) => (d as HTMLDetailsElement).open))) {
    await line.locator('summary', { hasText: 'Change price' }).click();
  }
  await line.getByRole('textbox').fill(text);
  await line.getByRole('button', { name: button }).click();
}

test('a discount approved offline with the back office stopped reaches it after the restart and is listed for review', async ({ page }) => {
  await withBackOffice([], async (backOffice) => {
    await ready(page, backOffice.url);
    await backOffice.stop();
    await tap(page, 'W300');
    await changeLine(page, 'W300', '10', 'Discount %');
    const approval = approvalDialog(page);
    await expect(approval.getByTestId('approval-what')).toHaveText('Take 10% off Ultimate wash: 29.90 SEK below the customer\'s prices.');
    await approveAs(page);
    await expect(approval).toHaveCount(0);
    await expect(page.locator('.cart-line[data-article="W300"]').getByTestId('line-total')).toHaveText('269.10 SEK');
    await expect(page.getByTestId('cart-approval')).toHaveText('Approved by a manager on this tablet alone: the back office reviews it.');

    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Card', exact: true }).click();
    await page.getByRole('button', { name: 'Complete sale' }).click();
    await expect(page.getByTestId('offline-mark')).toHaveText('Sold offline');
    await expect(page.getByTestId('receipt-total')).toHaveText('269.10 SEK');
    await page.getByRole('button', { name: 'Close receipt' }).click();

    await backOffice.restart();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await go(page, 'History');
    await expect(page.getByTestId('history-state').first()).toHaveText('At the back office');
    const orders = backOffice.orders();
    expect(orders.map((o) => o.Total)).toEqual(['269.10']);
    const listed = JSON.parse(backOffice.admin('report', 'offline-approvals'));
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ OrderId: orders[0].Id, UserName: 'Magnus Manager', Amount: '29.90' });
  });
});

test('offline, a discount over the offline limit is refused at the till with the reason', async ({ page }) => {
  await withBackOffice([], async (backOffice) => {
    await ready(page, backOffice.url);
    await backOffice.stop();
    await tap(page, 'W300');
    await tap(page, 'W300');
    await changeLine(page, 'W300', '50', 'Discount %');
    const approval = approvalDialog(page);
    await approveAs(page);
    // 2 × 149.50 given away: more than the 200 a manager may approve on the tablet alone.
    await expect(approval.getByRole('alert')).toContainText('This moves 299.00 SEK, more than the 200.00 SEK a manager may approve');
    await expect(approval.getByRole('alert')).toContainText('It needs the back office');
    await approval.getByRole('button', { name: 'Cancel' }).click();
    await expect(approval).toHaveCount(0);
    await expect(page.getByTestId('cart-total')).toHaveText('598.00 SEK');
    // Within the limit it goes.
    await changeLine(page, 'W300', '20', 'Discount %');
    await approveAs(page);
    await expect(approval).toHaveCount(0);
    await expect(page.getByTestId('cart-total')).toHaveText('478.40 SEK');
  });
});

test('Fleet prices by hand without a fleet customer ask for a manager; a fleet customer brings them alone', async ({ page, backOffice }) => {
  await ready(page, backOffice.url);
  await tap(page, 'W100');
  const group = page.getByLabel('Price group');
  await group.selectOption({ label: 'Fleet' });
  const approval = approvalDialog(page);
  await expect(approval.getByTestId('approval-what')).toHaveText('Sell this cart at Fleet prices: 30.00 SEK below the customer\'s prices.');
  await approval.getByRole('button', { name: 'Cancel' }).click();
  await expect(group).toHaveValue('1');
  await expect(page.getByTestId('cart-total')).toHaveText('149.00 SEK');

  await group.selectOption({ label: 'Fleet' });
  await approveAs(page);
  await expect(approval).toHaveCount(0);
  await expect(group).toHaveValue('3');
  await expect(page.getByTestId('cart-total')).toHaveText('119.00 SEK');
  // The approval was recorded for this sale's id: api/Sale takes the Fleet price.
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Card', exact: true }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByTestId('receipt-total')).toHaveText('119.00 SEK');
  await expect(page.getByTestId('offline-mark')).toHaveCount(0);
  await page.getByRole('button', { name: 'Close receipt' }).click();
  await expect(group).toHaveValue('1');
  await go(page, 'History');
  await expect(page.getByTestId('history-state').first()).toHaveText('At the back office');
  expect(backOffice.orders().map((o) => o.Total)).toEqual(['119.00']);

  // The price group follows the customer: a fleet customer's cart is in Fleet prices, removing them ends it.
  await go(page, 'Sale');
  await page.getByLabel('Card number, tag or licence plate').fill('FLT001');
  await page.getByRole('button', { name: 'Find customer' }).click();
  await expect(page.getByTestId('customer')).toContainText('Fleet Logistics AB');
  await expect(group).toHaveValue('3');
  await expect(approval).toHaveCount(0);
  await page.getByRole('button', { name: 'Remove customer' }).click();
  await expect(group).toHaveValue('1');
});

test('five wrong PINs lock the manager at the back office: the till shows the wait and approves nothing offline', async ({ page, backOffice }) => {
  await ready(page, backOffice.url);
  await tap(page, 'W100');
  await changeLine(page, 'W100', '100', 'Set price');
  const approval = approvalDialog(page);
  for (let i = 1; i <= 5; i++) {
    await approveAs(page, `1111111${i}`);
    await expect(approval.getByRole('button', { name: 'Approve' })).toBeEnabled();
    await expect(approval.getByRole('alert')).toHaveText("That is not Magnus Manager's PIN.");
  }
  // Now even the right PIN waits: a lock is the back office's answer, not a reason to check offline.
  await approveAs(page);
  await expect(approval.getByRole('alert')).toContainText('Too many wrong PINs for Magnus Manager. Try again in');
  await approval.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.locator('.cart-line[data-article="W100"]').getByTestId('line-total')).toHaveText('149.00 SEK');
});

test('a manager deactivated at the back office approves nothing, and leaves the tablet with the next sync', async ({ page, backOffice }) => {
  await ready(page, backOffice.url);
  await tap(page, 'W100');
  backOffice.admin('deactivate-staff', '2001');
  await changeLine(page, 'W100', '100', 'Set price');
  const approval = approvalDialog(page);
  await approveAs(page);
  await expect(approval.getByRole('alert')).toHaveText('That member of staff is not active here.');
  await approval.getByRole('button', { name: 'Cancel' }).click();

  const syncNow = page.getByRole('button', { name: 'Sync now' });
  await syncNow.click();
  await expect(syncNow).toBeEnabled();
  await changeLine(page, 'W100', '100', 'Set price');
  await expect(approval).toContainText('No manager who may approve this is known to this tablet');
  await expect(approval.getByRole('button', { name: 'Approve' })).toBeDisabled();
  await approval.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.locator('.cart-line[data-article="W100"]').getByTestId('line-total')).toHaveText('149.00 SEK');
});
