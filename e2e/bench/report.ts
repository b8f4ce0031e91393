// Figures of a benchmark run: medians of repeated measurements, the
// comparison beside ours, the target, and the table and JSON they end in.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The value below which `p` percent of `values` lie (nearest rank). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** One line of the table. `better` says which way is good, for the verdict on the target. */
export type Figure = {
  name: string;
  unit: string;
  ours: number;
  /** What a JavaScript team would use, measured in the same run. */
  theirs?: number;
  against?: string;
  /** The issue's target for `ours`. */
  target?: number;
  better: 'lower' | 'higher';
  runs: number;
  note?: string;
};

export class Report {
  readonly figures: Figure[] = [];
  readonly started = new Date();

  add(figure: Figure): void {
    this.figures.push(figure);
    // Printed as it comes, so a long run shows progress and a crash keeps what was measured.
    console.log(`bench: ${line(figure).join(' | ')}`);
  }

  table(): string {
    const header = ['figure', 'ours', 'comparison', 'ours/comparison', 'target', 'met'];
    const rows = [header, ...this.figures.map(line)];
    const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    const text = rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ')).join('\n');
    const notes = this.figures.filter((f) => f.note).map((f) => `  ${f.name}: ${f.note}`);
    return `${text}\n${notes.length ? `notes:\n${notes.join('\n')}\n` : ''}`;
  }

  write(dir: string): string {
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'bench.json');
    writeFileSync(file, JSON.stringify({ started: this.started, figures: this.figures.map((f) => ({ ...f, ratio: ratio(f), met: met(f) })) }, null, 2));
    return file;
  }
}

function ratio(f: Figure): number | undefined {
  return f.theirs === undefined || f.theirs === 0 ? undefined : f.ours / f.theirs;
}

function met(f: Figure): boolean | undefined {
  if (f.target === undefined) return undefined;
  return f.better === 'lower' ? f.ours <= f.target : f.ours >= f.target;
}

function fmt(value: number, unit: string): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

function line(f: Figure): string[] {
  const r = ratio(f);
  const m = met(f);
  return [
    `${f.name} (n=${f.runs})`,
    fmt(f.ours, f.unit),
    f.theirs === undefined ? '' : `${fmt(f.theirs, f.unit)} ${f.against ?? ''}`.trim(),
    r === undefined ? '' : r.toFixed(2),
    f.target === undefined ? '' : `${f.better === 'lower' ? '≤' : '≥'} ${fmt(f.target, f.unit)}`,
    m === undefined ? '' : m ? 'yes' : 'NO',
  ];
}
