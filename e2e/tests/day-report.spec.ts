// The register's X and Z day reports at the till (issue 20, SKVFS 2014:9):
// the X report so far sums the journal (sales, returns, VAT, grand totals),
// a Z report is numbered and taken once a shop day, and the next day's Z
// continues the grand totals of the one before.
import { test, expect, ready, cashSale, go, approveAs, approvalDialog } from './backoffice';
import type { Page } from '@playwright/test';

const DAY = 24 * 60 * 60 * 1000;

/** The shop's day (Europe/Stockholm, the demo tenant's zone) at `at`, as the reports write it. */
function shopDay(at: number): string {
  return new Date(at).toLocaleDateString('en-CA', { timeZone: 'Europe/Stockholm' });
}

async function dayReport(page: Page) {
  const link = page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Day report', exact: true });
  await link.click();
  await expect(link).toHaveAttribute('aria-current', 'page');
}

/** The cells of the counts or grand-totals row `id` (its header cell first). */
function row(page: Page, id: string) {
  return page.getByTestId(id).locator('th, td');
}

async function takeZ(page: Page, number: number) {
  await page.getByRole('button', { name: 'Take Z report' }).click();
  const confirm = page.getByRole('dialog', { name: 'Take the Z report?' });
  await expect(confirm.getByTestId('z-confirm-what')).toContainText(`Z report ${number} closes`);
  await confirm.getByRole('button', { name: 'Take Z report' }).click();
  await expect(approvalDialog(page).getByText(`Take Z report ${number} of`)).toBeVisible();
  await approveAs(page);
}

