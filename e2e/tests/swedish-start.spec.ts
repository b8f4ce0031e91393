// The first run and the cashier sign-in speak the tablet's language: Swedish
// for a tablet in sv-SE, English for anything else (locales/*/start.json).
import { test, expect, signIn, cashierIn } from './backoffice';

// The full pull has arrived (the staff list with it): the strip counts the
// demo catalogue, in whichever language it writes the counts.
const pulled = /13\D+50/;

test.describe('a tablet in Swedish', () => {
  test.use({ locale: 'sv-SE' });

  test('sets up the terminal and signs the cashier in, in Swedish', async ({ page, backOffice }) => {
    await page.goto(backOffice.url);
    await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
    await expect(page.getByRole('heading', { name: 'Ställ in den här kassan' })).toBeVisible();
    await expect(page.getByLabel('Adress till backoffice')).toHaveValue(backOffice.url);
    await page.getByLabel('Kassans användarnamn').fill('terminal.user@possum.com');
    await page.getByLabel('Lösenord').fill('SuperSecret123!');
    await page.getByRole('button', { name: 'Logga in', exact: true }).click();

    await expect(page.getByRole('heading', { name: 'Kassörsinloggning' })).toBeVisible();
    await expect(page.getByLabel('eller PIN-kod')).toBeVisible();
    await expect(page.getByTestId('catalogue-counts')).toHaveText(pulled);
    // A back-office admin's card is no cashier's: refused in Swedish.
    await page.getByLabel('Kassörskort').fill('3001');
    await page.getByRole('button', { name: 'Logga in kassör' }).click();
    await expect(page.getByRole('alert')).toHaveText('Känns inte igen: kontrollera kortet eller PIN-koden och försök igen.');
    await page.getByLabel('Kassörskort').fill('1001');
    await page.getByRole('button', { name: 'Logga in kassör' }).click();
    await expect(page.getByTestId('cashier')).toContainText('Anna Andersson');
  });
});

test.describe('a tablet in English', () => {
  test.use({ locale: 'en-US' });

  test('sets up the terminal and signs the cashier in, in English', async ({ page, backOffice }) => {
    await page.goto(backOffice.url);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { name: 'Set up this terminal' })).toBeVisible();
    await signIn(page, backOffice.url);

    await expect(page.getByRole('heading', { name: 'Cashier sign-in' })).toBeVisible();
    await expect(page.getByTestId('catalogue-counts')).toHaveText(pulled);
    await page.getByLabel('Cashier card').fill('3001');
    await page.getByRole('button', { name: 'Sign in cashier' }).click();
    await expect(page.getByRole('alert')).toHaveText('Not recognised: check the card or PIN and try again.');
    await cashierIn(page, '1001');
    await expect(page.getByTestId('cashier')).toContainText('Anna Andersson');
  });
});
