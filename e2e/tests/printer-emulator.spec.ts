// The ePOS-Print printer emulator answers a page on another origin as a TM
// printer does, and reads back what the Rust encoder's jobs print: the sale
// and copy golden files of crates/print are posted as the terminal will post them.
import { test, expect, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ASB, PrinterEmulator, parseEposPrint, EposSchemaError } from '../printer/emulator';

const golden = (name: string) =>
  readFileSync(path.resolve(__dirname, '..', '..', 'crates', 'print', 'tests', 'golden', name), 'utf8');
const FEEDBACK = 'https://feedback.possum.example/r/6f9619ff-8b86-d011-b42d-00cf4fc964ff';

let printer: PrinterEmulator;
let site: http.Server;
let origin: string;

// The page prints from its own origin (another port), so every job goes through a CORS preflight.
test.beforeEach(async ({ page }) => {
  printer = await PrinterEmulator.start({ silentHoldMs: 5_000 });
  site = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>Till</title>');
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  await page.goto(origin);
});

test.afterEach(async () => {
  await printer.stop();
  await new Promise<void>((resolve) => site.close(() => resolve()));
});

/** Posts `body` from the page as the terminal will: fetch with the ePOS headers and a deadline. */
async function post(page: Page, body: string, deadlineMs = 3_000): Promise<{ status: number; text: string } | { error: string }> {
  return page.evaluate(
    async ({ endpoint, body, deadlineMs }) => {
      try {
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""' },
          body,
          signal: AbortSignal.timeout(deadlineMs),
        });
        return { status: response.status, text: await response.text() };
      } catch (e) {
        return { error: (e as Error).name };
      }
    },
    { endpoint: printer.endpoint, body, deadlineMs },
  );
}

function answer(result: { status: number; text: string } | { error: string }) {
  if ('error' in result) throw new Error(`no answer: ${result.error}`);
  const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(result.text)?.[1];
  return { success: attr('success'), code: attr('code'), status: Number(attr('status')) };
}

test('a sale printed from another origin: lines, token barcode, feedback QR, cut and drawer kick', async ({ page }) => {
  const result = answer(await post(page, golden('sale-80mm.xml')));
  expect(result.success).toBe('true');
  expect(result.code).toBe('');
  expect(result.status & ASB.PRINT_SUCCESS).toBeTruthy();
  expect(printer.preflights).toBe(1);

  const job = printer.lastJob();
  expect(job.origin).toBe(origin);
  expect(job.url).toBe('/cgi-bin/epos/service.cgi?devid=local_printer&timeout=10000');
  expect(job.printed).toBe(true);
  const printed = job.parsed!;
  expect(printed.lines).toContain('Tvätthallen i Östersund AB');
  expect(printed.lines).toContain('831 30 Östersund');
  expect(printed.lines).toContain('Cashier                                Åsa Öberg');
  expect(printed.lines).toContain('TOTAL                                 SEK 453.00');
  expect(printed.lines).toContain('VAT 25% of SEK 407.00                  SEK 81.40');
  expect(printed.lines).toContain('VAT 12% of SEK 45.50                    SEK 4.88');
  expect(printed.lines).toContain('Välkommen åter!');
  const company = printed.styled.find((l) => l.text === 'Tvätthallen i Östersund AB')!;
  expect(company).toMatchObject({ align: 'center', bold: true, doubleHeight: true, doubleWidth: false });
  expect(printed.barcodes).toEqual([{ type: 'ean13', data: '7310000000010' }]);
  expect(printed.symbols).toEqual([{ type: 'qrcode_model_2', level: 'level_m', data: FEEDBACK }]);
  expect(printed.cut).toBe(true);
  expect(printed.cutAfterLine).toBe(printed.lines.length);
  expect(printed.drawerKicks).toEqual([{ drawer: 'drawer_1', time: 'pulse_100' }]);
  expect(printer.drawerOpen).toBe(true);
  // The next answer reports the open drawer (pin 3 low).
  const again = answer(await post(page, golden('copy-80mm.xml')));
  expect(again.status & ASB.DRAWER_KICK).toBe(0);
});