test('the X report sums the day, a Z is taken once a day, and the next day’s Z continues its grand totals', async ({ page, backOffice }) => {
  // Yesterday on the tablet's clock, so that "tomorrow" is today for the back office.
  const now = Date.now();
  await page.clock.install({ time: new Date(now - DAY) });
  const [first, second] = [shopDay(now - DAY), shopDay(now)];
  await ready(page, backOffice.url);
  await go(page, 'Cash drawer');
  await page.getByLabel('Starting float').fill('500');
  await page.getByRole('button', { name: 'Open drawer' }).click();
  await expect(page.getByTestId('drawer-state')).toContainText('float 500.00 SEK');
  await go(page, 'Sale');
  await cashSale(page, 'W100'); // 149.00, 25 % VAT
  await cashSale(page, 'C100'); // 25.00, 12 % VAT

  // The coffee comes back, approved by the manager.
  await go(page, 'History');
  await page.getByRole('button', { name: 'Refund invoice 2' }).click();
  await page.getByRole('dialog', { name: 'Refund invoice 2' }).getByRole('button', { name: 'Refund', exact: true }).click();
  await approveAs(page);
  await expect(page.getByTestId('receipt-total')).toHaveText('-25.00 SEK');
  await page.getByRole('button', { name: 'Close receipt' }).click();

  await dayReport(page);
  await expect(page.getByTestId('day-facts')).toContainText(`shop day ${first}`);
  await expect(page.getByTestId('x-so-far')).toBeVisible();
  await expect(row(page, 'day-receipts')).toHaveText(['Receipts', '3', '']);
  await expect(row(page, 'day-sales')).toHaveText(['Sales', '2', '174.00 SEK']);
  await expect(row(page, 'day-returns')).toHaveText(['Returns', '1', '25.00 SEK']);
  await expect(row(page, 'day-copies')).toHaveText(['Copies', '0', '0.00 SEK']);
  await expect(row(page, 'day-float')).toHaveText(['Float', '', '500.00 SEK']);
  await expect(page.getByTestId('day-group')).toHaveText(['Café0.00 SEK', 'Washes149.00 SEK']);
  // The coffee sold and returned nets to nothing at 12 %; the wash is 149.00 with 29.80 VAT at 25 %.
  await expect(page.getByTestId('day-vat-rate')).toHaveText(['12%0.00 SEK0.00 SEK', '25%149.00 SEK29.80 SEK']);
  await expect(page.getByTestId('day-method')).toHaveText(['Cash149.00 SEK']);
  await expect(page.getByTestId('day-vat').getByRole('columnheader')).toHaveText(['Rate', 'Sales incl. VAT', 'VAT']);
  await expect(row(page, 'day-grand-sales')).toHaveText(['Sales', '0.00 SEK', '174.00 SEK']);
  await expect(row(page, 'day-grand-returns')).toHaveText(['Returns', '0.00 SEK', '25.00 SEK']);
  await expect(row(page, 'day-grand-net')).toHaveText(['Net', '0.00 SEK', '149.00 SEK']);

  // An X report is journaled; without a report printer, the screen is the report.
  await page.getByRole('button', { name: 'Print X report' }).click();
  await expect(page.getByTestId('day-print-status')).toHaveText(/^X report recorded\./);

  // Z number 1: the day's net is its grand total.
  await takeZ(page, 1);
  await expect(page.getByTestId('z-taken')).toHaveText(`Z report 1 of ${first}`);
  await expect(row(page, 'day-sales')).toHaveText(['Sales', '2', '174.00 SEK']);
  await expect(row(page, 'day-grand-net')).toHaveText(['Net', '0.00 SEK', '149.00 SEK']);
  await page.getByRole('button', { name: 'Show the day so far' }).click();
  await expect(row(page, 'day-receipts')).toHaveText(['Receipts', '0', '']);
  await expect(row(page, 'day-grand-net')).toHaveText(['Net', '149.00 SEK', '149.00 SEK']);

  // A second Z the same day is refused before anyone is asked to approve it.
  await page.getByRole('button', { name: 'Take Z report' }).click();
  await expect(page.getByTestId('day-error')).toHaveText(`A Z report was already taken on ${first}: one a day per register.`);
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // The next day: one more sale, and Z number 2 continues the first's grand totals.
  await page.clock.setSystemTime(new Date(now));
  await go(page, 'Sale');
  await cashSale(page, 'X10'); // 49.00
  await dayReport(page);
  await expect(page.getByTestId('day-facts')).toContainText(`shop day ${second}`);
  await expect(row(page, 'day-sales')).toHaveText(['Sales', '1', '49.00 SEK']);
  await expect(page.getByTestId('day-group')).toHaveText(['Extras49.00 SEK']);
  await takeZ(page, 2);
  await expect(page.getByTestId('z-taken')).toHaveText(`Z report 2 of ${second}`);
  await expect(row(page, 'day-grand-sales')).toHaveText(['Sales', '174.00 SEK', '223.00 SEK']);
  await expect(row(page, 'day-grand-returns')).toHaveText(['Returns', '25.00 SEK', '25.00 SEK']);
  await expect(row(page, 'day-grand-net')).toHaveText(['Net', '149.00 SEK', '198.00 SEK']);

  const register = ((await page.getByTestId('day-facts').textContent()) ?? '').match(/Register (\S+),/)![1];
  // Both Z reports reach the back office, which checks their numbers and grand totals.
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect
    .poll(() => [...backOffice.admin('export-journal', register, '--from', '2000-01-01', '--to', '2100-01-01').matchAll(/Kind="ZReport"/g)].length)
    .toBe(2);

  // In Swedish, the report speaks as a Swedish shop does, amounts in kronor.
  await go(page, 'Terminal');
  await page.getByTestId('language-sv').click();
  await page.getByRole('navigation', { name: 'Skärmar' }).getByRole('link', { name: 'Dagsrapport', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Dagsrapport' })).toBeVisible();
  await expect(page.getByTestId('x-so-far')).toHaveText('X-rapport hittills');
  await expect(row(page, 'day-float')).toHaveText(['Växelkassa', '', '500,00 kr']);
  await expect(row(page, 'day-grand-net')).toHaveText(['Netto', '198,00 kr', '198,00 kr']);
  await page.getByRole('button', { name: 'Ta Z-rapport' }).click();
  await expect(page.getByTestId('day-error')).toHaveText(`En Z-rapport är redan tagen ${second}: en per dag och kassaregister.`);
});
