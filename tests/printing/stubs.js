// Stand-ins for the browser's device APIs at their edge, for tests/printing.rs:
// navigator.serial, navigator.usb and fetch, installed on the page before a
// print and removed after. Each behaves as the specification says where the
// terminal relies on it (a locked stream cannot be closed, a transfer has a
// status, a cancelled read resolves done) and records what it was asked.

const DLE = 0x10, EOT = 0x04;

/** The status answers of a printer: DLE EOT n -> one byte, per n. */
function answerer(status) {
  return (bytes, answer) => {
    for (let i = 0; i + 2 < bytes.length; i++) {
      if (bytes[i] === DLE && bytes[i + 1] === EOT && status && status[bytes[i + 2]] !== undefined) {
        answer(new Uint8Array([status[bytes[i + 2]]]));
      }
    }
  };
}

function domError(name, message) {
  return new DOMException(message, name);
}

function define(name, value) {
  Object.defineProperty(navigator, name, { value, configurable: true, writable: true });
}

/** A browser without Web Serial and WebUSB (Firefox, Safari, an insecure page). */
export function hideDevices() {
  define('serial', undefined);
  define('usb', undefined);
}

/**
 * navigator.serial with the ports of `options.ports` ([{ info }]); the first
 * port behaves as `options` say: `status` (answers to DLE EOT n, or none),
 * `loseOnWrite` (the nth write fails as an unplugged device's), `hangOnWrite`
 * (the nth write never finishes). Answers the log.
 */
export function installSerial(options) {
  const log = { opened: [], openedPorts: [], writes: [], closed: 0, aborted: 0, requested: 0 };
  const answer = answerer(options.status);
  const port = (info, index) => {
    const live = index === 0;
    let controller;
    const p = {
      readable: null,
      writable: null,
      getInfo: () => info,
      open: async ({ baudRate }) => {
        if (p.writable) throw domError('InvalidStateError', 'The port is already open.');
        log.opened.push(baudRate);
        log.openedPorts.push(index);
        p.readable = new ReadableStream({ start: (c) => { controller = c; } });
        p.writable = new WritableStream({
          write: (chunk) => {
            const n = log.writes.length + 1;
            log.writes.push(Array.from(chunk));
            if (live && options.loseOnWrite === n) throw domError('NetworkError', 'The device has been lost.');
            if (live && options.hangOnWrite === n) return new Promise(() => {});
            answer(chunk, (bytes) => controller.enqueue(bytes));
          },
          abort: () => { log.aborted += 1; },
        });
      },
      close: async () => {
        if (p.readable.locked || p.writable.locked) {
          throw domError('InvalidStateError', 'Cannot close a port with a locked stream.');
        }
        log.closed += 1;
        p.readable = null;
        p.writable = null;
      },
    };
    return p;
  };
  const ports = options.ports.map((p, i) => port(p.info, i));
  define('serial', {
    getPorts: async () => ports,
    requestPort: async () => {
      log.requested += 1;
      if (options.pickerCancelled) {
        throw domError('NotFoundError', "Failed to execute 'requestPort' on 'Serial': No port selected by the user.");
      }
      return ports[options.pick ?? 0];
    },
  });
  return log;
}

/**
 * navigator.usb with one device: printer class interface 0, bulk OUT 1 and
 * bulk IN 2 of `packetSize` bytes. `status` answers DLE EOT n on bulk IN (none:
 * silence until close); `stallOnTransfer` (the nth transfer out stalls);
 * `noPrinterInterface` (a vendor-class device only).
 */
export function installUsb(options) {
  const log = { transfers: [], claimed: [], released: [], selected: [], opened: 0, closed: 0 };
  let pending = [];
  let waiting = null;
  const answer = answerer(options.status);
  const interfaceClass = options.noPrinterInterface ? 0xff : 7;
  const configuration = {
    configurationValue: 1,
    interfaces: [{
      interfaceNumber: 0,
      alternate: {
        interfaceClass,
        endpoints: [
          { endpointNumber: 1, direction: 'out', type: 'bulk', packetSize: options.packetSize ?? 64 },
          { endpointNumber: 2, direction: 'in', type: 'bulk', packetSize: options.packetSize ?? 64 },
        ],
      },
    }],
  };
  const device = {
    vendorId: 0x04b8, productId: 0x0e15, serialNumber: 'TM-T20III-1', configuration: null, opened: false,
    open: async () => { device.opened = true; log.opened += 1; },
    selectConfiguration: async (value) => { log.selected.push(value); device.configuration = configuration; },
    claimInterface: async (n) => {
      if (!device.opened) throw domError('InvalidStateError', 'The device must be opened first.');
      log.claimed.push(n);
    },
    releaseInterface: async (n) => { log.released.push(n); },
    close: async () => {
      device.opened = false;
      log.closed += 1;
      if (waiting) waiting.reject(domError('AbortError', 'The transfer was cancelled.'));
      waiting = null;
    },
    transferOut: async (endpoint, data) => {
      const bytes = Array.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      log.transfers.push({ endpoint, bytes });
      if (options.stallOnTransfer === log.transfers.length) return { status: 'stall', bytesWritten: 0 };
      answer(bytes, (b) => {
        if (waiting) { waiting.resolve(b); waiting = null; } else pending.push(b);
      });
      return { status: 'ok', bytesWritten: bytes.length };
    },
    transferIn: (endpoint, length) => {
      const reply = (b) => ({ status: 'ok', data: new DataView(b.buffer) });
      if (pending.length) return Promise.resolve(reply(pending.shift()));
      return new Promise((resolve, reject) => {
        waiting = { resolve: (b) => resolve(reply(b)), reject };
      });
    },
  };
  define('usb', {
    getDevices: async () => [device],
    requestDevice: async (request) => { log.request = request; return device; },
  });
  return log;
}

/**
 * window.fetch answering as a network printer: `body` with HTTP `status`,
 * or never (`hang`), or failing as an unreachable host (`unreachable`).
 * Records each request's URL, method, content type and body.
 */
export function installFetch(options) {
  const log = { requests: [], aborted: 0 };
  const original = window.fetch;
  window.fetch = async (request) => {
    request.signal.addEventListener('abort', () => { log.aborted += 1; });
    log.requests.push({
      url: request.url,
      method: request.method,
      contentType: request.headers.get('Content-Type'),
      soapAction: request.headers.get('SOAPAction'),
      body: await request.text(),
    });
    if (options.unreachable) throw new TypeError('Failed to fetch');
    if (options.hang) return new Promise(() => {});
    return new Response(options.body, { status: options.status ?? 200, headers: { 'Content-Type': 'text/xml' } });
  };
  log.restore = () => { window.fetch = original; };
  return log;
}

/** window.print, counted instead of opening a dialog. */
export function installPrintDialog() {
  const log = { opened: 0 };
  window.print = () => { log.opened += 1; };
  return log;
}
