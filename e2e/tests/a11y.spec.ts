// Accessibility, measured with axe-core (Deque's engine) on every screen and
// dialog of the terminal: any serious or critical violation fails the test,
// and the message lists each one with the elements it was found on.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, signIn, cashierIn, tap, go, approvalDialog } from './backoffice';

/**
 * The WCAG 2.x A and AA rules, Deque's best practices, and the rules axe still
 * calls experimental (off unless asked for): `label-content-name-mismatch`,
 * which voice control depends on, is one of them.
 */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice', 'experimental'];

/** The serious and critical violations axe finds on the page as it is now, named by `where`. */
async function audit(page: Page, where: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} (${v.impact}, ${v.nodes.length}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(' | ')}`);
}

for (const [size, viewport] of [
  ['landscape', { width: 1280, height: 800 }],
  ['portrait', { width: 800, height: 1280 }],
] as const) {
  test.describe(size, () => {
    test.use({ viewport });

    test(`every screen and dialog has no serious or critical axe violation (${size})`, async ({ page, backOffice }) => {
      test.setTimeout(120_000);
      const found: string[] = [];
      const check = async (where: string) => found.push(...(await audit(page, where)));

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

      expect(found, found.join('\n')).toEqual([]);
    });
  });
}
