// The CIFAR binary format (https://www.cs.toronto.edu/~kriz/cifar.html): fixed-size records of
// label byte(s) and 3072 pixel bytes (1024 red, 1024 green, 1024 blue, row-major 32×32), so
// already channel-first. CIFAR-100 records carry a coarse and a fine label; dlx uses the fine.
import { readFile } from 'node:fs/promises';
import { DataError } from '../../common/errors.js';
import type { Examples } from '../dataset.js';

export const CIFAR_PIXELS = 3 * 32 * 32;

/** Concatenates the records of several batch files; pixels ÷ 255. */
export async function readCifar(paths: readonly string[], labelBytes: 1 | 2): Promise<Examples> {
  const record = labelBytes + CIFAR_PIXELS;
  const files = await Promise.all(paths.map((p) => readFile(p).catch((e: NodeJS.ErrnoException) => {
    throw new DataError(`${p}: cannot read the file (${e.code ?? String(e)})`);
  })));
  files.forEach((bytes, i) => {
    if (bytes.length === 0 || bytes.length % record !== 0) {
      throw new DataError(`${paths[i]}: ${bytes.length} bytes is not a whole number of ${record}-byte CIFAR records`);
    }
  });
  const rows = files.reduce((n, b) => n + b.length / record, 0);
  const x = new Float32Array(rows * CIFAR_PIXELS);
  const y = new Int32Array(rows);
  let r = 0;
  for (const bytes of files) {
    for (let at = 0; at < bytes.length; at += record, r++) {
      y[r] = bytes[at + labelBytes - 1];
      const pixels = bytes.subarray(at + labelBytes, at + record);
      const out = r * CIFAR_PIXELS;
      for (let i = 0; i < CIFAR_PIXELS; i++) x[out + i] = pixels[i] / 255;
    }
  }
  return { x, y };
}
