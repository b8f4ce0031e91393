import { test, expect, DEMO, cashierIn, go } from './backoffice';

test('first run: the terminal signs in to the bundled back office and remembers it', async ({ page, backOffice }) => {
  await page.goto(backOffice.url);
  await expect(page.getByRole('heading', { name: 'POSSUM Terminal' })).toBeVisible();
  await expect(page.getByLabel('Back-office address')).toHaveValue(backOffice.url);

  await page.getByLabel('Terminal user name').fill(DEMO.username);
  await page.getByLabel('Password').fill(DEMO.password);
  await page.getByRole('button', { name: 'Sign in' }).click();

  // Signed in, the terminal waits for a cashier.
  await expect(page.getByRole('heading', { name: 'Cashier sign-in' })).toBeVisible();
  await cashierIn(page, '1001');
  await go(page, 'Terminal');
  await expect(page.getByRole('heading', { name: 'This terminal' })).toBeVisible();
  await expect(page.getByTestId('username')).toHaveText(DEMO.username);
  await expect(page.getByTestId('client-number')).toHaveText('1');

  // The session lives in IndexedDB: a reload goes straight to the terminal, on the screen it showed.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'This terminal' })).toBeVisible();
});

test('a wrong password is refused with the back office message and changes nothing', async ({ page, backOffice }) => {
  await page.goto(backOffice.url);
  await page.getByLabel('Terminal user name').fill(DEMO.username);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('The user name or password is incorrect.');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Set up this terminal' })).toBeVisible();
});