test('a copy opens no drawer and says COPY in double size', async ({ page }) => {
  expect(answer(await post(page, golden('copy-58mm.xml'))).success).toBe('true');
  const printed = printer.lastJob().parsed!;
  expect(printed.drawerKicks).toEqual([]);
  expect(printer.drawerOpen).toBe(false);
  const marks = printed.styled.filter((l) => l.text === 'COPY');
  expect(marks).toHaveLength(2);
  for (const mark of marks) expect(mark).toMatchObject({ doubleWidth: true, doubleHeight: true });
});

test('out of paper and cover open are refused with the printer codes and status bits', async ({ page }) => {
  printer.setFault('paperEnd');
  const empty = answer(await post(page, golden('sale-58mm.xml')));
  expect(empty).toMatchObject({ success: 'false', code: 'EPTR_REC_EMPTY' });
  expect(empty.status & ASB.RECEIPT_END).toBeTruthy();
  expect(empty.status & ASB.OFF_LINE).toBeTruthy();

  printer.setFault('coverOpen');
  const cover = answer(await post(page, golden('sale-58mm.xml')));
  expect(cover).toMatchObject({ success: 'false', code: 'EPTR_COVER_OPEN' });
  expect(cover.status & ASB.COVER_OPEN).toBeTruthy();

  printer.setFault('nearEnd');
  const low = answer(await post(page, golden('sale-58mm.xml')));
  expect(low.success).toBe('true');
  expect(low.status & ASB.RECEIPT_NEAR_END).toBeTruthy();
  expect(printer.jobs().map((j) => j.printed)).toEqual([false, false, true]);
});

test('a silent printer runs into the deadline, garbage is not an answer', async ({ page }) => {
  printer.setFault('silent');
  const started = Date.now();
  expect(await post(page, golden('sale-58mm.xml'), 500)).toEqual({ error: 'TimeoutError' });
  expect(Date.now() - started).toBeLessThan(4_000);
  expect(printer.jobs()).toHaveLength(1);

  printer.setFault('garbage');
  const garbage = await post(page, golden('sale-58mm.xml'));
  expect('text' in garbage && garbage.text.includes('success=')).toBe(false);
  expect(printer.lastJob().answer).toBe('garbage');
});

test('a late answer still printed; the headers, the timeout asked and the pulses are read back', async ({ page }) => {
  printer.setAnswerDelay(1_500);
  expect(await post(page, golden('sale-58mm.xml'), 500)).toEqual({ error: 'TimeoutError' });
  // The paper came out although the page stopped listening: "may have printed".
  expect(printer.printedJobs()).toHaveLength(1);
  expect(printer.drawerPulses()).toBe(1);
  const job = printer.lastJob();
  expect(job.soapAction).toBe('""');
  expect(job.printerTimeoutMs).toBe(10_000);
  expect(job.contentType).toBe('text/xml; charset=utf-8');

  printer.setAnswerDelay(0);
  expect(answer(await post(page, golden('copy-58mm.xml'))).success).toBe('true');
  expect(printer.drawerPulses()).toBe(1);
});

test('a job that is not ePOS-Print gets SchemaError', async ({ page }) => {
  const result = answer(await post(page, '<s:Envelope><s:Body><epos-print><text>open</epos-print></s:Body></s:Envelope>'));
  expect(result).toMatchObject({ success: 'false', code: 'SchemaError' });
  expect(printer.lastJob().parseError).toContain('<text> is not closed');
  expect(() => parseEposPrint('<html></html>')).toThrow(EposSchemaError);
  expect(() => parseEposPrint(golden('sale-80mm.xml').replace('<cut', '<guillotine'))).toThrow(/not an ePOS-Print element/);
  expect(() => parseEposPrint(golden('sale-80mm.xml').replace('&amp;', '&'))).toThrow(/bare &/);
});
