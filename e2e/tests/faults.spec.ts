import { test, expect, cashSale, ready, go } from './backoffice';

test('a reload while the back office stores a batch whose answer never arrives: every sale arrives once', async ({ page, backOffice }) => {
  await ready(page, backOffice.url);
  await page.route('**/api/**', (route) => route.abort());
  for (const article of ['W100', 'X10', 'S100']) await cashSale(page, article);
  await expect(page.getByTestId('outbox-pending')).toContainText('3 sales');
  await page.unroute('**/api/**');

  // The back office stores the batch; the answer is held until the tab is gone.
  let stored = 0;
  await page.route('**/api/Order/PostOrder', async (route) => {
    const response = await route.fetch();
    stored += 1;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    await route.fulfill({ response }).catch(() => {});
  });
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect.poll(() => stored).toBe(1);
  expect(backOffice.orders()).toHaveLength(3);
  await page.unroute('**/api/Order/PostOrder');
  await page.reload();

  // After the reload the records are sent again and acknowledged, not stored twice.
  await expect(page.getByTestId('outbox-pending')).toHaveText('Nothing waiting to be sent');
  await go(page, 'History');
  await expect(page.getByTestId('history-state')).toHaveText(['At the back office', 'At the back office', 'At the back office']);
  const orders = backOffice.orders();
  expect(orders).toHaveLength(3);
  expect(new Set(orders.map((o) => o.Id)).size).toBe(3);
});

test('two tabs: both see the same queue, one flushes at a time, each record is sent once', async ({ page, context, backOffice }) => {
  await ready(page, backOffice.url);
  await context.route('**/api/**', (route) => route.abort());
  for (const article of ['W100', 'X10']) await cashSale(page, article);

  const other = await context.newPage();
  await other.goto(backOffice.url);
  await expect(other.getByTestId('outbox-pending')).toContainText('2 sales');
  // A sale in the second tab shows in the first one's status too.
  await cashSale(other, 'C100');
  await expect(page.getByTestId('outbox-pending')).toContainText('3 sales');

  const sent: string[] = [];
  context.on('request', (request) => {
    if (request.url().endsWith('/api/Order/PostOrder')) for (const r of JSON.parse(request.postData() ?? '[]')) sent.push(r.Id);
  });
  await context.unroute('**/api/**');
  await Promise.all([page.getByRole('button', { name: 'Sync now' }).click(), other.getByRole('button', { name: 'Sync now' }).click()]);
  for (const tab of [page, other]) await expect(tab.getByTestId('outbox-pending')).toHaveText('Nothing waiting to be sent');
  expect(backOffice.orders()).toHaveLength(3);
  expect(sent).toHaveLength(3);
  expect(new Set(sent).size).toBe(3);
});

test('a 500 keeps records queued with a backoff; a 401 on a push asks for the login and then sends them', async ({ page, backOffice }) => {
  await ready(page, backOffice.url);
  await page.route('**/api/**', (route) => route.abort());
  await cashSale(page, 'W100');
  await page.unroute('**/api/**');

  await page.route('**/api/Order/PostOrder', (route) => route.fulfill({ status: 500, body: '{"Message":"An unexpected error occurred."}' }));
  await page.getByRole('button', { name: 'Sync now' }).click();
  await go(page, 'Sync');
  await expect(page.getByTestId('flush-error')).toContainText('Next try in');
  await expect(page.getByTestId('outbox-pending')).toContainText('1 sale');
  expect(backOffice.orders()).toHaveLength(0);

  // The token is refused at the push: the login comes up and nothing is dropped.
  await page.unroute('**/api/Order/PostOrder');
  await page.route('**/api/Order/PostOrder', (route) => route.fulfill({ status: 401, body: '{"Message":"Authorization has been denied for this request."}' }));
  // The backoff's own retry may get there first and put the login over the page;
  // "Sync now" pressed while a sync still runs does nothing, so it is pressed until the login shows.
  const dialog = page.getByRole('dialog');
  await expect(async () => {
    await page.getByRole('button', { name: 'Sync now' }).dispatchEvent('click');
    await expect(dialog).toContainText('nothing cached or queued is lost', { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId('outbox-pending')).toContainText('1 sale');
  await page.unroute('**/api/Order/PostOrder');
  await dialog.getByLabel('Password').fill('SuperSecret123!');
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('outbox-pending')).toHaveText('Nothing waiting to be sent');
  expect(backOffice.orders()).toHaveLength(1);
});
