import { test, expect, isEan13, withBackOffice, ready, tap, go, cashSale } from './backoffice';
import type { Page } from '@playwright/test';

async function pay(page: Page, method: string, amount?: string) {
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  const dialog = page.getByRole('dialog');
  if (amount) await dialog.getByLabel('Amount or cash received').fill(amount);
  await dialog.getByRole('button', { name: method, exact: true }).click();
}

async function findCustomer(page: Page, code: string) {
  await page.getByLabel('Card number, tag or licence plate').fill(code);
  await page.getByRole('button', { name: 'Find customer' }).click();
  await expect(page.getByTestId('customer')).toBeVisible();
}

test('a cash sale of a wash gives change, an EAN-13 wash token and a feedback link, and reaches the back office once', async ({ page, backOffice }) => {
  await ready(page, backOffice.url);
  await tap(page, 'W100');
  await tap(page, 'C200');
  await expect(page.getByTestId('cart-total')).toHaveText('181.50 SEK');
  await pay(page, 'Cash', '200');
  // Cash is rounded to whole kronor: 182.00 due, 18.00 back.
  await expect(page.getByTestId('due')).toHaveText('182.00 SEK');
  await expect(page.getByTestId('change')).toContainText('change 18.00 SEK');
  await page.getByRole('button', { name: 'Complete sale' }).click();

  const receipt = page.getByTestId('receipt');
  await expect(receipt).toBeVisible();
  const token = (await page.getByTestId('token-number').textContent())!.trim();
  expect(isEan13(token)).toBe(true);
  await expect(page.getByRole('img', { name: `Wash token barcode ${token}` }).locator('svg rect').first()).toBeAttached();
  await expect(page.getByTestId('receipt-change')).toHaveText('18.00 SEK');
  await expect(page.getByTestId('feedback-url')).toContainText('https://feedback.possum.example/demo-car-wash/');
  await expect(page.getByRole('img', { name: 'Feedback QR code' }).locator('svg')).toBeAttached();
  await page.getByRole('button', { name: 'Close receipt' }).click();
  await expect(page.getByTestId('cart-total')).toHaveText('0.00 SEK');

  // The order record follows through the outbox, with the token api/Sale issued.
  await go(page, 'History');
  await expect(page.getByTestId('history-state').first()).toHaveText('At the back office');
  await expect(page.getByTestId('outbox-pending')).toHaveText('Nothing waiting to be sent');
  const orders = backOffice.orders();
  expect(orders).toHaveLength(1);
  expect(orders[0]).toMatchObject({ InvoiceNumber: 1, Total: '182.00', Token: token });

  // A reprint says it is a copy.
  await page.getByRole('button', { name: 'Reprint invoice 1' }).click();
  await expect(page.getByTestId('copy-mark')).toHaveText('COPY');
  await expect(page.getByTestId('token-number')).toHaveText(token);
});

test('a customer found by licence plate pays on credit', async ({ page, backOffice }) => {
  await ready(page, backOffice.url);
  await findCustomer(page, 'crd 100');
  await expect(page.getByTestId('customer')).toContainText('Carl Credit');
  await tap(page, 'X10');
  await pay(page, 'Customer credit');
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByTestId('receipt-total')).toHaveText('49.00 SEK');
  await page.getByRole('button', { name: 'Close receipt' }).click();
  await go(page, 'History');
  await expect(page.getByTestId('history-state').first()).toHaveText('At the back office');
  expect(backOffice.orders()).toHaveLength(1);

  // The next pull brings the account movement: the customer's history shows it.
  const syncNow = page.getByRole('button', { name: 'Sync now' });
  await syncNow.click();
  await expect(syncNow).toBeEnabled();
  await go(page, 'Sale');
  await findCustomer(page, 'crd 100');
  await page.getByText(/^Account history/).click();
  await expect(page.getByTestId('deposit-row').first()).toContainText('Sale · Sale at Shop counter');
  await expect(page.getByTestId('deposit-row').first()).toContainText('-49.00 SEK');
});

