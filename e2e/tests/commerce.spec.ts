// Campaigns, discount programs and the wash club at the till, against the
// bundled back office's demo data (docs/demo-data.md): the price the till
// applies, offline too, is the price the back office checks.
import { test, expect, ready, tap, go } from './backoffice';
import { findCustomer, pay, receiptToken, weekdayAt } from './commerce-helpers';

const MORNING = 'Morning underbody wash 39 kr';

test('a weekday-morning campaign sold offline is the price the back office computes after the flush', async ({ page, backOffice }) => {
  await page.clock.install({ time: weekdayAt('07:00:00') });
  await ready(page, backOffice.url);
  await tap(page, 'X20');
  const line = page.locator('.cart-line[data-article="X20"]');
  await expect(line.getByTestId('line-promotion')).toHaveText(`${MORNING} −20.00 SEK`);
  await expect(page.getByTestId('cart-total')).toHaveText('39.00 SEK');

  // The cashier asks why: the campaign applied, the others say why not.
  await page.getByRole('button', { name: 'Why this price?' }).click();
  const why = page.getByRole('dialog', { name: 'Why this price?' });
  await expect(why.getByTestId('explanation').filter({ hasText: MORNING })).toContainText('Applied: takes 20.00 SEK off one line.');
  await expect(why.getByTestId('explanation').filter({ hasText: 'Every 5th wash free' })).toContainText('Only for a customer on the sale');
  await expect(why.getByTestId('explanation').filter({ hasText: 'Fleet 10 % on extras' })).toContainText('Only for a customer on the sale');
  await why.getByRole('button', { name: 'Close' }).click();

  await backOffice.stop();
  await pay(page, 'Card');
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByTestId('offline-mark')).toHaveText('Sold offline');
  await expect(page.getByTestId('receipt-total')).toHaveText('39.00 SEK');
  await page.getByRole('button', { name: 'Close receipt' }).click();
  // Selling offline is routine: said calmly, nothing in red.
  await expect(page.getByTestId('cart-note')).toContainText('Sold offline and queued');
  await expect(page.getByTestId('cart-message')).toHaveCount(0);
  await expect(page.getByTestId('cart-note')).not.toHaveCSS('color', 'rgb(179, 38, 30)');

  await backOffice.restart();
  await go(page, 'History');
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByTestId('history-state').first()).toHaveText('At the back office');
  const orders = backOffice.orders();
  expect(orders).toHaveLength(1);
  expect(orders[0].Total).toBe('39.00');
  // The back office priced the line as the till did: nothing sold at a stale price.
  expect(JSON.parse(backOffice.admin('report', 'stale-prices'))).toEqual([]);
});

test('a campaign that starts at 06:00 applies to a cart opened at 05:59 once the minute turns', async ({ page, backOffice }) => {
  await page.clock.install({ time: weekdayAt('05:59:30') });
  await ready(page, backOffice.url);
  await tap(page, 'X20');
  await expect(page.getByTestId('cart-total')).toHaveText('59.00 SEK');
  await page.getByRole('button', { name: 'Why this price?' }).click();
  const why = page.getByRole('dialog', { name: 'Why this price?' });
  await expect(why.getByTestId('explanation').filter({ hasText: MORNING })).toContainText('Not running at this hour.');
  await page.clock.fastForward('00:45');
  // The open dialog follows the minute too.
  await expect(why.getByTestId('explanation').filter({ hasText: MORNING })).toContainText('Applied');
  await why.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('cart-total')).toHaveText('39.00 SEK');
});

