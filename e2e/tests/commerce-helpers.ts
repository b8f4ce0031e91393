// What the commerce, wash-token and staff-time specs share: the shop's clock
// (Europe/Stockholm), the wash bay's token check, finding a customer and paying.
import { expect, DEMO, type BackOffice } from './backoffice';
import type { Page } from '@playwright/test';

/** The demo's second terminal login (desk 2, the wash lane): the bay asks with a login of its own. */
export const BAY = { username: 'kiosk.terminal@possum.com', password: DEMO.password };

/** The instant whose wall-clock time in Stockholm is `date` (YYYY-MM-DD) at `time` (HH:MM:SS). */
export function stockholm(date: string, time: string): Date {
  const guess = new Date(`${date}T${time}Z`);
  const wall = (zone: string) => new Date(guess.toLocaleString('en-US', { timeZone: zone })).getTime();
  return new Date(guess.getTime() - (wall('Europe/Stockholm') - wall('UTC')));
}

/**
 * The latest weekday (Monday to Friday) on or before today in Stockholm, at
 * `time` there: inside the demo campaigns' dates, which run from 30 days
 * before the back office was started.
 */
export function weekdayAt(time: string): Date {
  const day = new Date(`${new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/Stockholm' })}T12:00:00Z`);
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() - 1);
  return stockholm(day.toISOString().slice(0, 10), time);
}

export type Validation = { Valid: boolean; Program: number | null; ArticleNumbers: string[]; Message: string | null };

/** Asks the back office, as the wash bay does, whether `token` is good (each is good once). */
export async function validateToken(backOffice: BackOffice, token: string): Promise<Validation> {
  const signIn = await fetch(`${backOffice.url}/Token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', username: BAY.username, password: BAY.password }).toString(),
  });
  expect(signIn.status).toBe(200);
  const { access_token } = await signIn.json();
  const answer = await fetch(`${backOffice.url}/api/WashToken/PostValidation`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${access_token}` },
    body: JSON.stringify({ Token: token }),
  });
  expect(answer.status).toBe(200);
  return answer.json();
}

/** Finds the customer (or car) by card number, tag or plate in the customer panel. */
export async function findCustomer(page: Page, code: string): Promise<void> {
  await page.getByLabel('Card number, tag or licence plate').fill(code);
  await page.getByRole('button', { name: 'Find customer' }).click();
  await expect(page.getByTestId('customer')).toBeVisible();
}

/** Opens the payment dialog and takes `method` (for `amount`, or all that is left). */
export async function pay(page: Page, method: string, amount?: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Payment' });
  if (!(await dialog.isVisible())) await page.getByRole('button', { name: 'Pay', exact: true }).click();
  if (amount) await dialog.getByLabel('Amount or cash received').fill(amount);
  await dialog.getByRole('button', { name: method, exact: true }).click();
}

/** The wash token the open receipt shows, checked to be a valid EAN-13 code. */
export async function receiptToken(page: Page): Promise<string> {
  const token = (await page.getByTestId('token-number').textContent())!.trim();
  expect(token).toMatch(/^2\d{12}$/);
  const digits = [...token].map(Number);
  const sum = digits.slice(0, 12).reduce((s, d, i) => s + d * (i % 2 === 0 ? 1 : 3), 0);
  expect((10 - (sum % 10)) % 10).toBe(digits[12]);
  return token;
}
