import { test, expect, signIn, cashierIn, tap, go } from './backoffice';
import type { Page } from '@playwright/test';

/** Fills what is left of the origin's quota with another database, as other
 * data on a small tablet would. Returns the bytes written. */
async function fillDisk(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      const open = indexedDB.open('filler', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('junk');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    let written = 0;
    for (const size of [262_144, 16_384, 1_024, 64]) {
      for (let i = 0; ; i++) {
        const stored = await new Promise<boolean>((resolve) => {
          const tx = db.transaction('junk', 'readwrite');
          // Random bytes: Chromium compresses what it stores, so repeated text would never fill it.
          const bytes = new Uint8Array(size);
          for (let at = 0; at < size; at += 65_536) crypto.getRandomValues(bytes.subarray(at, Math.min(size, at + 65_536)));
          tx.objectStore('junk').put(bytes, `${size}-${i}`);
          tx.oncomplete = () => resolve(true);
          tx.onabort = () => resolve(false);
        });
        if (!stored) break;
        written += size;
      }
    }
    db.close();
    return written;
  });
}

async function freeDisk(page: Page) {
  await page.evaluate(() => new Promise((resolve) => { const r = indexedDB.deleteDatabase('filler'); r.onsuccess = r.onerror = () => resolve(null); }));
}

async function payByCard(page: Page) {
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Card', exact: true }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
}

test('a full disk stops sales with a clear message, keeps the cart and charges nothing', async ({ page, backOffice }) => {
  // A small quota, set on the origin (a page of it that is not the app) before
  // the terminal first stores anything: Chromium applies an override then.
  await page.route('**/blank', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>blank</title>' }));
  await page.goto(`${backOffice.url}/blank`);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(backOffice.url).origin, quotaSize: 8 * 1024 * 1024 });
  await page.goto(backOffice.url);
  await signIn(page, backOffice.url);
  await expect(page.getByTestId('catalogue-counts')).toHaveText('13 products, 50 customers cached');
  await cashierIn(page, '1001');
  await go(page, 'Terminal');
  await expect(page.getByTestId('storage-health')).toContainText('MB used of');
  await go(page, 'Sale');

  expect(await fillDisk(page)).toBeGreaterThan(1_000_000);
  await tap(page, 'W100');
  const stopped = page.getByTestId('sales-stopped');
  await expect(stopped).toContainText('Sales are stopped');
  await expect(stopped).toContainText('storage is full');
  await expect(page.getByRole('button', { name: 'Pay', exact: true })).toBeDisabled();
  await expect(page.getByTestId('cart-line')).toHaveCount(1);

  // Even past the banner, a sale that cannot be stored is not sent to api/Sale.
  await stopped.getByRole('button', { name: 'Try again' }).click();
  await payByCard(page);
  await expect(stopped).toBeVisible();
  await expect(page.getByTestId('receipt')).toHaveCount(0);
  await expect(page.getByTestId('cart-line')).toHaveCount(1);
  expect(backOffice.orders()).toHaveLength(0);

  // Space again: the same cart is sold.
  await freeDisk(page);
  await stopped.getByRole('button', { name: 'Try again' }).click();
  await payByCard(page);
  await expect(page.getByTestId('receipt-total')).toHaveText('149.00 SEK');
  await expect.poll(() => backOffice.orders().length).toBe(1);
});
