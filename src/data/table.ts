// Tabular data as read from a CSV, before it becomes numbers: numeric columns (NaN where a value
// is missing) and categorical ones (null where missing). Missing values are filled and
// categories one-hot encoded with statistics of the training split only; the fitted encoding is
// saved in preprocessing.json and re-applied to every split, to eval and to predict.
import * as z from 'zod';
import { DataError } from '../common/errors.js';
import { strictObject } from '../common/schema.js';

export interface NumericColumn {
  name: string;
  kind: 'numeric';
  values: Float64Array;
}

export interface CategoricalColumn {
  name: string;
  kind: 'categorical';
  values: (string | null)[];
}

export type Column = NumericColumn | CategoricalColumn;

export interface Table {
  columns: Column[];
  /** Source line of each row, for messages. */
  lines: number[];
  file: string;
}

export const missingSchema = strictObject({
  numeric: z.union([z.enum(['drop', 'mean', 'median']), strictObject({ constant: z.number().finite() })]).optional(),
  categorical: z.union([z.enum(['drop', 'mode']), strictObject({ constant: z.string() })]).optional(),
});
export type MissingConfig = z.output<typeof missingSchema>;

/** How one column becomes numbers: its fill value and, for a categorical one, its categories. */
export interface ColumnEncoding {
  name: string;
  kind: 'numeric' | 'categorical';
  fill: number | string | null;
  categories?: string[];
}

const isGone = (c: Column, r: number) => (c.kind === 'numeric' ? Number.isNaN(c.values[r]) : c.values[r] === null);

/** Rows kept after `drop` strategies, which need no statistics and so apply before the split. */
export function rowsToKeep(table: Table, missing: MissingConfig | undefined): number[] {
  const rows = table.lines.length;
  const all = Array.from({ length: rows }, (_, r) => r);
  const dropNumeric = missing?.numeric === 'drop';
  const dropCategorical = missing?.categorical === 'drop';
  if (!dropNumeric && !dropCategorical) return all;
  const gone = new Uint8Array(rows);
  for (const c of table.columns) {
    if (c.kind === 'numeric' ? !dropNumeric : !dropCategorical) continue;
    for (let r = 0; r < rows; r++) if (isGone(c, r)) gone[r] = 1;
  }
  return all.filter((r) => gone[r] === 0);
}

/** The given rows of every column (the table itself when that is every row, in order). */
export function selectRows(table: Table, rows: ArrayLike<number>): Table {
  const n = rows.length;
  let identity = n === table.lines.length;
  for (let i = 0; identity && i < n; i++) identity = rows[i] === i;
  if (identity) return table;
  const pick = <T>(values: ArrayLike<T>) => Array.from(rows, (r) => values[r]);
  const numbers = (values: Float64Array) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = values[rows[i]];
    return out;
  };
  return {
    file: table.file,
    lines: pick(table.lines),
    columns: table.columns.map((c): Column => (c.kind === 'numeric' ? { name: c.name, kind: 'numeric', values: numbers(c.values) } : { name: c.name, kind: 'categorical', values: pick(c.values) })),
  };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Fits the fill values and categories on the training rows (`rows` of `table`, default all). */
export function fitEncoding(table: Table, missing: MissingConfig | undefined, rows: ArrayLike<number> = table.lines.map((_, r) => r)): ColumnEncoding[] {
  const at = (r: number) => `${table.file}:${table.lines[r]}`;
  return table.columns.map((c) => {
    if (c.kind === 'numeric') {
      const present: number[] = [];
      let firstGap = -1;
      for (let i = 0; i < rows.length; i++) {
        const v = c.values[rows[i]];
        if (!Number.isNaN(v)) present.push(v);
        else if (firstGap < 0) firstGap = rows[i];
      }
      const gaps = rows.length - present.length;
      const strategy = missing?.numeric;
      let fill: number | null = null;
      if (gaps > 0 || strategy !== undefined) {
        if (strategy === undefined) {
          throw new DataError(`${at(firstGap)}: column '${c.name}' has ${gaps} missing values in the training split; set data.missing.numeric to drop, mean, median or {constant: …}`);
        }
        if (strategy === 'mean') fill = present.reduce((a, b) => a + b, 0) / present.length;
        else if (strategy === 'median') fill = median(present);
        else if (typeof strategy === 'object') fill = strategy.constant;
      }
      return { name: c.name, kind: 'numeric', fill };
    }
    const counts = new Map<string, number>();
    let gaps = 0;
    let firstGap = -1;
    for (let i = 0; i < rows.length; i++) {
      const v = c.values[rows[i]];
      if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
      else if (gaps++ === 0) firstGap = rows[i];
    }
    const strategy = missing?.categorical;
    let fill: string | null = null;
    if (gaps > 0 && strategy === undefined) {
      throw new DataError(`${at(firstGap)}: column '${c.name}' has ${gaps} missing values in the training split; set data.missing.categorical to drop, mode or {constant: …}`);
    }
    // the most frequent category, ties broken by name so the result does not depend on row order
    if (strategy === 'mode') fill = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? null;
    else if (typeof strategy === 'object') fill = strategy.constant;
    return { name: c.name, kind: 'categorical', fill, categories: [...counts.keys()].sort() };
  });
}

export function encodedWidth(encoding: readonly ColumnEncoding[]): number {
  return encoding.reduce((w, e) => w + (e.kind === 'numeric' ? 1 : e.categories!.length), 0);
}

/** Numbers for every row: a numeric column is one feature, a categorical one a one-hot block
 * (an unseen category, or a missing one without a fill, is all zeros). */
export function encode(table: Table, encoding: readonly ColumnEncoding[]): Float32Array {
  const rows = table.lines.length;
  const width = encodedWidth(encoding);
  const out = new Float32Array(rows * width);
  let offset = 0;
  // one lookup table, not a search per column: encoding stays linear in the number of columns
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  for (const e of encoding) {
    const column = byName.get(e.name);
    if (!column) throw new DataError(`${table.file}: no column '${e.name}', which the model was trained with`);
    if (e.kind === 'numeric') {
      if (column.kind !== 'numeric') throw new DataError(`${table.file}: column '${e.name}' should hold numbers`);
      for (let r = 0; r < rows; r++) {
        const v = column.values[r];
        if (Number.isNaN(v) && e.fill === null) throw new DataError(`${table.file}:${table.lines[r]}: column '${e.name}' is missing and no fill was fitted`);
        out[r * width + offset] = Number.isNaN(v) ? (e.fill as number) : v;
      }
      offset += 1;
    } else {
      const index = new Map(e.categories!.map((c, i) => [c, i]));
      const values = column.kind === 'categorical' ? column.values : [...column.values].map((v) => (Number.isNaN(v) ? null : String(v)));
      for (let r = 0; r < rows; r++) {
        const k = index.get(values[r] ?? (e.fill as string | null) ?? '\u0000');
        if (k !== undefined) out[r * width + offset + k] = 1;
      }
      offset += e.categories!.length;
    }
  }
  return out;
}
