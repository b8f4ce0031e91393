// Every receipt is registered with the control unit before it is shown
// (issue 20, SKVFS 2014:9): the receipt carries the register id the back
// office issued and its control code; the back office holds the journal
// entries; a reprint is a counted copy (KOPIA) with its own control code.
import { test, expect, ready, go, cashSaleShown, testIdText, BackOffice } from './backoffice';

const REGISTER_ID = /^POSSUM-[A-Z0-9]+-\d{4}$/;
// An ECDSA P-256 signature, base64.
const CONTROL_CODE = /^[A-Za-z0-9+/]{40,}={0,2}$/;

type Entry = { kind: string; seq: number; controlCode?: string };

/** The register's journal at the back office, from `admin export-journal`, parsed as far as this test needs. */
function journal(backOffice: BackOffice, register: string): Entry[] {
  const xml = backOffice.admin('export-journal', register, '--from', '2000-01-01', '--to', '2100-01-01');
  expect(xml).toContain(`RegisterId="${register}"`);
  return [...xml.matchAll(/<Entry ([^>]*)>/g)].map((m) => {
    const attr = (name: string) => m[1].match(new RegExp(`\\b${name}="([^"]*)"`))?.[1];
    return { kind: attr('Kind')!, seq: Number(attr('Seq')), controlCode: attr('ControlCode') };
  });
}

test('a cash sale is registered before its receipt shows, and a reprint is a counted copy with its own code', async ({ page, backOffice }) => {
  await ready(page, backOffice.url);
  await cashSaleShown(page, 'W100');
  const register = await testIdText(page, 'register-id');
  expect(register).toMatch(REGISTER_ID);
  await expect(page.getByTestId('control-unit-id')).toHaveText(/^POSSUM-SM-[0-9A-F]{12}$/);
  const original = await testIdText(page, 'control-code');
  expect(original).toMatch(CONTROL_CODE);
  await expect(page.getByTestId('copy-mark')).toHaveCount(0);
  await page.getByRole('button', { name: 'Close receipt' }).click();

  // The sale's journal entry reaches the back office with the code the receipt shows.
  await go(page, 'History');
  await expect(page.getByTestId('outbox-pending')).toHaveText('Nothing waiting to be sent');
  await expect.poll(() => journal(backOffice, register).filter((e) => e.kind === 'Sale')).toEqual([
    expect.objectContaining({ controlCode: original }),
  ]);

  // A reprint is a copy: marked large, registered with its own control code.
  await page.getByRole('button', { name: 'Reprint invoice 1' }).click();
  const mark = page.getByTestId('copy-mark');
  await expect(mark).toHaveText('COPY');
  await expect(page.getByTestId('register-id')).toHaveText(register);
  const copy = await testIdText(page, 'control-code');
  expect(copy).toMatch(CONTROL_CODE);
  expect(copy).not.toBe(original);
  const [markHeight, totalHeight] = await Promise.all(
    [mark, page.getByTestId('receipt-total')].map((l) => l.evaluate((e) => parseFloat(getComputedStyle(e).fontSize))),
  );
  expect(markHeight).toBeGreaterThanOrEqual(2 * totalHeight);
  await page.getByRole('button', { name: 'Close receipt' }).click();

  // The copy is journaled (counted) at the back office, after the sale, with its code.
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect
    .poll(() => journal(backOffice, register).filter((e) => e.kind === 'Sale' || e.kind === 'Copy').map((e) => [e.kind, e.controlCode]))
    .toEqual([
      ['Sale', original],
      ['Copy', copy],
    ]);
});

test('a register without its back office still registers its receipt: the key is on the tablet', async ({ page, backOffice }) => {
  await ready(page, backOffice.url);
  await backOffice.stop();
  await cashSaleShown(page, 'X10');
  await expect(page.getByTestId('offline-mark')).toHaveText('Sold offline');
  const register = await testIdText(page, 'register-id');
  expect(register).toMatch(REGISTER_ID);
  const code = await testIdText(page, 'control-code');
  expect(code).toMatch(CONTROL_CODE);
  await page.getByRole('button', { name: 'Close receipt' }).click();

  // Back online, the entry sealed offline reaches the back office.
  await backOffice.restart();
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByTestId('outbox-pending')).toHaveText('Nothing waiting to be sent', { timeout: 15_000 });
  await expect.poll(() => journal(backOffice, register).filter((e) => e.kind === 'Sale').map((e) => e.controlCode)).toEqual([code]);
});
