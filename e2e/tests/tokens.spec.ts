// A wash token for every wash sold (issue 18): paid two ways, sold offline
// from the terminal's reserve, and voided by a refund, each checked by the
// wash bay's own call (`api/WashToken/PostValidation`), which accepts a token once.
import { test, expect, ready, tap, go, approveAs } from './backoffice';
import { pay, receiptToken, validateToken } from './commerce-helpers';

test('a wash paid by cash and card and a wash sold offline carry tokens the bay accepts once; a refunded wash’s token is refused', async ({ page, backOffice }) => {
  await ready(page, backOffice.url);

  // Cash and card together: the token is on the receipt at once.
  await tap(page, 'W100');
  await pay(page, 'Cash', '100');
  await pay(page, 'Card');
  await page.getByRole('button', { name: 'Complete sale' }).click();
  const split = await receiptToken(page);
  await page.getByRole('button', { name: 'Close receipt' }).click();
  expect(await validateToken(backOffice, split)).toMatchObject({ Valid: true });
  expect(await validateToken(backOffice, split)).toMatchObject({ Valid: false });

  // Sold with the back office away: the token comes from the reserve, and the
  // bay accepts it once even before the order has arrived.
  await backOffice.stop();
  await tap(page, 'W200');
  await pay(page, 'Card');
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByTestId('offline-mark')).toHaveText('Sold offline');
  const offline = await receiptToken(page);
  await page.getByRole('button', { name: 'Close receipt' }).click();
  await backOffice.restart();
  expect(await validateToken(backOffice, offline)).toMatchObject({ Valid: true });
  expect(await validateToken(backOffice, offline)).toMatchObject({ Valid: false });

  // A wash refunded before the car reached the bay: its token is void.
  await tap(page, 'W100');
  await pay(page, 'Cash');
  await page.getByRole('button', { name: 'Complete sale' }).click();
  const refunded = await receiptToken(page);
  await page.getByRole('button', { name: 'Close receipt' }).click();
  await go(page, 'History');
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByTestId('outbox-pending')).toHaveText('Nothing waiting to be sent');
  await page.getByRole('button', { name: 'Refund invoice 3' }).click();
  const dialog = page.getByRole('dialog', { name: 'Refund invoice 3' });
  await dialog.getByLabel('Basic wash').fill('1');
  await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
  await approveAs(page);
  await expect(page.getByRole('heading', { name: 'Refund', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Close receipt' }).click();
  await expect(page.locator('[data-testid="history-row"][data-invoice="4"]').getByTestId('history-state')).toHaveText('At the back office');
  const answer = await validateToken(backOffice, refunded);
  expect(answer.Valid).toBe(false);
  expect(answer.Message).toBeTruthy();
});
