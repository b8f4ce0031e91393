import { test, expect, ready, tap, go } from './backoffice';

test('a customer created at the till is checked, found at once, buys, and reaches the back office before the sale', async ({ page, backOffice }) => {
  await ready(page, backOffice.url, '1001');

  await page.getByRole('button', { name: 'New customer' }).click();
  const dialog = page.getByRole('dialog', { name: 'New customer' });
  await dialog.getByRole('button', { name: 'Save customer' }).click();
  await expect(dialog.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog).toContainText('Type the customer');
  await expect(dialog).toContainText('Give a card number or a licence plate');

  await dialog.getByLabel('Name').fill('Nina New');
  await dialog.getByLabel('Card number').fill('10000001');
  await dialog.getByLabel('E-mail').fill('nina@example');
  await dialog.getByRole('button', { name: 'Save customer' }).click();
  await expect(dialog).toContainText('That is not an e-mail address');
  await dialog.getByLabel('E-mail').fill('nina@example.se');
  await dialog.getByRole('button', { name: 'Save customer' }).click();
  // The card is already someone else's in the cache: refused before it is queued.
  await expect(dialog).toContainText('10000001 already belongs to');

  await dialog.getByLabel('Card number').fill('77770001');
  await dialog.getByLabel('Licence plate').fill('new 001');
  await dialog.getByRole('button', { name: 'Save customer' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('customer')).toContainText('Nina New');

  // A sale to the new customer goes out after the customer record.
  await tap(page, 'W100');
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Card', exact: true }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByTestId('receipt-total')).toHaveText('149.00 SEK');
  await page.getByRole('button', { name: 'Close receipt' }).click();
  await go(page, 'History');
  await expect(page.getByTestId('history-state').first()).toHaveText('At the back office');
  await expect(page.getByTestId('history-token').first()).not.toBeEmpty();
  const stored = JSON.parse(backOffice.admin('customer', '77770001'));
  expect([stored.Name, stored.LicensePlate, stored.Email]).toEqual(['Nina New', 'NEW001', 'nina@example.se']);
  expect(backOffice.orders()).toHaveLength(1);

  // Found by plate at the next visit, also after a sync replaced the cached row with the back office's.
  await page.getByRole('button', { name: 'Sync now' }).click();
  await go(page, 'Sale');
  await page.getByLabel('Card number, tag or licence plate').fill('NEW 001');
  await page.getByRole('button', { name: 'Find customer' }).click();
  await expect(page.getByTestId('customer')).toContainText('Nina New');
});
