// A CSV file as a Table of feature columns plus a target column of class names. A column is
// numeric when most present values are numbers (then every one must be), categorical when most
// are not, or when listed in `categorical`.
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

const readBytes = (path: string) => readFile(path).catch((e: NodeJS.ErrnoException) => {
  throw new DataError(`${path}: cannot read the file (${e.code === 'ENOENT' ? 'no such file' : e.code ?? String(e)})`);
});

const decode = (raw: Buffer) => (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString('utf8');

export async function readText(path: string): Promise<string> {
  return decode(await readBytes(path));
}

export function tableFromText(text: string, file: string, o: TableOptions): ReadTable {
  const records = parseCsv(text, file, o.delimiter).slice(o.skip ?? 0);
  if (records.length === 0) throw new DataError(`${file}: no rows`);
  const names = o.header ? records[0].fields.map((f) => f.trim()) : o.columns ?? records[0].fields.map((_, i) => `c${i + 1}`);
  checkNames(names, records[0], file, o);
  const body = o.header ? records.slice(1) : records;
  if (body.length === 0) throw new DataError(`${file}: a header but no rows`);
  const position = new Map(names.map((n, i) => [n, i]));
  const targetIndex = o.target === undefined ? -1 : typeof o.target === 'number' ? o.target : position.get(o.target) ?? -1;
  if (o.target !== undefined && (targetIndex < 0 || targetIndex >= names.length)) {
    throw new DataError(`${file}: no target column ${typeof o.target === 'number' ? `at index ${o.target}` : `'${o.target}'`}; the columns are ${names.join(', ')}`);
  }
  for (const n of [...(o.ignore ?? []), ...(o.categorical ?? [])]) {
    if (!position.has(n)) throw new DataError(`${file}: no column '${n}'; the columns are ${names.join(', ')}`);
  }
  for (const r of body) {
    if (r.fields.length !== names.length) throw new DataError(`${file}:${r.line}: expected ${names.length} fields, found ${r.fields.length}`);
  }
  const labels = targetIndex < 0 ? [] : body.map((r) => {
    const v = r.fields[targetIndex].trim();
    if (isMissing(v)) throw new DataError(`${file}:${r.line}: the target '${names[targetIndex]}' is missing`);
    return v;
  });
  // Sets, not list lookups per column: loading stays linear in the number of columns
  const ignored = new Set(o.ignore);
  const categorical = new Set(o.categorical);
  const lines = body.map((r) => r.line);
  const columns: Column[] = [];
  names.forEach((name, j) => {
    if (j === targetIndex || ignored.has(name)) return;
    const cells = body.map((r) => r.fields[j].trim());
    columns.push(categorical.has(name) ? categoricalColumn(name, cells) : classifyColumn({ name, index: j, cells, lines, file }));
  });
  return { table: { columns, lines, file }, labels };
}

/** Column names must be unique; a lone header field holding ';' or a tab means another delimiter. */
function checkNames(names: readonly string[], first: { line: number; fields: string[] }, file: string, o: TableOptions): void {
  const delimiter = o.delimiter ?? ',';
  if (first.fields.length === 1) {
    const guess = [';', '\t', '|'].find((d) => d !== delimiter && first.fields[0].includes(d));
    if (guess) {
      const shown = guess === '\t' ? 'a tab' : `'${guess}'`;
      const yaml = guess === '\t' ? '"\\t"' : `'${guess}'`;
      throw new DataError(`${file}:${first.line}: the ${o.header ? 'header' : 'first line'} is one field, '${first.fields[0].slice(0, 60)}'; the delimiter is probably ${shown}, not '${delimiter}': set data.dataset.delimiter: ${yaml}`);
    }
  }
  const seen = new Map<string, number[]>();
  names.forEach((n, i) => seen.set(n, [...(seen.get(n) ?? []), i + 1]));
  const duplicates = [...seen].filter(([, at]) => at.length > 1);
  if (duplicates.length > 0) {
    const where = o.header ? `${file}:${first.line}` : `${file} (data.dataset.columns)`;
    throw new DataError(`${where}: duplicate column names: ${duplicates.map(([n, at]) => `'${n}' (columns ${at.join(', ')})`).join(', ')}; every column needs its own name`);
  }
}

const categoricalColumn = (name: string, cells: string[]): Column => ({ name, kind: 'categorical', values: cells.map((c) => (isMissing(c) ? null : c)) });

/**
 * A column is numeric when most of its present values (more than half) are finite numbers;
 * then every other present value is an error, since it would silently turn the column into
 * categories. A column of mostly non-numbers is categorical.
 */
function classifyColumn(c: { name: string; index: number; cells: string[]; lines: number[]; file: string }): Column {
  const values = new Float64Array(c.cells.length);
  let present = 0;
  let numbers = 0;
  let firstOdd = -1;
  c.cells.forEach((cell, r) => {
    if (isMissing(cell)) {
      values[r] = NaN;
      return;
    }
    present++;
    const v = Number(cell);
    if (Number.isFinite(v)) {
      values[r] = v;
      numbers++;
    } else if (firstOdd < 0) firstOdd = r;
  });
  if (numbers === present) return { name: c.name, kind: 'numeric', values };
  if (numbers * 2 <= present) return categoricalColumn(c.name, c.cells);
  const odd = c.cells[firstOdd];
  const why = Number.isNaN(Number(odd)) ? 'not a number' : 'not a finite number';
  const others = present - numbers > 1 ? ` (${present - numbers} of its ${present} values are not numbers)` : '';
  throw new DataError(`${c.file}:${c.lines[firstOdd]}: column '${c.name}' (field ${c.index + 1}) holds numbers, but this row has '${odd}', ${why}${others}; fix the file, write a missing value as empty, ?, NA or NaN, or list '${c.name}' in data.dataset.categorical`);
}

/**
 * The tables last read, by file, with the bytes and options they were read from: a reused sweep
 * trial process reads the same file for every trial (rememberTables, trial-child.ts). A file whose
 * bytes changed is read again; each caller gets its own copy.
 */
let remembered: Map<string, { raw: Buffer; options: string; read: ReadTable }> | undefined;
const REMEMBER_BYTES = 64 << 20;

export function rememberTables(): void {
  remembered ??= new Map();
}

export async function readTable(path: string, o: TableOptions): Promise<ReadTable> {
  const raw = await readBytes(path);
  const options = JSON.stringify(o);
  const last = remembered?.get(path);
  if (last && last.options === options && last.raw.equals(raw)) return structuredClone(last.read);
  const read = tableFromText(decode(raw), path, o);
  if (remembered && raw.length <= REMEMBER_BYTES) remembered.set(path, { raw, options, read: structuredClone(read) });
  return read;
}

/** Class names in a stable order: numerically when all are numbers, else alphabetically. */
export function classNames(labels: readonly string[]): string[] {
  const unique = [...new Set(labels)];
  return unique.every((l) => Number.isFinite(Number(l))) ? unique.sort((a, b) => Number(a) - Number(b)) : unique.sort();
}
