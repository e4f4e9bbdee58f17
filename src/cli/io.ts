// The CLI's connection to the terminal: streams, whether they are terminals, and colour
// (chalk, off under NO_COLOR or when stdout is not a terminal).
import { Chalk, type ChalkInstance } from 'chalk';

export interface Io {
  out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  err: NodeJS.WritableStream & { isTTY?: boolean };
  color: ChalkInstance;
  env: NodeJS.ProcessEnv;
}

export function processIo(): Io {
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  const level = noColor || !process.stdout.isTTY ? 0 : process.env.COLORTERM === 'truecolor' ? 3 : 1;
  return { out: process.stdout, err: process.stderr, color: new Chalk({ level }), env: process.env };
}

export function line(stream: NodeJS.WritableStream, text = ''): void {
  stream.write(text + '\n');
}

/** A plain text table with left-aligned columns. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [fmt(headers), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n');
}

export function fixed(v: number | null | undefined, digits = 4): string {
  return v === null || v === undefined ? '-' : v.toFixed(digits);
}

export function percent(v: number | null | undefined): string {
  return v === null || v === undefined ? '-' : `${(v * 100).toFixed(2)}%`;
}
