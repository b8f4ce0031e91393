// The tour of every screen and dialog a cashier meets, from the first run
// to the Terminal screen: the accessibility and layout specs each look at
// every stop (`check`), so what one covers the other covers too.
import type { Page } from '@playwright/test';
import { expect, signIn, cashierIn, tap, go, approvalDialog, type BackOffice } from './backoffice';

/** Walks every screen and dialog of a fresh terminal, calling `check` at each, named. */
export async function everyScreen(page: Page, backOffice: BackOffice, check: (where: string) => Promise<void>): Promise<void> {
  await page.goto(backOffice.url);
  await expect(page.getByRole('heading', { name: 'Set up this terminal' })).toBeVisible();
  await check('first run');
  await signIn(page, backOffice.url);
  await page.getByTestId('catalogue-counts').filter({ hasText: '13 products, 50 customers cached' }).waitFor();
  await check('cashier sign-in');
  await cashierIn(page, '1001');

  for (const article of ['W100', 'C200', 'W300']) await tap(page, article);
  await check('sale');

  await page.getByRole('button', { name: 'New customer' }).click();
  const customer = page.getByRole('dialog', { name: 'New customer' });
  await expect(customer).toBeVisible();
  await check('new customer');
  await customer.getByRole('button', { name: 'Cancel' }).click();
  await expect(customer).toHaveCount(0);

  const line = page.locator('.cart-line[data-article="W300"]');
  await line.locator('summary', { hasText: 'Change price' }).click();
  await check('change price');
  await line.getByRole('textbox').fill('10');
  await line.getByRole('button', { name: 'Discount %' }).click();
  await expect(approvalDialog(page)).toBeVisible();
  await check('manager approval');
  await approvalDialog(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(approvalDialog(page)).toHaveCount(0);

  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  const payment = page.getByRole('dialog');
  await expect(payment.getByRole('button', { name: 'Cash', exact: true })).toBeVisible();
  await check('payment');
  await payment.getByRole('button', { name: 'Cash', exact: true }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByTestId('receipt')).toBeVisible();
  await check('receipt');
  await page.getByRole('button', { name: 'Close receipt' }).click();

  await go(page, 'History');
  await expect(page.getByTestId('history-state').first()).toHaveText('At the back office');
  await check('history');
  await page.getByRole('button', { name: 'Refund invoice 1' }).click();
  await expect(page.getByRole('dialog', { name: 'Refund invoice 1' })).toBeVisible();
  await check('refund');
  await page.getByRole('button', { name: 'Cancel refund' }).click();

  await go(page, 'Cash drawer');
  await expect(page.getByTestId('drawer-state')).toBeVisible();
  await check('cash drawer');
  await go(page, 'Sync');
  await check('sync');
  await go(page, 'Terminal');
  await check('terminal');
}
