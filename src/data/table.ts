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
  const keep: number[] = [];
  for (let r = 0; r < rows; r++) {
    const dropped = table.columns.some((c) => isGone(c, r) && (c.kind === 'numeric' ? missing?.numeric === 'drop' : missing?.categorical === 'drop'));
    if (!dropped) keep.push(r);
  }
  return keep;
}

export function selectRows(table: Table, rows: ArrayLike<number>): Table {
  const pick = <T>(values: ArrayLike<T>) => Array.from(rows, (r) => values[r]);
  return {
    file: table.file,
    lines: pick(table.lines),
    columns: table.columns.map((c): Column => (c.kind === 'numeric' ? { ...c, values: Float64Array.from(pick(c.values)) } : { ...c, values: pick(c.values) })),
  };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Fits the fill values and categories on the training rows. */
export function fitEncoding(train: Table, missing: MissingConfig | undefined): ColumnEncoding[] {
  return train.columns.map((c) => {
    if (c.kind === 'numeric') {
      const present = [...c.values].filter((v) => !Number.isNaN(v));
      const gaps = c.values.length - present.length;
      const strategy = missing?.numeric;
      let fill: number | null = null;
      if (gaps > 0 || strategy !== undefined) {
        if (strategy === undefined) {
          const at = train.lines[[...c.values].findIndex((v) => Number.isNaN(v))];
          throw new DataError(`${train.file}:${at}: column '${c.name}' has ${gaps} missing values in the training split; set data.missing.numeric to drop, mean, median or {constant: …}`);
        }
        if (strategy === 'mean') fill = present.reduce((a, b) => a + b, 0) / present.length;
        else if (strategy === 'median') fill = median(present);
        else if (typeof strategy === 'object') fill = strategy.constant;
      }
      return { name: c.name, kind: 'numeric', fill };
    }
    const counts = new Map<string, number>();
    for (const v of c.values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
    const strategy = missing?.categorical;
    const gaps = c.values.filter((v) => v === null).length;
    let fill: string | null = null;
    if (gaps > 0 && strategy === undefined) {
      const at = train.lines[c.values.indexOf(null)];
      throw new DataError(`${train.file}:${at}: column '${c.name}' has ${gaps} missing values in the training split; set data.missing.categorical to drop, mode or {constant: …}`);
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
  for (const e of encoding) {
    const column = table.columns.find((c) => c.name === e.name);
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
