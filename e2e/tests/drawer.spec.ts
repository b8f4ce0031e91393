import { test, expect, cashierIn, cashSale, ready, go } from './backoffice';

test('a shift: float, sales, cash out with a reason, X report, count, and a Z report that waits for unsent sales', async ({ page, backOffice }) => {
  await ready(page, backOffice.url, '1001');
  await go(page, 'Cash drawer');
  const state = page.getByTestId('drawer-state');
  await expect(state).toHaveText('The drawer is closed.');
  await page.getByLabel('Starting float').fill('500');
  await page.getByRole('button', { name: 'Open drawer' }).click();
  await expect(state).toContainText('float 500.00 SEK');

  await go(page, 'Sale');
  await cashSale(page, 'W100');
  await go(page, 'Cash drawer');
  const drawer = page.getByRole('region', { name: 'Cash drawer' });
  await drawer.getByLabel('Amount').fill('100');
  await drawer.getByRole('button', { name: 'Cash out' }).click();
  await expect(page.getByTestId('drawer-error')).toHaveText('Say why the cash goes in or out.');
  await drawer.getByLabel('Reason').fill('To the safe');
  await drawer.getByRole('button', { name: 'Cash out' }).click();
  await expect(page.getByTestId('drawer-error')).toHaveCount(0);
  // A cashier may not close the drawer.
  await expect(drawer.getByRole('button', { name: 'Close drawer' })).toHaveCount(0);

  await drawer.getByRole('button', { name: 'X report' }).click();
  const report = page.getByTestId('drawer-report');
  await expect(report.getByRole('heading', { name: 'X report' })).toBeVisible();
  await expect(report.getByTestId('report-sales')).toHaveText('1');
  await expect(report.getByTestId('report-turnover')).toHaveText('149.00 SEK');
  // 500 float + 149 cash taken - 100 to the safe.
  await expect(report.getByTestId('report-count')).toContainText(['Cash549.00 SEK']);
  // Nothing was counted: only what the drawer should hold, no "Counted" column, no difference.
  await expect(report.getByRole('columnheader')).toHaveText(['Method', 'Expected']);
  await expect(report.getByTestId('report-count').first().getByRole('cell')).toHaveText(['Cash', '549.00 SEK']);
  await expect(report.getByTestId('report-difference')).toHaveCount(0);
  await expect(report.getByTestId('report-not-counted')).toBeVisible();
  await page.getByRole('button', { name: 'Close report' }).click();

  // A sale the back office does not get yet.
  await page.route('**/api/**', (route) => route.abort());
  await go(page, 'Sale');
  await cashSale(page, 'X10');
  await go(page, 'History');
  await expect(page.getByTestId('history-state').first()).toHaveText('Waiting to be sent');

  await page.getByRole('button', { name: 'Switch cashier' }).click();
  await cashierIn(page, '2001');
  await go(page, 'Cash drawer');
  await drawer.getByRole('button', { name: 'Close drawer' }).click();
  const count = page.getByRole('dialog', { name: 'Count the drawer' });
  await count.getByLabel('Counted Cash').fill('590');
  await count.getByRole('button', { name: 'Close drawer' }).click();
  await expect(report.getByRole('heading', { name: 'Z report' })).toBeVisible();
  // Expected 549 + 49 = 598 in cash; 590 counted.
  await expect(report.getByTestId('report-count')).toContainText(['Cash598.00 SEK590.00 SEK']);
  await expect(report.getByRole('columnheader')).toHaveText(['Method', 'Expected', 'Counted']);
  await expect(report.getByTestId('report-difference')).toHaveText('Difference: -8.00 SEK');
  await expect(report.getByTestId('report-not-counted')).toHaveCount(0);
  await expect(report.getByTestId('z-waits')).toContainText('1 sales of this shift are not at the back office yet');

  await page.unroute('**/api/**');
  await report.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByTestId('outbox-pending')).toHaveText('Nothing waiting to be sent');
  await expect(state).toHaveText('The drawer is closed; the Z report is still to be made.');
  await drawer.getByRole('button', { name: 'Z report' }).click();
  await expect(report.getByTestId('z-waits')).toHaveCount(0);
  await report.getByRole('button', { name: 'Make Z report' }).click();
  await expect(report.getByTestId('z-made')).toBeVisible();
  await page.getByRole('button', { name: 'Close report' }).click();
  await expect(state).toHaveText('The drawer is closed.');

  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect.poll(() => JSON.parse(backOffice.admin('records', 'CashDrawerLog')).map((l: { Event: string }) => l.Event)).toEqual(
    ['Open', 'CashOut', 'XReport', 'Close', 'ZReport'],
  );
  const close = JSON.parse(backOffice.admin('records', 'CashDrawerLog'))[3];
  expect(close.Counted).toEqual([{ Method: 0, Expected: 598.0, Counted: 590.0 }]);
});
