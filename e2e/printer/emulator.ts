// A network receipt printer on loopback that speaks Epson's ePOS-Print, for
// the end-to-end tests: the page posts the SOAP job to
// /cgi-bin/epos/service.cgi?devid=local_printer&timeout=…, as to a TM printer,
// and gets the printer's SOAP answer (success, code, status). Preflights are
// answered as the printers answer them, so a page on another origin may print.
//
// Every job is recorded; a test reads back what was printed (lines, barcode
// and QR payloads, the cut, drawer pulses) and can make the printer misbehave:
// no answer, out of paper, cover open, garbage. Node only, no dependency.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { parseEposPrint, ParsedJob, EposSchemaError } from './epos';

export { parseEposPrint, EposSchemaError };
export type { ParsedJob, PrintedLine } from './epos';

export const SERVICE_PATH = '/cgi-bin/epos/service.cgi';

/** Epson's ASB status bits, as in the status attribute of an answer. */
export const ASB = {
  NO_RESPONSE: 0x00000001,
  PRINT_SUCCESS: 0x00000002,
  DRAWER_KICK: 0x00000004, // drawer port pin 3 high: the drawer is closed
  OFF_LINE: 0x00000008,
  COVER_OPEN: 0x00000020,
  RECEIPT_NEAR_END: 0x00020000,
  RECEIPT_END: 0x00080000,
} as const;

/**
 * How the printer behaves: `ready` prints; `nearEnd` prints and warns;
 * `paperEnd` and `coverOpen` refuse as a TM printer does; `silent` never
 * answers (the socket is held, then dropped after `silentHoldMs`); `garbage`
 * answers HTTP 200 with bytes that are not XML.
 */
export type Fault = 'ready' | 'nearEnd' | 'paperEnd' | 'coverOpen' | 'silent' | 'garbage';

export interface Answer {
  success: boolean;
  code: string;
  status: number;
}

export interface Job {
  at: Date;
  /** The request's path and query. */
  url: string;
  origin: string | undefined;
  contentType: string | undefined;
  /** The SOAPAction header (Epson's SDK sends '""'). */
  soapAction: string | undefined;
  /** How long the job allowed the printer (the `timeout` query, ms); null when absent or not a number. */
  printerTimeoutMs: number | null;
  body: string;
  /** What the job asked the printer to print; null when it was not ePOS-Print. */
  parsed: ParsedJob | null;
  parseError?: string;
  /** Whether the paper came out. */
  printed: boolean;
  /** What the printer answered; 'none' for silence, 'garbage' for garbage. */
  answer: Answer | 'none' | 'garbage';
}

export interface Options {
  fault?: Fault;
  /** How long a silent printer holds a request before dropping the connection. */
  silentHoldMs?: number;
  /** A larger job is refused with HTTP 413 (a TM printer's buffer is far smaller). */
  maxBodyBytes?: number;
  /** Print at once but answer only after this long (a busy printer, a slow network). */
  answerDelayMs?: number;
}

const NS = 'http://www.epson-pos.com/schemas/2011/03/epos-print';
const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, SOAPAction, If-Modified-Since',
};

function soap(answer: Answer): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>' +
    `<response success="${answer.success}" code="${answer.code}" status="${answer.status}" battery="0" xmlns="${NS}"></response>` +
    '</s:Body></s:Envelope>'
  );
}

export class PrinterEmulator {
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly recorded: Job[] = [];
  private fault: Fault;
  private readonly silentHoldMs: number;
  private readonly maxBodyBytes: number;
  private answerDelayMs: number;
  /** CORS preflights answered. */
  preflights = 0;
  /** Whether the last pulse opened the drawer and nobody closed it since. */
  drawerOpen = false;
  /** http://127.0.0.1:PORT */
  url = '';

