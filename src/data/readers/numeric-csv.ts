// A CSV of numbers, one sample per line, with an optional header line (recognized by a field
// that is not a number): the input of `dlx predict`.
import { readFile } from 'node:fs/promises';
import { DataError } from '../../common/errors.js';

export async function readNumericCsv(path: string, width: number): Promise<{ rows: number; data: Float32Array }> {
  const text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new DataError(`${path}: cannot read the file (${e.code ?? String(e)})`);
  });
  const lines = text.split(/\r?\n/).map((l, i) => ({ l, n: i + 1 })).filter(({ l }) => l.trim() !== '');
  if (lines.length > 0 && lines[0].l.split(',').some((c) => c.trim() === '' || Number.isNaN(Number(c)))) lines.shift();
  const data = new Float32Array(lines.length * width);
  lines.forEach(({ l, n }, r) => {
    const cells = l.split(',');
    if (cells.length !== width) throw new DataError(`${path}:${n}: expected ${width} numbers, found ${cells.length} fields`);
    cells.forEach((c, j) => {
      const v = Number(c);
      if (c.trim() === '' || !Number.isFinite(v)) throw new DataError(`${path}:${n}: field ${j + 1} should be a number, found '${c}'`);
      data[r * width + j] = v;
    });
  });
  return { rows: lines.length, data };
}
