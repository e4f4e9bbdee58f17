// The layout of scikit-learn's bundled CSVs (iris, wine, breast cancer diagnostic): a first
// line `rows,features,class names…`, then rows of `features` numbers and a class index.
import { readFile } from 'node:fs/promises';
import { DataError } from '../../common/errors.js';
import type { LoadedData } from '../dataset.js';

export async function readCountedCsv(path: string): Promise<LoadedData> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new DataError(`${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const lines = text.split(/\r?\n/);
  const header = lines[0].split(',');
  const rows = Number(header[0]);
  const features = Number(header[1]);
  const classes = header.slice(2).map((c) => c.trim());
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(features) || features < 1 || classes.length < 2) {
    throw new DataError(`${path}:1: expected 'rows,features,class names…', found '${lines[0]}'`);
  }
  const body = lines.slice(1).filter((l) => l.trim() !== '');
  if (body.length !== rows) {
    throw new DataError(`${path}: the first line announces ${rows} rows, found ${body.length}`);
  }
  const x = new Float32Array(rows * features);
  const y = new Int32Array(rows);
  body.forEach((line, r) => {
    const cells = line.split(',');
    if (cells.length !== features + 1) {
      throw new DataError(`${path}:${r + 2}: expected ${features + 1} fields, found ${cells.length}`);
    }
    for (let c = 0; c < features; c++) {
      const v = Number(cells[c]);
      if (cells[c].trim() === '' || !Number.isFinite(v)) {
        throw new DataError(`${path}:${r + 2}: field ${c + 1} should be a number, found '${cells[c]}'`);
      }
      x[r * features + c] = v;
    }
    const label = Number(cells[features]);
    if (!Number.isInteger(label) || label < 0 || label >= classes.length) {
      throw new DataError(`${path}:${r + 2}: the class should be an index from 0 to ${classes.length - 1}, found '${cells[features]}'`);
    }
    y[r] = label;
  });
  return { sampleShape: [features], classes, train: { x, y }, source: path, files: [path] };
}
