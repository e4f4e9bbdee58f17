// The CLI's connection to the terminal: streams, whether they are terminals, and colour (off
// under NO_COLOR or when stdout is not a terminal).
import { plainColors, type Colors } from './color.js';

export interface Io {
  out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  err: NodeJS.WritableStream & { isTTY?: boolean };
  /** Plain until a command runs; then chalk at `colorLevel` (main.ts). */
  color: Colors;
  colorLevel?: 0 | 1 | 3;
  env: NodeJS.ProcessEnv;
}

/**
 * A closed stdout or stderr (`dlx train … | head`) is not a failure of the command: Node
 * ignores SIGPIPE and reports EPIPE as an 'error' event, which would otherwise crash dlx in
 * the middle of a run. Output to a closed stream is dropped; the command carries on (a run
 * trains to its end and its folder says so).
 */
function ignoreClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
  });
}

export function processIo(): Io {
  ignoreClosedPipe(process.stdout);
  ignoreClosedPipe(process.stderr);
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  const colorLevel = noColor || !process.stdout.isTTY ? 0 : process.env.COLORTERM === 'truecolor' ? 3 : 1;
  return { out: process.stdout, err: process.stderr, color: plainColors, colorLevel, env: process.env };
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
