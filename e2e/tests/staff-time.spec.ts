// Staff time: clock in and out from the bar, the cashier's sign-in, sign-out
// and switch, each queued at the till and listed by the back office.
import { test, expect, ready, cashierIn } from './backoffice';

type Log = { UserId: string; Event: string; TerminalId: string; At: string };

test('clock-in, clock-out and a switch of cashier reach the back office, which lists the hours', async ({ page, backOffice }) => {
  await ready(page, backOffice.url, '1001');
  await page.getByRole('button', { name: 'Staff time' }).click();
  const dialog = page.getByRole('dialog', { name: 'Staff time' });
  await expect(dialog.getByTestId('on-duty-none')).toHaveText('Nobody is clocked in.');
  await dialog.getByRole('button', { name: 'Clock in' }).click();
  await expect(dialog.getByTestId('staff-time-done')).toContainText('Anna Andersson clocked in at');
  await expect(dialog.getByTestId('on-duty')).toContainText('Anna Andersson since');
  // Clocked in: the one button is Clock out now.
  await expect(dialog.getByRole('button', { name: 'Clock in' })).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Close' }).click();

  // Closed and opened again, the tablet still knows who is on duty.
  await page.getByRole('button', { name: 'Staff time' }).click();
  await expect(dialog.getByTestId('on-duty')).toContainText('Anna Andersson since');
  await dialog.getByRole('button', { name: 'Clock out' }).click();
  await expect(dialog.getByTestId('staff-time-done')).toContainText('Anna Andersson clocked out at');
  await expect(dialog.getByTestId('on-duty-none')).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();

  // A switch of cashier: Anna signs out, Magnus signs in.
  await page.getByRole('button', { name: 'Switch cashier' }).click();
  await cashierIn(page, '2001');
  await expect(page.getByTestId('cashier')).toContainText('Magnus Manager');

  const logs = async () => JSON.parse(backOffice.admin('records', 'EmployeeLog')) as Log[];
  await expect.poll(async () => (await logs()).map((l) => l.Event)).toEqual(['SignIn', 'ClockIn', 'ClockOut', 'SignOut', 'SignIn']);
  const [annaIn, clockIn, clockOut, annaOut, magnusIn] = await logs();
  expect(new Set([annaIn.UserId, clockIn.UserId, clockOut.UserId, annaOut.UserId]).size).toBe(1);
  expect(magnusIn.UserId).not.toBe(annaIn.UserId);

  // The back office's hours per person and day: Anna's shift, closed.
  const hours = JSON.parse(backOffice.admin('report', 'hours'));
  expect(hours).toHaveLength(1);
  expect(hours[0]).toMatchObject({ Name: 'Anna Andersson', StillClockedIn: false });
  expect(Number(hours[0].Hours)).toBeLessThan(0.1);
});

test('a clock-in repeated on the same tablet is refused with a message and nothing more is queued', async ({ page, backOffice }) => {
  await ready(page, backOffice.url, '1001');
  await page.getByRole('button', { name: 'Staff time' }).click();
  const dialog = page.getByRole('dialog', { name: 'Staff time' });
  await expect(dialog.getByTestId('on-duty-none')).toBeVisible();
  // Meanwhile another tab of the same tablet clocks Anna in.
  const second = await page.context().newPage();
  try {
    await second.goto(backOffice.url);
    await second.getByTestId('cashier').waitFor();
    await second.getByRole('button', { name: 'Staff time' }).click();
    const other = second.getByRole('dialog', { name: 'Staff time' });
    await other.getByRole('button', { name: 'Clock in' }).click();
    await expect(other.getByTestId('on-duty')).toContainText('Anna Andersson');
  } finally {
    await second.close();
  }
  // This tab still offered Clock in: the tap is refused, and it shows who is on duty now.
  await dialog.getByRole('button', { name: 'Clock in' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('You are clocked in already.');
  await expect(dialog.getByTestId('on-duty')).toContainText('Anna Andersson');
  await expect(dialog.getByRole('button', { name: 'Clock out' })).toBeVisible();
  await expect.poll(() => (JSON.parse(backOffice.admin('records', 'EmployeeLog')) as Log[]).map((l) => l.Event)).toEqual(['SignIn', 'ClockIn']);
});
