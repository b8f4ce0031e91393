import { test, expect, ready, cashSale, DEMO, go } from './backoffice';

const modules: [string, string][] = [
  ['/api/Setting/GetSettings', 'settings'],
  ['/api/Admin/GetUsers', 'users'],
  ['/api/Category/GetCategories', 'categories'],
  ['/api/Product/GetProducts', 'products'],
  ['/api/Product/GetProductCombinations', 'combinations'],
  ['/api/Customer/GetCustomers', 'customers'],
  ['/api/DepositHistory/GetDepositHistory', 'deposits'],
];

const page_ = (items: string) =>
  `{"Items": ${items}, "Deleted": [], "NextLastExecutedDate": "2026-11-23T10:00:00Z", "NextAfterId": null, "HasMore": false, "ServerTime": "2026-11-23T10:00:00Z"}`;

const bad: [string, string][] = [
  ['truncated', '{"Items": [{"Id": "'],
  ['wrong type', page_('"none"')],
  ['a row of the wrong shape', page_('[{"Id": "not-a-uuid", "Role": "Overlord", "Price": "free"}]')],
  ['oversized', page_(`[${'"x",'.repeat(300_000)}"x"]`)],
];

test('bad answers from every pull endpoint are reported, change no cached row, and selling goes on', async ({ page, backOffice }) => {
  const logged: string[] = [];
  page.on('console', (message) => logged.push(message.text()));
  await ready(page, backOffice.url);
  const counts = page.getByTestId('catalogue-counts');
  const premium = page.locator('button[data-article="W200"]');
  await expect(premium).toContainText('229.00');
  backOffice.admin('set-price', 'W200', '239.00');

  const syncNow = page.getByRole('button', { name: 'Sync now' });
  // The strip links to the Sync screen, which tells each failure.
  await go(page, 'Sync');
  for (const [path, name] of modules) {
    for (const [what, body] of bad) {
      await page.route(`**${path}*`, (route) => route.fulfill({ status: 200, contentType: 'application/json', body }));
      await syncNow.click();
      await expect(page.getByTestId('sync-error'), `${name}: ${what}`).toContainText(`Pulling ${name} failed`);
      await expect(syncNow).toBeEnabled();
      await page.unroute(`**${path}*`);
    }
  }
  await go(page, 'Sale');
  await expect(counts).toHaveText('13 products, 50 customers cached');
  await expect(page.getByTestId('cashier')).toContainText('Anna Andersson');
  // Modules before a failing one were pulled: the new price is there, once products answered well.
  await expect(premium).toContainText('239.00');

  await cashSale(page, 'W100');
  await go(page, 'History');
  await expect(page.getByTestId('history-state').first()).toHaveText('At the back office');
  await syncNow.click();
  await expect(page.getByTestId('sync-trouble')).toHaveCount(0);

  // The terminal keeps no token or password where scripts or logs could read them.
  const stored = await page.evaluate(() => Object.keys(localStorage).map((k) => `${k}=${localStorage.getItem(k)}`).join('\n'));
  for (const secret of [DEMO.password, 'eyJ']) {
    expect(stored).not.toContain(secret);
    expect(logged.join('\n')).not.toContain(secret);
  }
});