  private constructor(options: Options) {
    this.fault = options.fault ?? 'ready';
    this.silentHoldMs = options.silentHoldMs ?? 30_000;
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.answerDelayMs = options.answerDelayMs ?? 0;
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** Starts a printer on a free loopback port. */
  static async start(options: Options = {}): Promise<PrinterEmulator> {
    const printer = new PrinterEmulator(options);
    await new Promise<void>((resolve) => printer.server.listen(0, '127.0.0.1', resolve));
    const { port } = printer.server.address() as AddressInfo;
    printer.url = `http://127.0.0.1:${port}`;
    return printer;
  }

  /** Where a job is posted, with the query a TM printer expects. */
  get endpoint(): string {
    return `${this.url}${SERVICE_PATH}?devid=local_printer&timeout=10000`;
  }

  /** Stops the printer and drops every open connection (a silent printer's too). */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  setFault(fault: Fault): void {
    this.fault = fault;
  }

  /** Answer each job only after `ms` (0: at once); the paper still comes out at once. */
  setAnswerDelay(ms: number): void {
    this.answerDelayMs = ms;
  }

  /** Someone shut the drawer. */
  closeDrawer(): void {
    this.drawerOpen = false;
  }

  jobs(): Job[] {
    return [...this.recorded];
  }

  /** The jobs that came out on paper. */
  printedJobs(): Job[] {
    return this.recorded.filter((j) => j.printed);
  }

  /** Drawer pulses that reached the drawer: those of printed jobs. */
  drawerPulses(): number {
    return this.printedJobs().reduce((n, j) => n + (j.parsed?.drawerKicks.length ?? 0), 0);
  }

  lastJob(): Job {
    const job = this.recorded.at(-1);
    if (!job) throw new Error('The printer has received no job.');
    return job;
  }

  /** Waits until `count` jobs have arrived, or throws after `timeoutMs`. */
  async waitForJobs(count: number, timeoutMs = 10_000): Promise<Job[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.recorded.length < count) {
      if (Date.now() > deadline) {
        throw new Error(`The printer received ${this.recorded.length} of ${count} jobs in ${timeoutMs} ms.`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.jobs();
  }

  private status(): number {
    let status = this.drawerOpen ? 0 : ASB.DRAWER_KICK;
    if (this.fault === 'nearEnd') status |= ASB.RECEIPT_NEAR_END;
    if (this.fault === 'paperEnd') status |= ASB.OFF_LINE | ASB.RECEIPT_END;
    if (this.fault === 'coverOpen') status |= ASB.OFF_LINE | ASB.COVER_OPEN;
    return status;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    if (req.method === 'OPTIONS') {
      this.preflights += 1;
      res.writeHead(200, { ...CORS, 'Content-Length': '0' }).end();
      return;
    }
    if (url.pathname !== SERVICE_PATH) {
      res.writeHead(404, CORS).end();
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { ...CORS, Allow: 'POST, OPTIONS' }).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > this.maxBodyBytes) {
        res.writeHead(413, CORS).end();
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > this.maxBodyBytes) return;
      this.answer(req, res, url, Buffer.concat(chunks).toString('utf8'));
    });
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse, url: URL, body: string): void {
    const job: Job = {
      at: new Date(),
      url: url.pathname + url.search,
      origin: req.headers.origin,
      contentType: req.headers['content-type'],
      soapAction: req.headers['soapaction'] as string | undefined,
      printerTimeoutMs: /^\d+$/.test(url.searchParams.get('timeout') ?? '') ? Number(url.searchParams.get('timeout')) : null,
      body,
      parsed: null,
      printed: false,
      answer: 'none',
    };
    this.recorded.push(job);
    try {
      job.parsed = parseEposPrint(body);
    } catch (e) {
      job.parseError = e instanceof Error ? e.message : String(e);
    }
    if (this.fault === 'silent') {
      const timer = setTimeout(() => req.socket.destroy(), this.silentHoldMs);
      req.socket.on('close', () => clearTimeout(timer));
      return;
    }
    if (this.fault === 'garbage') {
      job.answer = 'garbage';
      res.writeHead(200, { ...CORS, 'Content-Type': 'text/xml; charset=utf-8' });
      res.end(Buffer.from([0x00, 0x17, 0x3c, 0x3c, 0x3f, 0x0a, 0xff, 0xfe]));
      return;
    }
    let answer: Answer;
    if (url.searchParams.get('devid') !== 'local_printer') {
      answer = { success: false, code: 'DeviceNotFound', status: this.status() };
    } else if (!job.parsed) {
      answer = { success: false, code: 'SchemaError', status: this.status() };
    } else if (this.fault === 'paperEnd') {
      answer = { success: false, code: 'EPTR_REC_EMPTY', status: this.status() };
    } else if (this.fault === 'coverOpen') {
      answer = { success: false, code: 'EPTR_COVER_OPEN', status: this.status() };
    } else {
      job.printed = true;
      if (job.parsed.drawerKicks.length > 0) this.drawerOpen = true;
      answer = { success: true, code: '', status: this.status() | ASB.PRINT_SUCCESS };
    }
    job.answer = answer;
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(200, { ...CORS, 'Content-Type': 'text/xml; charset=utf-8' });
      res.end(soap(answer));
    };
    if (this.answerDelayMs > 0) setTimeout(send, this.answerDelayMs);
    else send();
  }
}
