// The till prints on the cash desk's network printer (issue 21): the demo
// desk's receipt printer is set, with the admin command, to the ePOS-Print
// emulator on loopback (e2e/printer/), and the emulator reads back what the
// terminal printed: the receipt's lines, the wash token's barcode, the
// feedback QR code, the cut and the drawer's pulse; and the X report, on the
// desk's report printer (the same emulator under another name).
import type { Page } from '@playwright/test';
import { test, expect, ready, tap, go, approveAs, BackOffice } from './backoffice';
import { PrinterEmulator } from '../printer/emulator';

let printer: PrinterEmulator;

test.beforeEach(async () => {
  printer = await PrinterEmulator.start({ silentHoldMs: 2_000 });
});

test.afterEach(async () => {
  await printer.stop().catch(() => undefined);
});

/**
 * Desk 1's receipt printer, with the drawer on it, is the emulator (before
 * the terminal's first pull); with `report`, so is its report printer "Office".
 */
function setPrinter(backOffice: BackOffice, report = false): void {
  const office = { Name: 'Office', Role: 'Report', Connection: 'Network', Address: printer.url, PaperWidthMm: 58, CodePage: 'Pc858', CashDrawer: false };
  backOffice.admin(
    'set-printers',
    '1',
    JSON.stringify([
      ...(report ? [office] : []),
      { Name: 'Counter', Role: 'Receipt', Connection: 'Network', Address: printer.url, PaperWidthMm: 80, CodePage: 'Pc858', CashDrawer: true },
    ]),
  );
}

/** Rings up `article` paid with `method` (exactly) and leaves the receipt open. */
async function sell(page: Page, article: string, method: 'Cash' | 'Card'): Promise<void> {
  await tap(page, article);
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: method, exact: true }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByTestId('receipt')).toBeVisible();
}

test('a cash sale prints its receipt and opens the drawer; a card sale does not; the Terminal screen checks and test-prints', async ({ page, backOffice }) => {
  setPrinter(backOffice);
  await ready(page, backOffice.url);

  await sell(page, 'W100', 'Cash');
  const status = page.getByTestId('print-status');
  await expect(status).toHaveText('Printed on Counter. The drawer opened.');
  const token = (await page.getByTestId('token-number').textContent())!.trim();
  const feedback = (await page.getByTestId('feedback-url').textContent())!.trim();
  const [sale] = printer.printedJobs();
  const printed = sale.parsed!;
  // Paper speaks the tenant's receipt language: the demo tenant's is Swedish.
  expect(printed.lines).toContain('KVITTO');
  expect(printed.lines.some((l) => /^1 x Basic wash +149,00\skr$/.test(l))).toBe(true);
  expect(printed.lines.some((l) => /^ATT BETALA +149,00\skr$/.test(l))).toBe(true);
  expect(printed.lines.some((l) => /^Kassör +Anna Andersson$/.test(l))).toBe(true);
  expect(printed.barcodes).toEqual([{ type: 'ean13', data: token }]);
  expect(printed.symbols).toEqual([{ type: 'qrcode_model_2', level: 'level_m', data: feedback }]);
  expect(printed.cut).toBe(true);
  expect(printed.drawerKicks).toEqual([{ drawer: 'drawer_1', time: 'pulse_100' }]);
  expect(printer.drawerOpen).toBe(true);
  // Print again: a copy, and no second pulse.
  await page.getByTestId('receipt').getByRole('button', { name: 'Print', exact: true }).click();
  await printer.waitForJobs(2);
  await expect(status).toHaveText('Printed on Counter.');
  expect(printer.lastJob().parsed!.lines.filter((l) => l === 'KOPIA')).toHaveLength(2);
  expect(printer.drawerPulses()).toBe(1);
  await page.getByRole('button', { name: 'Close receipt' }).click();
  printer.closeDrawer();

  await sell(page, 'X10', 'Card');
  await expect(status).toHaveText('Printed on Counter.');
  await printer.waitForJobs(3);
  const card = printer.lastJob().parsed!;
  expect(card.lines.some((l) => /^Kort +49,00\skr$/.test(l))).toBe(true);
  expect(card.drawerKicks).toEqual([]);
  expect(card.cut).toBe(true);
  expect(printer.drawerOpen).toBe(false);
  await page.getByRole('button', { name: 'Close receipt' }).click();

  // A reprint from the history is a copy and opens no drawer.
  await go(page, 'History');
  await page.getByRole('button', { name: 'Reprint invoice 1' }).click();
  await expect(page.getByTestId('copy-mark')).toHaveText('COPY');
  await expect(page.getByTestId('print-status')).toHaveText('Printed on Counter.');
  const copy = printer.lastJob().parsed!;
  expect(copy.lines.filter((l) => l === 'KOPIA')).toHaveLength(2);
  expect(copy.barcodes).toEqual([{ type: 'ean13', data: token }]);
  expect(copy.drawerKicks).toEqual([]);
  expect(printer.drawerPulses()).toBe(1);
  await page.getByRole('button', { name: 'Close receipt' }).click();

  await go(page, 'Terminal');
  const row = page.getByTestId('printer');
  await expect(row.getByRole('heading', { name: 'Counter' })).toBeVisible();
  await expect(row.getByTestId('printer-status')).toHaveText('Ready.');
  printer.setFault('paperEnd');
  await row.getByRole('button', { name: 'Check Counter' }).click();
  await expect(row.getByTestId('printer-status')).toHaveText('The printer is out of paper: put in a new roll.');
  printer.setFault('ready');
  await row.getByRole('button', { name: 'Test print on Counter' }).click();
  await expect(row.getByTestId('printer-status')).toHaveText('The test page printed.');
  const testPage = printer.lastJob().parsed!;
  expect(testPage.lines).toContain('TEST PRINT');
  expect(testPage.lines).toContain('Å Ä Ö å ä ö é ü €');
  expect(testPage.drawerKicks).toEqual([]);
});