test('every error the demo data can produce is shown in the cashier’s words and keeps the cart', async ({ page, backOffice }) => {
  await ready(page, backOffice.url);
  const cases: [string, string, string, RegExp][] = [
    ['FLT001', 'W200', 'Customer credit', /credit line is used up/],
    ['10000007', 'W100', 'Prepaid card', /not enough prepaid money/],
    ['10000009', 'W100', 'Birthday wash', /already had their birthday wash/],
    ['10000005', 'W100', 'Birthday wash', /No birthday is registered/],
    ['10000004', 'C100', 'Birthday wash', /needs a wash in the cart/],
    ['10000006', 'W100', 'Birthday wash', /not the customer's birthday period/],
    ['10000008', 'W100', 'Card', /may not be used at this cash desk/],
    ['LCK999', 'W100', 'Card', /card is locked/],
  ];
  for (const [customer, article, method, message] of cases) {
    await findCustomer(page, customer);
    await tap(page, article);
    await pay(page, method);
    await page.getByRole('button', { name: 'Complete sale' }).click();
    await expect(page.getByTestId('cart-message')).toHaveText(message);
    await expect(page.getByTestId('cart-line')).toHaveCount(1);
    // Clearing starts a new sale: no lines, no customer.
    await page.getByRole('button', { name: 'Clear cart' }).click();
    await expect(page.getByTestId('customer')).toHaveCount(0);
  }
  // 16 and 14: articles blocked or deleted on the back office after the last pull are marked in the cart.
  backOffice.admin('block-article', 'W300');
  backOffice.admin('delete-product', 'X20');
  for (const [article, message] of [['W300', /blocked and cannot be sold/], ['X20', /does not know the marked articles/]] as const) {
    await tap(page, 'S100');
    await tap(page, article);
    await pay(page, 'Card');
    await page.getByRole('button', { name: 'Complete sale' }).click();
    await expect(page.getByTestId('cart-message')).toHaveText(message);
    await expect(page.locator(`.cart-line.marked[data-article="${article}"]`)).toBeVisible();
    await expect(page.locator('.cart-line.marked')).toHaveCount(1);
    await page.getByRole('button', { name: 'Clear cart' }).click();
  }
  expect(backOffice.orders()).toHaveLength(0);
});

test('a parked cart survives a reload and is resumed', async ({ page, backOffice }) => {
  await ready(page, backOffice.url);
  await tap(page, 'W200');
  await tap(page, 'X10');
  await tap(page, 'X10');
  await page.getByRole('button', { name: 'Park sale' }).click();
  await expect(page.getByTestId('cart-line')).toHaveCount(0);
  await expect(page.getByTestId('parked')).toHaveCount(1);
  await page.reload();
  await expect(page.getByTestId('parked')).toHaveCount(1);
  await page.getByTestId('parked').getByRole('button').click();
  await expect(page.getByTestId('cart-line')).toHaveCount(2);
  await expect(page.getByTestId('cart-total')).toHaveText('327.00 SEK');
  await expect(page.getByTestId('parked')).toHaveCount(0);
  // Both state changes of the open order were delivered.
  await expect(page.getByTestId('outbox-pending')).toHaveText('Nothing waiting to be sent');
});

test('a sale completed with the back office stopped is queued and delivered once it is back', async ({ page }) => {
  await withBackOffice([], async (backOffice) => {
    {
      await ready(page, backOffice.url);
      await backOffice.stop();
      await tap(page, 'W100');
      await pay(page, 'Card');
      await page.getByRole('button', { name: 'Complete sale' }).click();
      await expect(page.getByTestId('offline-mark')).toHaveText('Sold offline');
      // The wash token comes from the reserve the back office issued this terminal.
      const issued = (await page.getByTestId('token-number').textContent())!.trim();
      expect(isEan13(issued)).toBe(true);
      await page.getByRole('button', { name: 'Close receipt' }).click();
      await expect(page.getByTestId('outbox-pending')).toContainText('1 sale');
      await go(page, 'History');
      await expect(page.getByTestId('history-state').first()).toHaveText('Waiting to be sent');

      await backOffice.restart();
      await page.getByRole('button', { name: 'Sync now' }).click();
      await expect(page.getByTestId('history-state').first()).toHaveText('At the back office');
      const token = (await page.getByTestId('history-token').first().textContent())!.trim();
      expect(token).toBe(issued);
      const orders = backOffice.orders();
      expect(orders).toHaveLength(1);
      expect(orders[0]).toMatchObject({ InvoiceNumber: 1, Total: '149.00', Token: token });
    }
  });
});

test('a barcode scanner adds articles and finds customers from anywhere on the sale screen', async ({ page, backOffice }) => {
  await ready(page, backOffice.url);
  const scan = async (code: string) => {
    await page.getByRole('heading', { name: 'Cart' }).click();
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
  };
  await scan('7310000000010');
  await expect(page.locator('.cart-line[data-article="W100"]')).toBeVisible();
  await scan('7310000000017');
  await expect(page.getByTestId('cart-message')).toContainText('wrong check digit');
  await scan('10000001');
  await expect(page.getByTestId('customer')).toContainText('Eva Ek');
  // Eva's Member price applies to the cart.
  await expect(page.getByTestId('cart-total')).not.toHaveText('149.00 SEK');
});

test('a tablet whose storage was wiped becomes a new register with a receipt series of its own', async ({ page, browser, backOffice }) => {
  await ready(page, backOffice.url);
  await cashSale(page, 'W100');
  await cashSale(page, 'C100');
  await expect(page.getByTestId('outbox-pending')).toHaveText('Nothing waiting to be sent');

  // The same terminal login on a tablet with empty storage (a new browser profile).
  const wiped = await browser.newContext({ serviceWorkers: 'block' });
  const tablet = await wiped.newPage();
  try {
    await ready(tablet, backOffice.url);
    await cashSale(tablet, 'X10');
    await expect(tablet.getByTestId('outbox-pending')).toHaveText('Nothing waiting to be sent');
    await go(tablet, 'History');
    // Its signing key went with its storage: it enrols again as a new register
    // (docs/openapi.yaml, PostRegister) and numbers from 1 in that register.
    await expect(tablet.getByTestId('history-row')).toHaveAttribute('data-invoice', '1');
    await expect(tablet.getByTestId('history-state')).toHaveText('At the back office');
    const orders = backOffice.orders();
    expect(orders.map((o) => o.InvoiceNumber)).toEqual([1, 2, 1]);
    const [first, second, third] = orders.map((o) => o.RegisterId);
    expect(first).toBeTruthy();
    expect(second).toBe(first);
    expect(third).toBeTruthy();
    expect(third).not.toBe(first);
  } finally {
    await wiped.close();
  }
});

test.describe('a tablet in India', () => {
  test.use({ timezoneId: 'Asia/Kolkata' });
  test('the receipt shows the time of the tablet, not UTC', async ({ page, backOffice }) => {
    await ready(page, backOffice.url);
    const before = Date.now();
    await tap(page, 'C100');
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cash', exact: true }).click();
    await page.getByRole('button', { name: 'Complete sale' }).click();
    const shown = (await page.getByTestId('receipt-date').textContent())!.trim();
    // UTC+5:30, in the receipt's format; either minute of the sale.
    const kolkata = (ms: number) => new Date(ms + 330 * 60_000).toISOString().slice(0, 16).replace('T', ' ');
    expect([kolkata(before), kolkata(Date.now())]).toContain(shown);
  });
});
