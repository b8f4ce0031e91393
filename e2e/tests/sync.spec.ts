import { test, expect, signIn, withBackOffice, serveDist, cashierIn, go } from './backoffice';

test('a full pull fills the cache, and price changes and deletions arrive with the next sync', async ({ page, backOffice }) => {
  await page.goto(backOffice.url);
  await signIn(page, backOffice.url);
  const counts = page.getByTestId('catalogue-counts');
  await expect(counts).toHaveText('13 products, 50 customers cached');
  await cashierIn(page, '1001');
  await go(page, 'Sync');
  await expect(page.getByTestId('last-pull')).toContainText('Last full pull');
  await expect(page.getByTestId('pulled-products')).not.toHaveText('never');
  await go(page, 'Sale');
  const premium = page.locator('button[data-article="W200"]');
  await expect(premium).toContainText('229.00');

  backOffice.admin('set-price', 'W200', '239.50');
  backOffice.admin('delete-product', 'S300');
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(premium).toContainText('239.50');
  await expect(page.locator('button[data-article="S300"]')).toHaveCount(0);
  await expect(counts).toHaveText('12 products, 50 customers cached');
});

test('a cold start with the back office stopped shows the cached catalogue', async ({ page }) => {
  await withBackOffice([], async (backOffice) => {
    const app = await serveDist();
    try {
      await page.goto(app.url);
      await signIn(page, backOffice.url);
      await expect(page.getByTestId('catalogue-counts')).toHaveText('13 products, 50 customers cached');

      await backOffice.stop();
      await page.reload();
      await expect(page.getByTestId('catalogue-counts')).toHaveText('13 products, 50 customers cached');
      // The failed pull is reported, not hidden, and nothing cached was dropped.
      await expect(page.getByTestId('back-office')).toContainText('Back office unreachable since');
      // A cashier signs in with a PIN against the cached users, with no back office.
      await page.getByLabel('or PIN').fill('24682468');
      await page.getByRole('button', { name: 'Sign in cashier' }).click();
      await expect(page.getByTestId('cashier')).toHaveText('Cashier: Magnus Manager (Manager)');
      await expect(page.getByRole('region', { name: 'Catalogue' })).toBeVisible();
      await expect(page.locator('button[data-article="W100"]')).toContainText('149.00');
    } finally {
      await app.close();
    }
  });
});

test('a 401 asks for the terminal login again and keeps the cache', async ({ page }) => {
  await withBackOffice(['--token-lifetime', '4'], async (backOffice) => {
    await page.goto(backOffice.url);
    await signIn(page, backOffice.url);
    await expect(page.getByTestId('catalogue-counts')).toHaveText('13 products, 50 customers cached');
    await cashierIn(page, '1001');
    backOffice.admin('set-price', 'W100', '155.00');
    // The first sync (pull, then flush) is over before the token runs out.
    await expect(page.getByRole('button', { name: 'Sync now' })).toBeEnabled();
    await page.waitForTimeout(4_500);
    // The tablet's clock runs a minute behind: it still thinks the token is valid,
    // so only the back office's 401 can tell it otherwise.
    await page.clock.setFixedTime(new Date(Date.now() - 60_000));
    await page.getByRole('button', { name: 'Sync now' }).click();

    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('nothing cached or queued is lost');
    await expect(page.getByTestId('catalogue-counts')).toHaveText('13 products, 50 customers cached');
    await expect(dialog.getByLabel('Terminal user name')).toHaveValue('terminal.user@possum.com');
    await dialog.getByLabel('Password').fill('SuperSecret123!');
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.locator('button[data-article="W100"]')).toContainText('155.00');
  });
});

test('a token the tablet knows has expired asks for the login before calling', async ({ page }) => {
  await withBackOffice(['--token-lifetime', '3'], async (backOffice) => {
    await page.goto(backOffice.url);
    await signIn(page, backOffice.url);
    await expect(page.getByTestId('catalogue-counts')).toHaveText('13 products, 50 customers cached');
    await page.waitForTimeout(3_500);
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect(page.getByRole('dialog')).toContainText('nothing cached or queued is lost');
  });
});