test('with the printer gone the sale completes, the cashier reads why and prints in the browser', async ({ page, backOffice }) => {
  setPrinter(backOffice);
  await ready(page, backOffice.url);
  await printer.stop();
  // The browser's print dialog is stubbed: headless Chromium has none to show.
  await page.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => {
      (window as unknown as { printed: number }).printed += 1;
    };
  });

  await sell(page, 'W100', 'Cash');
  const status = page.getByTestId('print-status');
  await expect(status).toHaveRole('alert');
  await expect(status).toContainText('The printer cannot be reached: check that it is on and on the shop');
  await expect(status).toContainText('The sale is complete. Print the receipt in the browser, or again later from the history.');
  await expect(status).toContainText('The drawer did not open:');
  await expect(page.getByTestId('receipt-total')).toHaveText('149.00 SEK');
  await page.getByRole('button', { name: 'Print in the browser' }).click();
  expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  await page.getByRole('button', { name: 'Close receipt' }).click();

  // The sale was stored and sent all the same.
  await go(page, 'History');
  await expect(page.getByTestId('history-state').first()).toHaveText('At the back office');
  expect(backOffice.orders()).toHaveLength(1);

  // Its refund's receipt fails alike, and the cashier reads that the refund is complete.
  await page.getByRole('button', { name: 'Refund invoice 1' }).click();
  await page.getByRole('dialog', { name: 'Refund invoice 1' }).getByRole('button', { name: 'Refund', exact: true }).click();
  await approveAs(page);
  await expect(page.getByRole('heading', { name: 'Refund', exact: true })).toBeVisible();
  await expect(status).toHaveRole('alert');
  await expect(status).toContainText('The refund is complete. Print its receipt in the browser, or again later from the history.');
  await expect(status).not.toContainText('sale');
});