test('a fleet customer’s discount program applies, and the back office accepts the price', async ({ page, backOffice }) => {
  await page.clock.install({ time: weekdayAt('12:00:00') });
  await ready(page, backOffice.url);
  await tap(page, 'X10');
  await expect(page.getByTestId('cart-total')).toHaveText('49.00 SEK');
  await expect(page.getByTestId('line-promotion')).toHaveCount(0);
  await findCustomer(page, 'FLT001');
  await expect(page.getByTestId('customer')).toContainText('Fleet Logistics AB');
  await expect(page.getByTestId('line-promotion')).toHaveText('Fleet 10 % on extras −4.90 SEK');
  await expect(page.getByTestId('cart-total')).toHaveText('44.10 SEK');

  await page.getByRole('button', { name: 'Why this price?' }).click();
  const why = page.getByRole('dialog', { name: 'Why this price?' });
  await expect(why.getByTestId('explanation').filter({ hasText: 'Fleet 10 % on extras' })).toContainText('Applied: takes 4.90 SEK off one line.');
  await expect(why.getByTestId('explanation').filter({ hasText: MORNING })).toContainText('Not running at this hour.');
  await why.getByRole('button', { name: 'Close' }).click();

  await pay(page, 'Card');
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByTestId('receipt-total')).toHaveText('44.10 SEK');
  await expect(page.getByTestId('offline-mark')).toHaveCount(0);
  await page.getByRole('button', { name: 'Close receipt' }).click();
  await go(page, 'History');
  await expect(page.getByTestId('history-state').first()).toHaveText('At the back office');
  expect(backOffice.orders().map((o) => o.Total)).toEqual(['44.10']);
  expect(JSON.parse(backOffice.admin('report', 'stale-prices'))).toEqual([]);
});

test('a subscribed car washes on its plan once a day; the second wash, and a paused plan, get the message and the normal price', async ({ page, backOffice }) => {
  await ready(page, backOffice.url);
  await findCustomer(page, 'dem 000');
  const plan = page.getByTestId('plan');
  await expect(plan).toContainText('Wash club');
  await expect(plan).toContainText('Active');
  await expect(plan.getByTestId('plan-left')).toHaveText('1');

  // A wash outside the plan: the reason, and the normal price.
  await tap(page, 'W100');
  await expect(page.getByTestId('plan-refused')).toHaveText('This wash is not in the plan. The wash costs its normal price.');
  await page.getByRole('button', { name: 'Remove Basic wash' }).click();

  await tap(page, 'W200');
  const onPlan = page.getByRole('button', { name: 'Wash on the plan' });
  await expect(onPlan).toBeEnabled();
  // With anything else in the cart the plan waits: a wash on the plan is sold alone.
  await tap(page, 'C100');
  await expect(onPlan).toBeDisabled();
  await page.getByRole('button', { name: 'Remove Coffee' }).click();
  await onPlan.click();
  await expect(page.getByTestId('receipt')).toContainText('Wash club');
  await expect(page.getByTestId('receipt-total')).toHaveText('229.00 SEK');
  const token = await receiptToken(page);
  await page.getByRole('button', { name: 'Close receipt' }).click();
  await expect.poll(() => backOffice.orders().map((o) => [o.Total, o.Token])).toEqual([['229.00', token]]);

  // The same car again today: the plan's one wash is used.
  await findCustomer(page, 'DEM000');
  await expect(page.getByTestId('plan-left')).toHaveText('0');
  await tap(page, 'W200');
  await expect(page.getByTestId('plan-refused')).toHaveText("The plan's 1 wash(es) a day are used today. The wash costs its normal price.");
  await expect(page.getByRole('button', { name: 'Wash on the plan' })).toHaveCount(0);
  await expect(page.getByTestId('cart-total')).toHaveText('229.00 SEK');
  // The payment dialog's "Wash club" is refused at the till as well, and nothing is sold.
  await pay(page, 'Wash club');
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByTestId('cart-message')).toHaveText("The plan's 1 wash(es) a day are used today. The wash costs its normal price.");
  await expect(page.getByTestId('cart-line')).toHaveCount(1);
  expect(backOffice.orders()).toHaveLength(1);
  await page.getByRole('button', { name: 'Clear cart' }).click();

  // A paused plan.
  await findCustomer(page, 'DEM001');
  await expect(page.getByTestId('plan')).toContainText('Paused');
  await tap(page, 'W200');
  await expect(page.getByTestId('plan-refused')).toHaveText('The plan is paused. The wash costs its normal price.');
  await expect(page.getByTestId('cart-total')).toHaveText('229.00 SEK');
});