test('a malformed answer or a 500 leaves the cache as it was and is reported', async ({ page, backOffice }) => {
  await page.goto(backOffice.url);
  await signIn(page, backOffice.url);
  await expect(page.getByTestId('catalogue-counts')).toHaveText('13 products, 50 customers cached');
  await cashierIn(page, '1001');
  const premium = page.locator('button[data-article="W200"]');
  await expect(premium).toContainText('229.00');
  backOffice.admin('set-price', 'W200', '249.00');

  await page.route('**/api/Product/GetProducts*', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: '{"Items": [{"Id": "not even close"' }),
  );
  await page.getByRole('button', { name: 'Sync now' }).click();
  await go(page, 'Sync');
  await expect(page.getByTestId('sync-error')).toContainText('Pulling products failed');
  await expect(page.getByTestId('sync-error')).toContainText('cannot read');
  await go(page, 'Sale');
  await expect(premium).toContainText('229.00');

  await page.unroute('**/api/Product/GetProducts*');
  await page.route('**/api/Product/GetProducts*', (route) => route.fulfill({ status: 500, body: '{"Message":"An unexpected error occurred."}' }));
  await page.getByRole('button', { name: 'Sync now' }).click();
  await go(page, 'Sync');
  await expect(page.getByTestId('sync-error')).toContainText('HTTP 500');
  await go(page, 'Sale');
  await expect(premium).toContainText('229.00');
  await expect(page.getByTestId('catalogue-counts')).toHaveText('13 products, 50 customers cached');

  await page.unroute('**/api/Product/GetProducts*');
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(premium).toContainText('249.00');
  await expect(page.getByTestId('sync-trouble')).toHaveCount(0);
});

test('a pull that fails between its pages leaves the whole module as it was, and resumes later', async ({ page, backOffice }) => {
  await page.goto(backOffice.url);
  await signIn(page, backOffice.url);
  await expect(page.getByTestId('catalogue-counts')).toHaveText('13 products, 50 customers cached');
  await cashierIn(page, '1001');
  const washes = ['W100', 'W200', 'W300'].map((article) => page.locator(`button[data-article="${article}"]`));
  await expect(washes[0]).toContainText('149.00');
  backOffice.admin('set-price', 'W100', '159.00');
  backOffice.admin('set-price', 'W200', '239.00');
  backOffice.admin('set-price', 'W300', '309.00');

  // The delta comes in pages of two: the first arrives, the second fails.
  let requests = 0;
  await page.route('**/api/Product/GetProducts*', async (route) => {
    requests += 1;
    if (requests === 1) {
      const url = new URL(route.request().url());
      url.searchParams.set('PageSize', '2');
      await route.continue({ url: url.toString() });
    } else {
      await route.fulfill({ status: 500, body: '{"Message":"An unexpected error occurred."}' });
    }
  });
  await page.getByRole('button', { name: 'Sync now' }).click();
  await go(page, 'Sync');
  await expect(page.getByTestId('sync-error')).toContainText('HTTP 500');
  await go(page, 'Sale');
  expect(requests).toBe(2);
  // None of the three new prices shows, not even the two that had arrived.
  await expect(washes[0]).toContainText('149.00');
  await expect(washes[1]).toContainText('229.00');
  await expect(washes[2]).toContainText('299.00');

  // The next sync asks only for what was missing and then shows all three.
  await page.unroute('**/api/Product/GetProducts*');
  const resumed = page.waitForRequest((request) => request.url().includes('GetProducts') && request.url().includes('AfterId='));
  await page.getByRole('button', { name: 'Sync now' }).click();
  await resumed;
  await expect(washes[0]).toContainText('159.00');
  await expect(washes[1]).toContainText('239.00');
  await expect(washes[2]).toContainText('309.00');
  await expect(page.getByTestId('sync-trouble')).toHaveCount(0);
});

for (const skew of [-1, 1]) {
  test(`a tablet clock ${skew < 0 ? 'an hour behind' : 'an hour ahead'} still ends with the back office's data`, async ({ page, backOffice }) => {
    await page.clock.setFixedTime(new Date(Date.now() + skew * 3_600_000));
    await page.goto(backOffice.url);
    await signIn(page, backOffice.url);
    const counts = page.getByTestId('catalogue-counts');
    await expect(counts).toHaveText('13 products, 50 customers cached');
    await cashierIn(page, '1001');
    backOffice.admin('set-price', 'W300', '319.00');
    backOffice.admin('delete-product', 'S200');
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect(page.locator('button[data-article="W300"]')).toContainText('319.00');
    await expect(page.locator('button[data-article="S200"]')).toHaveCount(0);
    await expect(counts).toHaveText('12 products, 50 customers cached');
  });
}
