// Train/validation/test splits by fraction (< 1) or count (≥ 1), seeded, optionally stratified
// so that every class keeps its share (largest-remainder rounding).
import * as z from 'zod';
import { DataError } from '../common/errors.js';
import { strictObject } from '../common/schema.js';
import type { Rng } from '../engine/rng.js';
import type { Examples } from './dataset.js';

const amount = z.number().min(0).refine((v) => v < 1 || Number.isInteger(v), {
  message: 'expected a fraction below 1 or a whole count',
});

export const splitSchema = strictObject({
  val: amount.default(0.2),
  /** Used only when the dataset has no official test set. */
  test: amount.default(0),
  stratify: z.boolean().default(true),
});
export type SplitConfig = z.output<typeof splitSchema>;

export interface Splits {
  train: Examples;
  val: Examples;
  test?: Examples;
}

function countOf(amountValue: number, rows: number): number {
  return amountValue < 1 ? Math.round(amountValue * rows) : amountValue;
}

/** Row indices of each part. Deterministic for a given stream state. */
export function splitIndices(labels: Int32Array, sizes: number[], stratify: boolean, rng: Rng): Int32Array[] {
  const order = Int32Array.from(labels.keys());
  rng.shuffle(order);
  const parts: number[][] = sizes.map(() => []);
  const rest: number[] = [];
  if (!stratify) {
    let at = 0;
    sizes.forEach((n, p) => {
      parts[p].push(...order.subarray(at, at + n));
      at += n;
    });
    rest.push(...order.subarray(at));
  } else {
    const byClass = new Map<number, number[]>();
    for (const i of order) {
      const list = byClass.get(labels[i]) ?? [];
      list.push(i);
      byClass.set(labels[i], list);
    }
    const classes = [...byClass.keys()].sort((a, b) => a - b);
    const taken = new Map(classes.map((c) => [c, 0]));
    sizes.forEach((n, p) => {
      // largest remainder: floor shares first, then one more for the largest fractions
      const shares = classes.map((c) => (n * byClass.get(c)!.length) / labels.length);
      const counts = shares.map(Math.floor);
      const byRemainder = classes.map((_, k) => k).sort((a, b) => shares[b] - counts[b] - (shares[a] - counts[a]) || a - b);
      for (let r = 0; r < n - counts.reduce((a, b) => a + b, 0); r++) counts[byRemainder[r]]++;
      classes.forEach((c, k) => {
        const from = taken.get(c)!;
        parts[p].push(...byClass.get(c)!.slice(from, from + counts[k]));
        taken.set(c, from + counts[k]);
      });
    });
    for (const c of classes) rest.push(...byClass.get(c)!.slice(taken.get(c)!));
  }
  // Keep each part in file order, so the split does not depend on how it was drawn.
  return [Int32Array.from(rest).sort(), ...parts.map((p) => Int32Array.from(p).sort())];
}

export function take(e: Examples, rows: Int32Array): Examples {
  const width = e.x.length / e.y.length;
  const x = new Float32Array(rows.length * width);
  const y = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    x.set(e.x.subarray(r * width, (r + 1) * width), i * width);
    y[i] = e.y[r];
  });
  return { x, y };
}

export function split(all: Examples, officialTest: Examples | undefined, config: SplitConfig, rng: Rng): Splits {
  const rows = all.y.length;
  const val = countOf(config.val, rows);
  const test = officialTest ? 0 : countOf(config.test, rows);
  if (val < 1) throw new DataError(`data.split.val: the validation split would be empty (${config.val} of ${rows} rows)`);
  if (val + test >= rows) {
    throw new DataError(`data.split: validation (${val}) and test (${test}) leave no training rows out of ${rows}`);
  }
  const [trainRows, valRows, testRows] = splitIndices(all.y, test > 0 ? [val, test] : [val], config.stratify, rng);
  return {
    train: take(all, trainRows),
    val: take(all, valRows),
    test: officialTest ?? (testRows ? take(all, testRows) : undefined),
  };
}
