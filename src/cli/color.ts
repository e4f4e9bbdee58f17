// The few terminal colours dlx writes, as the ANSI codes chalk writes for them at every colour
// level. Its own ten lines rather than chalk: every `dlx --help` paid for loading chalk's four
// modules (scripts/bench-startup.mjs), for five styles.

export interface Colors {
  bold(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const plain = (text: string) => text;

/** Styles text as chalk does: an inner closing code reopens the style, and each line is closed. */
function style(open: number, close: number): (text: string) => string {
  const on = `\x1b[${open}m`;
  const off = `\x1b[${close}m`;
  return (text) => (text === '' ? '' : on + text.replaceAll(off, off + on).replace(/\r?\n/g, (lf) => off + lf + on) + off);
}

export function colors(enabled: boolean): Colors {
  if (!enabled) return { bold: plain, red: plain, green: plain, yellow: plain, cyan: plain };
  return { bold: style(1, 22), red: style(31, 39), green: style(32, 39), yellow: style(33, 39), cyan: style(36, 39) };
}
