// A CSV file as a Table of feature columns plus a target column of class names. A column is
// numeric when every present value is a number, categorical otherwise (or when listed).
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { DataError } from '../../common/errors.js';
import type { Column, Table } from '../table.js';
import { isMissing, parseCsv } from './csv.js';

export interface TableOptions {
  /** The first record names the columns. */
  header: boolean;
  /** Column names when there is no header (else c1, c2, …). */
  columns?: string[];
  /** The class column, by name or 0-based index (none for data to predict). */
  target?: string | number;
  ignore?: string[];
  categorical?: string[];
  delimiter?: string;
  /** Records to skip at the start (e.g. a comment line). */
  skip?: number;
}

export interface ReadTable {
  table: Table;
  /** The target's value in each row (trimmed; a trailing '.' as in adult.test is kept). */
  labels: string[];
}

export async function readText(path: string): Promise<string> {
  const raw = await readFile(path).catch((e: NodeJS.ErrnoException) => {
    throw new DataError(`${path}: cannot read the file (${e.code === 'ENOENT' ? 'no such file' : e.code ?? String(e)})`);
  });
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) return gunzipSync(raw).toString('utf8');
  return raw.toString('utf8');
}

export function tableFromText(text: string, file: string, o: TableOptions): ReadTable {
  const records = parseCsv(text, file, o.delimiter).slice(o.skip ?? 0);
  if (records.length === 0) throw new DataError(`${file}: no rows`);
  const names = o.header ? records[0].fields.map((f) => f.trim()) : o.columns ?? records[0].fields.map((_, i) => `c${i + 1}`);
  const body = o.header ? records.slice(1) : records;
  if (body.length === 0) throw new DataError(`${file}: a header but no rows`);
  const targetIndex = o.target === undefined ? -1 : typeof o.target === 'number' ? o.target : names.indexOf(o.target);
  if (o.target !== undefined && (targetIndex < 0 || targetIndex >= names.length)) {
    throw new DataError(`${file}: no target column ${typeof o.target === 'number' ? `at index ${o.target}` : `'${o.target}'`}; the columns are ${names.join(', ')}`);
  }
  for (const n of [...(o.ignore ?? []), ...(o.categorical ?? [])]) {
    if (!names.includes(n)) throw new DataError(`${file}: no column '${n}'; the columns are ${names.join(', ')}`);
  }
  for (const r of body) {
    if (r.fields.length !== names.length) throw new DataError(`${file}:${r.line}: expected ${names.length} fields, found ${r.fields.length}`);
  }
  const labels = targetIndex < 0 ? [] : body.map((r) => {
    const v = r.fields[targetIndex].trim();
    if (isMissing(v)) throw new DataError(`${file}:${r.line}: the target '${names[targetIndex]}' is missing`);
    return v;
  });
  const columns: Column[] = [];
  names.forEach((name, j) => {
    if (j === targetIndex || o.ignore?.includes(name)) return;
    const cells = body.map((r) => r.fields[j].trim());
    const numeric = !o.categorical?.includes(name) && cells.every((c) => isMissing(c) || Number.isFinite(Number(c)));
    columns.push(numeric
      ? { name, kind: 'numeric', values: Float64Array.from(cells, (c) => (isMissing(c) ? NaN : Number(c))) }
      : { name, kind: 'categorical', values: cells.map((c) => (isMissing(c) ? null : c)) });
  });
  return { table: { columns, lines: body.map((r) => r.line), file }, labels };
}

export async function readTable(path: string, o: TableOptions): Promise<ReadTable> {
  return tableFromText(await readText(path), path, o);
}

/** Class names in a stable order: numerically when all are numbers, else alphabetically. */
export function classNames(labels: readonly string[]): string[] {
  const unique = [...new Set(labels)];
  return unique.every((l) => Number.isFinite(Number(l))) ? unique.sort((a, b) => Number(a) - Number(b)) : unique.sort();
}
