// Terminal colours, through chalk, loaded only when a command runs (`dlx --help` does not pay
// for its modules; scripts/bench-startup.mjs): until then, and whenever colour is off, plain text.

export interface Colors {
  bold(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const plain = (text: string) => text;
export const plainColors: Colors = { bold: plain, red: plain, green: plain, yellow: plain, cyan: plain };

/** chalk at a colour level: 0 off (NO_COLOR, not a terminal), 1 the 16 basic colours, 3 truecolor. */
export async function colors(level: 0 | 1 | 3): Promise<Colors> {
  if (level === 0) return plainColors;
  const { Chalk } = await import('chalk');
  return new Chalk({ level });
}
