// Two tablets signed in with one terminal login are two registers (issue 20,
// SKVFS 2014:9): each is issued its own register id and keeps its own
// unbroken receipt series, online and offline, so the two never collide at
// the back office, and each register's journal chains and verifies.
import { test, expect, ready, tap, BackOffice } from './backoffice';
import type { Page } from '@playwright/test';
import { createHash, verify } from 'node:crypto';

const REGISTER_ID = /^POSSUM-[A-Z0-9]+-\d{4}$/;
const GENESIS_HASH = '0'.repeat(64);

type Receipt = { register: string; number: number; offline: boolean };

async function text(page: Page, testId: string): Promise<string> {
  return ((await page.getByTestId(testId).textContent()) ?? '').trim();
}

/** Rings up one `article` paid exactly in cash and reads its receipt before closing it. */
async function sell(page: Page, article: string): Promise<Receipt> {
  await tap(page, article);
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Cash', exact: true }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByTestId('receipt')).toBeVisible();
  const receipt = {
    register: await text(page, 'register-id'),
    number: Number(await text(page, 'invoice-number')),
    offline: (await page.getByTestId('offline-mark').count()) > 0,
  };
  await page.getByRole('button', { name: 'Close receipt' }).click();
  return receipt;
}

const unescape = (s: string) =>
  s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

type Entry = { seq: number; kind: string; at: string; prevHash: string; hash: string; controlCode?: string; data: string };

/**
 * The register's journal from `admin export-journal`, checked as an auditor
 * would check the export alone: seq 1, 2, 3… from the genesis hash, each
 * entry's hash the SHA-256 of its canonical text (`JournalEntry::canonical`)
 * and the next one's PrevHash, and each receipt's control code the
 * register's ECDSA P-256 signature of its control data
 * (`ControlData::canonical`) under the public key in the export.
 */
function verifiedJournal(backOffice: BackOffice, register: string): Entry[] {
  const xml = backOffice.admin('export-journal', register, '--from', '2000-01-01', '--to', '2100-01-01');
  const head = xml.match(/<Journal RegisterId="([^"]*)" ControlUnitId="[^"]*" PublicKey="([^"]*)">/);
  expect(head?.[1]).toBe(register);
  const publicKey = Buffer.from(head![2], 'base64');
  const entries = [...xml.matchAll(/<Entry ([^>]*)>\s*<Data>([^<]*)<\/Data>/g)].map((m): Entry => {
    const attr = (name: string) => {
      const v = m[1].match(new RegExp(`\\b${name}="([^"]*)"`))?.[1];
      return v === undefined ? undefined : unescape(v);
    };
    return {
      seq: Number(attr('Seq')),
      kind: attr('Kind')!,
      at: attr('At')!,
      prevHash: attr('PrevHash')!,
      hash: attr('Hash')!,
      controlCode: attr('ControlCode'),
      data: unescape(m[2]),
    };
  });
  let prev = GENESIS_HASH;
  entries.forEach((e, i) => {
    expect(e.seq, `${register}: entry ${i + 1}'s seq`).toBe(i + 1);
    expect(e.prevHash, `${register}: entry ${e.seq} links to the one before`).toBe(prev);
    const canonical = [e.seq, register, e.at, e.kind, e.data, e.controlCode ?? '', e.prevHash].join('\n');
    expect(createHash('sha256').update(canonical).digest('hex'), `${register}: entry ${e.seq}'s hash`).toBe(e.hash);
    prev = e.hash;
    if (e.controlCode === undefined) return;
    // The control data keeps its amounts as written (149.00): read as text, not as JS numbers.
    const control = e.data.match(/"Control":\{([^{}]*)\}/)![1];
    const field = (name: string) => control.match(new RegExp(`"${name}":("[^"]*"|[^,\\]]+)`))![1].replace(/^"|"$/g, '');
    const vat = [...(control.match(/"Vat":\[(.*)\]/)?.[1] ?? '').matchAll(/\[([^,\]]+),([^\]]+)\]/g)].map((v) => `${v[1]}:${v[2]}`);
    const signed = [
      field('OrganisationNumber'),
      field('RegisterId'),
      field('ReceiptNumber'),
      field('At'),
      field('Kind'),
      field('Total'),
      vat.join(';'),
    ].join('\n');
    const ok = verify(
      'sha256',
      Buffer.from(signed),
      { key: publicKey, format: 'der', type: 'spki', dsaEncoding: 'ieee-p1363' },
      Buffer.from(e.controlCode, 'base64'),
    );
    expect(ok, `${register}: entry ${e.seq}'s control code is the register's signature`).toBe(true);
  });
  return entries;
}

