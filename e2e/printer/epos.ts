// Reads an ePOS-Print job (the SOAP request a TM printer receives) into what
// the printer would put on paper. Strict where a printer is: a request that is
// not well-formed, has no <epos-print> body or uses an element ePOS-Print does
// not have is refused (the printer answers code="SchemaError").

export interface PrintedLine {
  text: string;
  align: 'left' | 'center' | 'right';
  bold: boolean;
  doubleWidth: boolean;
  doubleHeight: boolean;
}

export interface ParsedJob {
  /** The printed text, one entry per line (blank lines as ''). */
  lines: string[];
  /** The same lines with the style each was printed in. */
  styled: PrintedLine[];
  barcodes: { type: string; data: string }[];
  symbols: { type: string; level: string | undefined; data: string }[];
  feeds: number;
  /** Whether the paper was cut, and after how many lines. */
  cut: boolean;
  cutAfterLine: number | null;
  drawerKicks: { drawer: string; time: string }[];
}

export class EposSchemaError extends Error {}

// The elements of ePOS-Print XML (Epson's ePOS-Print XML User's Manual).
const ELEMENTS = new Set([
  'text', 'feed', 'image', 'logo', 'barcode', 'symbol', 'hline', 'vline-begin', 'vline-end',
  'page', 'area', 'direction', 'position', 'cut', 'pulse', 'sound', 'command', 'layout', 'recovery', 'reset',
]);
const BARCODES = new Set([
  'upc_a', 'upc_e', 'ean13', 'jan13', 'ean8', 'jan8', 'code39', 'itf', 'codabar', 'code93', 'code128', 'gs1_128',
]);

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);|&/g, (whole, entity?: string) => {
    if (entity === undefined) throw new EposSchemaError('A bare & in the text.');
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (entity in named) return named[entity];
    return String.fromCodePoint(entity.startsWith('#x') ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10));
  });
}

function attributes(source: string): Record<string, string> {
  const out: Record<string, string> = {};
  const pattern = /\s+([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
  let rest = source;
  for (const m of source.matchAll(pattern)) {
    out[m[1]] = decode(m[3] ?? m[4] ?? '');
    rest = rest.replace(m[0], '');
  }
  if (rest.trim() !== '') throw new EposSchemaError(`Unreadable attributes: ${source.trim()}`);
  return out;
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** The job in `body`, or an EposSchemaError saying why a printer would refuse it. */
export function parseEposPrint(body: string): ParsedJob {
  const open = /<(?:[\w.-]+:)?epos-print(\s[^>]*)?>/.exec(body);
  const close = /<\/(?:[\w.-]+:)?epos-print\s*>/.exec(body);
  if (!open || !close || close.index < open.index) throw new EposSchemaError('No <epos-print> element.');
  if (!/<(?:[\w.-]+:)?Envelope[\s>]/.test(body) || !/<(?:[\w.-]+:)?Body[\s>]/.test(body)) {
    throw new EposSchemaError('No SOAP envelope.');
  }
  const inner = body.slice(open.index + open[0].length, close.index);
  const job: ParsedJob = {
    lines: [], styled: [], barcodes: [], symbols: [], feeds: 0, cut: false, cutAfterLine: null, drawerKicks: [],
  };
  const style: Omit<PrintedLine, 'text'> = { align: 'left', bold: false, doubleWidth: false, doubleHeight: false };
  let pending: PrintedLine | null = null;
  const stack: { name: string; attrs: Record<string, string>; text: string }[] = [];
  const token = /<(\/?)([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)|(<)/g;

  const writeText = (text: string) => {
    for (const [i, piece] of text.split('\n').entries()) {
      if (i > 0) {
        const line: PrintedLine = pending ?? { text: '', ...style };
        job.styled.push(line);
        job.lines.push(line.text);
        pending = null;
      }
      if (piece !== '') {
        pending ??= { text: '', ...style };
        pending.text += piece;
      }
    }
  };
  const applyStyle = (attrs: Record<string, string>) => {
    if (attrs.align) {
      if (!['left', 'center', 'right'].includes(attrs.align)) throw new EposSchemaError(`align="${attrs.align}"`);
      style.align = attrs.align as PrintedLine['align'];
    }
    const flag = (name: string, current: boolean) => {
      if (attrs[name] === undefined) return current;
      if (attrs[name] !== 'true' && attrs[name] !== 'false') throw new EposSchemaError(`${name}="${attrs[name]}"`);
      return attrs[name] === 'true';
    };
    style.bold = flag('em', style.bold);
    style.doubleWidth = flag('dw', style.doubleWidth);
    style.doubleHeight = flag('dh', style.doubleHeight);
  };
  const finish = (name: string, attrs: Record<string, string>, text: string) => {
    switch (name) {
      case 'text':
        applyStyle(attrs);
        writeText(text);
        break;
      case 'barcode':
        if (!BARCODES.has(attrs.type)) throw new EposSchemaError(`barcode type="${attrs.type}"`);
        job.barcodes.push({ type: attrs.type, data: text });
        break;
      case 'symbol':
        if (!attrs.type) throw new EposSchemaError('A symbol without a type.');
        job.symbols.push({ type: attrs.type, level: attrs.level, data: text });
        break;
      case 'feed':
        job.feeds += Number(attrs.line ?? 1);
        break;
      case 'cut':
        job.cut = true;
        job.cutAfterLine = job.lines.length;
        break;
      case 'pulse':
        job.drawerKicks.push({ drawer: attrs.drawer ?? 'drawer_1', time: attrs.time ?? 'pulse_100' });
        break;
    }
  };

  for (const m of inner.matchAll(token)) {
    const [, closing, rawName, rawAttrs, selfClosing, text, stray] = m;
    if (stray) throw new EposSchemaError('A stray < in the job.');
    if (text !== undefined) {
      if (stack.length === 0) {
        if (text.trim() !== '') throw new EposSchemaError('Text outside an element.');
      } else {
        stack[stack.length - 1].text += decode(text);
      }
      continue;
    }
    const name = localName(rawName);
    if (closing) {
      const top = stack.pop();
      if (!top || top.name !== name) throw new EposSchemaError(`</${name}> closes nothing.`);
      finish(top.name, top.attrs, top.text);
      continue;
    }
    if (stack.length > 0) throw new EposSchemaError(`<${name}> inside <${stack[stack.length - 1].name}>.`);
    if (!ELEMENTS.has(name)) throw new EposSchemaError(`<${name}> is not an ePOS-Print element.`);
    const attrs = attributes(rawAttrs ?? '');
    if (selfClosing) finish(name, attrs, '');
    else stack.push({ name, attrs, text: '' });
  }
  if (stack.length > 0) throw new EposSchemaError(`<${stack[0].name}> is not closed.`);
  if (pending) writeText('\n');
  return job;
}