test('a cash sale and its cash refund, cash in and a manager’s opening pulse the drawer; each opening is recorded and counted; the X report prints on the report printer', async ({ page, backOffice }) => {
  setPrinter(backOffice, true);
  await ready(page, backOffice.url);
  await go(page, 'Cash drawer');
  const drawer = page.getByRole('region', { name: 'Cash drawer' });
  await page.getByLabel('Starting float').fill('500');
  await page.getByRole('button', { name: 'Open drawer' }).click();
  await expect(page.getByTestId('drawer-state')).toContainText('float 500.00 SEK');
  expect(printer.jobs()).toHaveLength(0);

  await go(page, 'Sale');
  await sell(page, 'X10', 'Cash');
  await expect(page.getByTestId('print-status')).toHaveText('Printed on Counter. The drawer opened.');
  await page.getByRole('button', { name: 'Close receipt' }).click();
  printer.closeDrawer();
  // The cash refund, approved by a manager, pays back through the drawer too.
  await go(page, 'History');
  await page.getByRole('button', { name: 'Refund invoice 1' }).click();
  await page.getByRole('dialog', { name: 'Refund invoice 1' }).getByRole('button', { name: 'Refund', exact: true }).click();
  await approveAs(page);
  await expect(page.getByRole('heading', { name: 'Refund', exact: true })).toBeVisible();
  await expect(page.getByTestId('print-status')).toHaveText('Printed on Counter. The drawer opened.');
  const refund = printer.lastJob().parsed!;
  expect(refund.lines).toContain('RETUR');
  expect(refund.lines.some((l) => /^ATT BETALA +.*49,00\skr$/.test(l))).toBe(true);
  expect(refund.drawerKicks).toHaveLength(1);
  await page.getByRole('button', { name: 'Close receipt' }).click();
  printer.closeDrawer();

  await go(page, 'Cash drawer');
  await drawer.getByLabel('Amount').fill('100');
  await drawer.getByLabel('Reason', { exact: true }).fill('Change from the bank');
  await drawer.getByRole('button', { name: 'Cash in' }).click();
  await expect(page.getByTestId('drawer-pulse')).toHaveText('The drawer opened (Counter).');
  expect(printer.drawerPulses()).toBe(3);
  expect(printer.lastJob().parsed!.lines).toEqual([]);
  printer.closeDrawer();

  // A manager opens it without a sale: a reason first, then the PIN.
  await drawer.getByRole('button', { name: 'Open drawer' }).click();
  await expect(page.getByTestId('drawer-pulse')).toHaveText('The drawer did not open: Say why the drawer opens without a sale.');
  await drawer.getByLabel('Why open the drawer without a sale').fill('Change for the car park');
  await drawer.getByRole('button', { name: 'Open drawer' }).click();
  await expect(page.getByTestId('approval-what')).toHaveText('Open the cash drawer without a sale: Change for the car park');
  await approveAs(page);
  await expect(page.getByTestId('drawer-pulse')).toHaveText('The drawer opened (Counter).');
  expect(printer.drawerPulses()).toBe(4);

  await drawer.getByRole('button', { name: 'X report' }).click();
  await expect(page.getByTestId('report-openings')).toHaveText('4');
  // Print puts it on the desk's report printer, and pulses no drawer.
  const report = page.getByTestId('drawer-report');
  const jobs = printer.jobs().length;
  await report.getByRole('button', { name: 'Print', exact: true }).click();
  await expect(report.getByTestId('print-status')).toHaveText('Printed on Office.');
  await printer.waitForJobs(jobs + 1);
  const x = printer.lastJob().parsed!;
  expect(x.lines).toContain('X REPORT');
  expect(x.lines.some((l) => /^Turnover +SEK 0\.00$/.test(l))).toBe(true);
  expect(x.lines.some((l) => /^Cash in +SEK 100\.00$/.test(l))).toBe(true);
  expect(x.lines.some((l) => /^Drawer openings +4$/.test(l))).toBe(true);
  expect(x.cut).toBe(true);
  expect(x.drawerKicks).toEqual([]);
  expect(printer.drawerPulses()).toBe(4);
  await page.getByRole('button', { name: 'Close report' }).click();

  // Each opening reached the back office as a DrawerOpened record with its reason.
  await expect
    .poll(() =>
      (JSON.parse(backOffice.admin('records', 'CashDrawerLog')) as { Event: string; Reason: string | null }[])
        .filter((r) => r.Event === 'DrawerOpened')
        .map((r) => (r.Reason ?? '').replace(/ \(order [0-9a-f-]+\)$/, ' (order)')),
    )
    .toEqual(['Cash sale (order)', 'Cash refund (order)', 'Cash in: Change from the bank', 'Manager: Change for the car park']);
});