test('two tablets on one login are two registers, each with its own gapless receipt series', async ({ page, browser, backOffice }) => {
  // About 10 s here (two sign-ins and full pulls at once); room for a busy machine.
  test.setTimeout(90_000);
  // Two tablets: two browser contexts, so two IndexedDBs and two device keys, one login.
  const other = await browser.newContext({ serviceWorkers: 'block' });
  const a = page;
  const b = await other.newPage();
  await Promise.all([ready(a, backOffice.url), ready(b, backOffice.url)]);
  const sold: Record<'a' | 'b', Receipt[]> = { a: [], b: [] };

  // Interleaved, A B A B A B, with each tablet offline for part of it.
  sold.a.push(await sell(a, 'W100'));
  sold.b.push(await sell(b, 'X10'));
  await a.context().setOffline(true);
  sold.a.push(await sell(a, 'X10'));
  sold.b.push(await sell(b, 'W100'));
  await a.context().setOffline(false);
  // A's next sale is sent at once, and with it the one it kept while offline.
  sold.a.push(await sell(a, 'W100'));
  await other.setOffline(true);
  sold.b.push(await sell(b, 'X10'));
  await other.setOffline(false);
  await b.getByRole('button', { name: 'Sync now' }).click();

  expect(sold.a.map((r) => r.offline)).toEqual([false, true, false]);
  expect(sold.b.map((r) => r.offline)).toEqual([false, false, true]);
  const [ra, rb] = [sold.a[0].register, sold.b[0].register];
  expect(ra).toMatch(REGISTER_ID);
  expect(rb).toMatch(REGISTER_ID);
  expect(ra).not.toBe(rb);
  for (const [register, receipts] of [[ra, sold.a], [rb, sold.b]] as const) {
    expect(receipts.map((r) => r.register)).toEqual([register, register, register]);
    const first = receipts[0].number;
    expect(receipts.map((r) => r.number), `register ${register}'s receipt numbers`).toEqual([first, first + 1, first + 2]);
  }

  // The back office holds all six, each under its register, no number twice in a register.
  await expect.poll(() => backOffice.orders().length, { timeout: 20_000 }).toBe(6);
  const orders = backOffice.orders();
  expect(new Set(orders.map((o) => o.TerminalId)).size).toBe(1);
  const held = (register: string) =>
    orders
      .filter((o) => o.RegisterId === register)
      .map((o) => o.InvoiceNumber)
      .sort((x, y) => x - y);
  expect(held(ra)).toEqual(sold.a.map((r) => r.number));
  expect(held(rb)).toEqual(sold.b.map((r) => r.number));
  expect(new Set(orders.map((o) => `${o.RegisterId}/${o.InvoiceNumber}`)).size).toBe(6);

  // Each register's journal reaches the back office whole and verifies: three sales, in its own series.
  for (const [register, receipts] of [[ra, sold.a], [rb, sold.b]] as const) {
    await expect
      .poll(() => verifiedJournal(backOffice, register).filter((e) => e.kind === 'Sale').length, { timeout: 20_000 })
      .toBe(3);
    const numbers = verifiedJournal(backOffice, register)
      .filter((e) => e.kind === 'Sale')
      .map((e) => Number(JSON.parse(e.data).Receipt.Number));
    expect(numbers).toEqual(receipts.map((r) => r.number));
  }
  await other.close();
});
