// A tablet set to Swedish (issue 20): the first run, the cashier sign-in, a
// sale, its payment and its receipt in Swedish with amounts as "149,00 kr",
// every field the Swedish rules ask of a receipt, a reprint marked KOPIA, a
// training sale kept out of the sales and counted apart; and the language
// switch on the Terminal screen, remembered by the tablet.
import { test, expect, DEMO } from './backoffice';
import type { Page } from '@playwright/test';

test.use({ locale: 'sv-SE' });

/** Kronor as Swedish writes them: "1 234,50 kr" (no-break spaces). */
const kr = (amount: string) => new RegExp(`^${amount.replace(' ', '\\s')}\\skr$`);

async function firstRunInSwedish(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
  await expect(page.getByRole('heading', { name: 'Ställ in den här kassan' })).toBeVisible();
  await expect(page.getByLabel('Adress till backoffice')).toHaveValue(url);
  await page.getByLabel('Kassans användarnamn').fill(DEMO.username);
  await page.getByLabel('Lösenord').fill(DEMO.password);
  await page.getByRole('button', { name: 'Logga in', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Kassörsinloggning' })).toBeVisible();
  await page.getByTestId('catalogue-counts').filter({ hasText: '13' }).waitFor();
  await page.getByLabel('Kassörskort').fill('1001');
  await page.getByRole('button', { name: 'Logga in kassör' }).click();
  await page.getByTestId('cashier').waitFor();
}

async function cashSale(page: Page, article: string): Promise<void> {
  await page.locator(`button[data-article="${article}"]`).click();
  await page.getByRole('button', { name: 'Betala', exact: true }).click();
  const payment = page.getByRole('dialog', { name: 'Betalning' });
  await payment.getByRole('button', { name: 'Kontant', exact: true }).click();
  await page.getByRole('button', { name: 'Slutför köp' }).click();
  await expect(page.getByTestId('receipt')).toBeVisible();
}

async function go(page: Page, screen: string): Promise<void> {
  const link = page.getByRole('navigation', { name: 'Skärmar' }).getByRole('link', { name: screen, exact: true });
  await link.click();
  await expect(link).toHaveAttribute('aria-current', 'page');
}

test('a Swedish tablet sells, pays and shows the receipt the rules ask for, in Swedish', async ({ page, backOffice }) => {
  await firstRunInSwedish(page, backOffice.url);

  await cashSale(page, 'W100');
  const receipt = page.getByTestId('receipt');
  await expect(receipt.getByRole('heading', { name: 'Kvitto' })).toBeVisible();
  // The business, its organisation number and the sales address.
  const header = receipt.getByTestId('receipt-header');
  await expect(header).toContainText('Demo Car Wash');
  await expect(header).toContainText('556000-0000');
  await expect(header).toContainText('Storgatan 1, 211 22 Malmö');
  // Date and time, the receipt number, the register.
  await expect(receipt.getByTestId('receipt-date')).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  await expect(receipt.getByTestId('invoice-number')).toHaveText('1');
  await expect(receipt.getByText('Kvittonummer')).toBeVisible();
  await expect(receipt.getByTestId('register-id')).toHaveText(/^POSSUM-[A-Z0-9]+-\d{4}$/);
  // Each item with its quantity and amount including VAT, the total, VAT per rate.
  await expect(receipt.locator('table.receipt-lines tr')).toHaveText([/^1 × Basic wash\s*149,00\skr$/]);
  await expect(receipt.getByTestId('receipt-total')).toHaveText(kr('149,00'));
  await expect(receipt.getByText('Summa', { exact: true })).toBeVisible();
  await expect(receipt.getByText(/^Moms 25\s?% av 149,00\skr$/)).toBeVisible();
  // The payment method, the control unit and its control code.
  await expect(receipt.getByText('Kontant', { exact: true })).toBeVisible();
  await expect(receipt.getByTestId('control-unit-id')).toHaveText(/^POSSUM-SM-[0-9A-F]{12}$/);
  await expect(receipt.getByTestId('control-code')).toHaveText(/^[A-Za-z0-9+/]{40,}={0,2}$/);
  // The wash token every wash carries.
  await expect(receipt.getByTestId('token-number')).toHaveText(/^\d{13}$/);
  await page.getByRole('button', { name: 'Stäng kvittot' }).click();

  // A reprint is a copy, marked KOPIA in large letters.
  await go(page, 'Historik');
  await page.getByRole('button', { name: 'Skriv ut kvittokopia av kvitto 1' }).click();
  await expect(page.getByTestId('copy-mark')).toHaveText('KOPIA');
  const sizes = await Promise.all(
    [page.getByTestId('copy-mark'), page.getByTestId('receipt-total')].map((l) =>
      l.evaluate((e) => parseFloat(getComputedStyle(e).fontSize)),
    ),
  );
  expect(sizes[0]).toBeGreaterThanOrEqual(2 * sizes[1]);
  await page.getByRole('button', { name: 'Stäng kvittot' }).click();

  // A training sale: marked ÖVNING, not a sale, counted apart.
  await go(page, 'Försäljning');
  const tools = page.locator('details.sale-tools');
  await tools.locator('summary').click();
  await tools.getByRole('button', { name: 'Övningsläge', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Övningsläge: inget debiteras' }).first()).toBeVisible();
  await cashSale(page, 'W200');
  await expect(page.getByTestId('training-mark')).toHaveText('ÖVNING');
  await page.getByRole('button', { name: 'Stäng kvittot' }).click();
  await tools.evaluate((d) => ((d as HTMLDetailsElement).open = true));
  await tools.getByRole('button', { name: 'Avsluta övningsläge' }).click();

  await go(page, 'Dagsrapport');
  const cells = (id: string) => page.getByTestId(id).locator('th, td');
  await expect(cells('day-sales')).toHaveText(['Försäljning', '1', kr('149,00')]);
  await expect(cells('day-training')).toHaveText([/^Övning/, '1', kr('229,00')]);
  await expect(cells('day-copies')).toHaveText(['Kvittokopior', '1', kr('149,00')]);
  // Only the real sale reached the back office.
  await expect.poll(async () => (await backOffice.orders()).length).toBe(1);
});

test('the language chosen on the Terminal screen wins over the tablet’s and is remembered', async ({ page, backOffice }) => {
  await firstRunInSwedish(page, backOffice.url);
  await go(page, 'Terminal');
  await page.getByTestId('language-en').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { name: 'This terminal' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Screens' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  // Following the tablet again brings Swedish back.
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Terminal', exact: true }).click();
  await page.getByTestId('language-follow').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
  await expect(page.getByRole('navigation', { name: 'Skärmar' })).toBeVisible();
});
