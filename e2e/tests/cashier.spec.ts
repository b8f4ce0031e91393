import { test, expect, signIn, go } from './backoffice';

test('cashiers sign in by card or PIN, switch in one tap, and wrong PINs lock the screen', async ({ page, backOffice }) => {
  await page.goto(backOffice.url);
  await signIn(page, backOffice.url);
  await expect(page.getByTestId('catalogue-counts')).toHaveText('13 products, 50 customers cached');

  await page.getByLabel('Cashier card').fill('1001');
  await page.getByRole('button', { name: 'Sign in cashier' }).click();
  await expect(page.getByTestId('cashier')).toHaveText('Cashier: Anna Andersson (Cashier)');
  // A cashier may not sign the terminal out.
  await go(page, 'Terminal');
  await expect(page.getByText('Signing the terminal out needs a manager.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign the terminal out' })).toHaveCount(0);

  // The cashier stays signed in across a reload.
  await page.reload();
  await expect(page.getByTestId('cashier')).toHaveText('Cashier: Anna Andersson (Cashier)');

  await page.getByRole('button', { name: 'Switch cashier' }).click();
  // A manager's PIN has eight digits.
  await page.getByLabel('or PIN').fill('24682468');
  await page.getByRole('button', { name: 'Sign in cashier' }).click();
  await expect(page.getByTestId('cashier')).toHaveText('Cashier: Magnus Manager (Manager)');
  // The reload and the switch kept the screen the cashier was on.
  await expect(page.getByRole('button', { name: 'Sign the terminal out' })).toBeVisible();

  await page.getByRole('button', { name: 'Switch cashier' }).click();
  // Back-office admins and inactive staff never reach the tablet: their cards are not accepted.
  await page.getByLabel('Cashier card').fill('3001');
  await page.getByRole('button', { name: 'Sign in cashier' }).click();
  await expect(page.getByRole('alert')).toContainText('Not recognised');
  await page.getByLabel('Cashier card').fill('4001');
  await page.getByRole('button', { name: 'Sign in cashier' }).click();
  await expect(page.getByRole('alert')).toContainText('Not recognised');
  // The third wrong attempt in a row locks the screen.
  await page.getByLabel('or PIN').fill('0000');
  await page.getByRole('button', { name: 'Sign in cashier' }).click();
  await expect(page.getByRole('alert')).toContainText('locked for 30 seconds');
  // Even the right PIN waits for the lock, and a reload does not lift it.
  await page.reload();
  await page.getByLabel('or PIN').fill('1234');
  await page.getByRole('button', { name: 'Sign in cashier' }).click();
  await expect(page.getByRole('alert')).toContainText('The screen is locked for');
  await expect(page.getByTestId('cashier')).toHaveCount(0);
});

test('a manager signs the terminal out; the cache stays for the next sign-in', async ({ page, backOffice }) => {
  await page.goto(backOffice.url);
  await signIn(page, backOffice.url);
  await expect(page.getByTestId('catalogue-counts')).toHaveText('13 products, 50 customers cached');
  await page.getByLabel('or PIN').fill('24682468');
  await page.getByRole('button', { name: 'Sign in cashier' }).click();
  await go(page, 'Terminal');
  await page.getByRole('button', { name: 'Sign the terminal out' }).click();
  await expect(page.getByRole('heading', { name: 'Set up this terminal' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Set up this terminal' })).toBeVisible();
  await signIn(page, backOffice.url);
  await expect(page.getByTestId('catalogue-counts')).toHaveText('13 products, 50 customers cached');
});
