// The till as a busy cashier works it: the status strip tells whether the
// back office answers (from the terminal's own calls, not the browser's
// idea of "online") and what waits since when, in a cashier's words; the
// cashier signs in on an on-screen PIN pad or by a card swipe; the desk's
// favourites are the grid's first page; the grid and the strip count alike.
import type { Page } from '@playwright/test';
import { test, expect, signIn, cashierIn, cashSale, ready, tap, go, withBackOffice } from './backoffice';

const HH_MM = /\d\d:\d\d$/;

/** The strip's height, in pixels. */
async function stripHeight(page: Page): Promise<number> {
  return page.getByRole('region', { name: 'Sync status' }).evaluate((el) => el.getBoundingClientRect().height);
}

test.describe('at 1280×800', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test('the back office stopped while the browser stays online: the indicator says unreachable since when, the strip keeps its height, and says connected again after the restart', async ({ page }) => {
    await withBackOffice([], async (backOffice) => {
      await ready(page, backOffice.url);
      const indicator = page.getByTestId('back-office');
      await expect(indicator).toHaveText('Back office connected');
      await tap(page, 'W100');
      const before = await stripHeight(page);

      await backOffice.stop();
      expect(await page.evaluate(() => navigator.onLine)).toBe(true);
      // A sale is the terminal's own call: it finds the back office gone.
      await cashSale(page, 'W200');
      await expect(indicator).toHaveText(/^Back office unreachable since \d\d:\d\d$/);
      await expect(page.getByTestId('outbox-pending')).toHaveText(/^1 sale waiting to be sent since \d\d:\d\d$/);
      await cashSale(page, 'X10');
      await expect(page.getByTestId('outbox-pending')).toHaveText(/^2 sales waiting to be sent since \d\d:\d\d$/);
      // The strip neither grows nor speaks in the program's words; the cart's total stays in view.
      const strip = page.getByRole('region', { name: 'Sync status' });
      expect(await stripHeight(page)).toBe(before);
      await expect(strip).not.toContainText(/orders|device logs|invoice counter|Pulling/);
      await tap(page, 'W100');
      await expect(page.getByTestId('cart-total')).toBeInViewport({ ratio: 1 });
      await expect(page.getByTestId('sync-trouble')).toHaveCount(0);

      // The details are on the Sync screen: per kind, with the same since-when.
      await go(page, 'Sync');
      await expect(page.getByTestId('outbox-kinds').getByRole('row', { name: /Sales and refunds/ })).toContainText('2');
      await expect(page.getByTestId('reach-detail')).toContainText('Unreachable since');
      await expect(page.getByTestId('sync-error').or(page.getByTestId('flush-error')).first()).toContainText('could not be reached');

      await backOffice.restart();
      await page.getByRole('button', { name: 'Sync now' }).click();
      await expect(indicator).toHaveText('Back office connected');
      await expect(page.getByTestId('outbox-pending')).toHaveText('Nothing waiting to be sent');
    });
  });

  test('a back office that answers with an error is connected, and the strip links to the Sync screen for the details', async ({ page, backOffice }) => {
    await ready(page, backOffice.url);
    await page.route('**/api/Product/GetProducts*', (route) => route.fulfill({ status: 500, body: '{"Message":"An unexpected error occurred."}' }));
    await page.getByRole('button', { name: 'Sync now' }).click();
    const trouble = page.getByTestId('sync-trouble');
    await expect(trouble).toHaveText('Sync problem: see Sync');
    await expect(page.getByTestId('back-office')).toHaveText('Back office connected');
    await trouble.click();
    await expect(page.getByTestId('sync-error')).toContainText('HTTP 500');
    await page.unroute('**/api/Product/GetProducts*');
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect(trouble).toHaveCount(0);
    await expect(page.getByTestId('sync-error')).toHaveCount(0);
  });

  test('the grid counts products as the strip does, and says "found" for a search', async ({ page, backOffice }) => {
    await ready(page, backOffice.url);
    const counted = (await page.getByTestId('catalogue-counts').textContent())!.match(/^(\d+) products/)![1];
    await expect(page.getByTestId('result-count')).toHaveText(new RegExp(`^${counted} products, \\d+ combinations?$`));
    await page.getByLabel('Search products').fill('wash');
    await expect(page.getByTestId('result-count')).toHaveText(/^\d+ products?(, \d+ combinations?)? found$/);
    await page.getByLabel('Search products').fill('zzzz');
    await expect(page.getByTestId('result-count')).toHaveText('Nothing found');
  });

  test("the desk's favourites are the grid's first page, in the owner's order, and follow the back office", async ({ page, backOffice }) => {
    await ready(page, backOffice.url);
    const order = () =>
      page.locator('button.product').evaluateAll((tiles) =>
        tiles
          .map((t) => ({ article: t.getAttribute('data-article')!, favourite: t.classList.contains('favourite'), r: t.getBoundingClientRect() }))
          .sort((a, b) => a.r.top - b.r.top || a.r.left - b.r.left)
          .map((t) => `${t.article}${t.favourite ? '*' : ''}`),
      );
    // The demo's shop counter: W100, W200, W300, K200, C100, X30.
    await expect.poll(order).toEqual(expect.arrayContaining(['W100*']));
    expect((await order()).slice(0, 6)).toEqual(['W100*', 'W200*', 'W300*', 'K200*', 'C100*', 'X30*']);
    // Every other tile follows, once.
    expect((await order()).filter((a) => a.endsWith('*'))).toHaveLength(6);
    expect(new Set(await order()).size).toBe((await order()).length);

    backOffice.admin('set-favourites', '1', 'S100,X10');
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(async () => (await order()).slice(0, 2)).toEqual(['S100*', 'X10*']);
    expect((await order()).filter((a) => a.endsWith('*'))).toHaveLength(2);
    // A search looks through everything, in the catalogue's order, with no favourites first.
    await page.getByLabel('Search products').fill('wash');
    await expect.poll(async () => (await order()).filter((a) => a.endsWith('*'))).toEqual([]);
  });

  test('the PIN pad signs a cashier in with taps alone, and a card swiped after tapping it still works', async ({ page, backOffice }) => {
    await page.goto(backOffice.url);
    await signIn(page, backOffice.url);
    await page.getByTestId('catalogue-counts').filter({ hasText: '13 products, 50 customers cached' }).waitFor();
    const pad = page.getByRole('group', { name: 'PIN pad' });
    const pin = page.getByLabel('or PIN');
    for (const digit of '2468') await pad.getByRole('button', { name: digit, exact: true }).click();
    await expect(pin).toHaveValue('2468');
    await pad.getByRole('button', { name: 'Delete last digit' }).click();
    await expect(pin).toHaveValue('246');
    await pad.getByRole('button', { name: 'Clear', exact: true }).click();
    await expect(pin).toHaveValue('');
    for (const digit of '24682468') await pad.getByRole('button', { name: digit, exact: true }).click();
    await page.getByRole('button', { name: 'Sign in cashier' }).click();
    await expect(page.getByTestId('cashier')).toHaveText('Cashier: Magnus Manager (Manager)');
    expect(await pin.count()).toBe(0);

    // The next cashier taps a digit by mistake, then swipes a card: a
    // keyboard-wedge reader types digits and Enter wherever the focus is.
    await page.getByRole('button', { name: 'Switch cashier' }).click();
    await pad.getByRole('button', { name: '7', exact: true }).click();
    await pad.getByRole('button', { name: 'Clear', exact: true }).click();
    await page.keyboard.type('1001');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('cashier')).toContainText('Anna Andersson');

    // The focus left on the page itself (a tap beside the form): the swipe still arrives.
    await page.getByRole('button', { name: 'Switch cashier' }).click();
    await page.getByRole('heading', { name: 'Cashier sign-in' }).click();
    await page.keyboard.type('1001');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('cashier')).toContainText('Anna Andersson');
  });
});

test('the strip is one line at 800 px wide too, offline or not', async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 1280 });
  await withBackOffice([], async (backOffice) => {
    await ready(page, backOffice.url);
    const before = await stripHeight(page);
    await backOffice.stop();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect(page.getByTestId('back-office')).toHaveText(/^Back office unreachable since /);
    await expect(page.getByTestId('back-office')).toHaveText(HH_MM);
    expect(await stripHeight(page)).toBe(before);
    // A sale waiting as well: the waiting count gives way, Sync now stays whole.
    await cashSale(page, 'X10');
    await expect(page.getByTestId('outbox-pending')).toContainText('1 sale');
    await expect(page.getByRole('button', { name: 'Sync now' })).toBeInViewport({ ratio: 1 });
    expect(await stripHeight(page)).toBe(before);
  });
});
