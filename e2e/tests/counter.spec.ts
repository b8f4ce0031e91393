// The counter as a busy cashier works it (issue 19): quick cash and its
// taps, Enter in the amount field, the change shown large, the account
// methods that need a customer, and a receipt header one line each.
import type { Page } from '@playwright/test';
import { test, expect, ready, tap } from './backoffice';

/** Counts the taps (trusted clicks) the page receives from now on. */
async function countTaps(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    const w = window as unknown as { taps: number };
    w.taps = 0;
    document.addEventListener('click', (e) => { if (e.isTrusted) w.taps += 1; }, true);
  });
  return () => page.evaluate(() => (window as unknown as { taps: number }).taps);
}

test('an exact cash sale takes three taps after the items: Pay, the exact amount, Complete', async ({ page, backOffice }) => {
  await ready(page, backOffice.url);
  await tap(page, 'W100');
  await tap(page, 'C200');
  await expect(page.getByTestId('cart-total')).toHaveText('181.50 SEK');
  const taps = await countTaps(page);

  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Payment' });
  // Cash is rounded to whole kronor: 182 exact, then the next notes up.
  const quick = dialog.getByRole('group', { name: 'Cash received' }).getByRole('button');
  await expect(quick).toHaveText(['182 exact', '190', '200', '500']);
  await quick.first().click();
  await expect(dialog.getByTestId('change-due')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByTestId('receipt-total')).toHaveText('182.00 SEK');
  expect(await taps()).toBe(3);
  await page.getByRole('button', { name: 'Close receipt' }).click();
  await expect.poll(() => backOffice.orders().map((o) => o.Total)).toEqual(['182.00']);
});

test('a note from the quick cash shows the change large; Enter in the amount field completes the sale', async ({ page, backOffice }) => {
  await ready(page, backOffice.url);
  await tap(page, 'W100');
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Payment' });
  await dialog.getByRole('group', { name: 'Cash received' }).getByRole('button', { name: '200', exact: true }).click();
  const change = dialog.getByTestId('change-due');
  await expect(change).toHaveText('Change to give: 51.00 SEK');
  // Large: the amount is at least twice the size of the dialog's text.
  const sizes = await change.locator('strong').evaluate((el) => [
    parseFloat(getComputedStyle(el).fontSize),
    parseFloat(getComputedStyle(el.closest('dialog')!).fontSize),
  ]);
  expect(sizes[0]).toBeGreaterThanOrEqual(2 * sizes[1]);
  // The wrong note: undo it and pay with Enter instead.
  await dialog.getByRole('button', { name: 'Undo last payment' }).click();
  await expect(change).toHaveCount(0);
  await dialog.getByLabel('Amount or cash received').fill('500');
  await dialog.getByLabel('Amount or cash received').press('Enter');
  await expect(page.getByTestId('receipt-total')).toHaveText('149.00 SEK');
  await expect(page.getByTestId('receipt-change-due')).toHaveText('Change to give: 351.00 SEK');
  await expect(page.getByTestId('receipt-change')).toHaveText('351.00 SEK');
  await page.getByRole('button', { name: 'Close receipt' }).click();

  // Enter with the field empty: exactly what is due, in cash.
  await tap(page, 'X10');
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await dialog.getByLabel('Amount or cash received').press('Enter');
  await expect(page.getByTestId('receipt-total')).toHaveText('49.00 SEK');
  await expect(page.getByTestId('receipt-change-due')).toHaveCount(0);
  await page.getByRole('button', { name: 'Close receipt' }).click();
  await expect.poll(() => backOffice.orders().map((o) => o.Total)).toEqual(['149.00', '49.00']);
});

test('methods that need a customer are disabled, with the reason, until one is on the sale', async ({ page, backOffice }) => {
  await ready(page, backOffice.url);
  await tap(page, 'X10');
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Payment' });
  const reason = 'Needs a customer on the sale: scan or find the customer first.';
  await expect(dialog.getByTestId('method-why')).toHaveText(reason);
  for (const method of ['Customer credit', 'Prepaid card', 'Birthday wash', 'Wash club']) {
    const button = dialog.getByRole('button', { name: method, exact: true });
    await expect(button).toBeDisabled();
    await expect(button).toHaveAccessibleDescription(reason);
  }
  for (const method of ['Cash', 'Card', 'Swish']) {
    await expect(dialog.getByRole('button', { name: method, exact: true })).toBeEnabled();
  }
  await dialog.getByRole('button', { name: 'Back to cart' }).click();

  await page.getByLabel('Card number, tag or licence plate').fill('CRD100');
  await page.getByRole('button', { name: 'Find customer' }).click();
  await expect(page.getByTestId('customer')).toContainText('Carl Credit');
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await expect(dialog.getByTestId('method-why')).toHaveCount(0);
  const credit = dialog.getByRole('button', { name: 'Customer credit', exact: true });
  await expect(credit).toBeEnabled();
  // Once part is paid by card, an account can no longer pay the rest.
  await dialog.getByLabel('Amount or cash received').fill('10');
  await dialog.getByRole('button', { name: 'Card', exact: true }).click();
  await expect(credit).toBeDisabled();
  await expect(dialog.getByTestId('method-why')).toContainText('pays the whole sale on its own');
  await dialog.getByRole('button', { name: 'Undo last payment' }).click();
  await credit.click();
  await dialog.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByTestId('receipt-total')).toHaveText('49.00 SEK');
});

test('the receipt header keeps its lines and names the shop once', async ({ page, backOffice }) => {
  backOffice.admin(
    'set-setting',
    'ReceiptHeader',
    JSON.stringify('Demo Car Wash\nStorgatan 1, 211 22 Malmö\nOrg.nr 556000-0000\nOpen every day 7–21'),
  );
  await ready(page, backOffice.url);
  await tap(page, 'C100');
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.getByRole('dialog', { name: 'Payment' }).getByRole('button', { name: 'Card', exact: true }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  const receipt = page.getByTestId('receipt');
  await expect(receipt.getByTestId('receipt-header-line')).toHaveText([
    'Demo Car Wash',
    'Storgatan 1, 211 22 Malmö',
    'Org. no. 556000-0000',
    'Open every day 7–21',
  ]);
  // Each on a line of its own, one below the other.
  const tops = await receipt.getByTestId('receipt-header-line').evaluateAll((all) => all.map((p) => p.getBoundingClientRect().top));
  expect(tops).toEqual([...tops].sort((a, b) => a - b));
  expect(new Set(tops).size).toBe(4);
  expect((await receipt.innerText()).match(/Demo Car Wash/g)).toHaveLength(1);
});
