// Train/validation/test splits by fraction (< 1) or count (≥ 1), seeded, optionally stratified
// so that every class keeps its share (largest-remainder rounding).
import * as z from 'zod';
import { DataError } from '../common/errors.js';
import { strictObject } from '../common/schema.js';
import type { Rng } from '../random/rng.js';
import type { Examples } from './dataset.js';

const amount = z.number().min(0).refine((v) => v < 1 || Number.isInteger(v), {
  message: 'expected a fraction below 1 or a whole count',
});

export const splitSchema = strictObject({
  val: amount.default(0.2),
  /** Used only when the dataset has no official test set. */
  test: amount.default(0),
  stratify: z.boolean().default(true),
  /** false: no drawing — validation is the file's last rows, test (if split off) the rows before. */
  shuffle: z.boolean().default(true),
  /** The split stream's seed (default: the run's seed): a sweep's trials keep one validation set. */
  seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
  /**
   * k-fold cross-validation: validate on fold `index` (1…k) of the rows left after the test
   * split, train on the other folds; `val` is then unused.
   */
  fold: strictObject({ k: z.number().int().min(2).max(100), index: z.number().int().min(1) })
    .refine((f) => f.index <= f.k, { message: 'expected index from 1 to k' })
    .optional(),
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

/** The test rows (when split off), then fold `index` of k over the rest as validation. */
function foldRows(labels: Int32Array, hasOfficialTest: boolean, config: SplitConfig, fold: { k: number; index: number }, rng: Rng) {
  const test = hasOfficialTest ? 0 : countOf(config.test, labels.length);
  const [pool, testRows] = test > 0 ? splitIndices(labels, [test], config.stratify, rng) : [Int32Array.from(labels.keys()), undefined];
  if (fold.k > pool.length) throw new DataError(`data.split.fold: ${fold.k} folds of ${pool.length} rows: expected at most one fold per row`);
  const folds = kFold(Int32Array.from(pool, (r) => labels[r]), fold.k, config.stratify, rng);
  const { train, val } = folds[fold.index - 1];
  return { train: Int32Array.from(train, (i) => pool[i]), val: Int32Array.from(val, (i) => pool[i]), test: testRows };
}

/** Unshuffled parts: the last sizes[0] rows, then the sizes[1] rows before them; the rest first. */
function tailIndices(rows: number, sizes: number[]): Int32Array[] {
  const range = (from: number, to: number) => Int32Array.from({ length: to - from }, (_, i) => from + i);
  const taken = sizes.reduce((a, b) => a + b, 0);
  const parts = [range(0, rows - taken)];
  let end = rows;
  for (const n of sizes) {
    parts.push(range(end - n, end));
    end -= n;
  }
  return parts;
}

/** The rows of each part, checked: validation non-empty, some rows left to train on. */
export function partRows(labels: Int32Array, hasOfficialTest: boolean, config: SplitConfig, rng: Rng, hasOfficialVal = false): { train: Int32Array; val: Int32Array; test?: Int32Array } {
  const rows = labels.length;
  if (config.fold) return foldRows(labels, hasOfficialTest, config, config.fold, rng);
  const val = hasOfficialVal ? 0 : countOf(config.val, rows);
  const test = hasOfficialTest ? 0 : countOf(config.test, rows);
  if (val < 1 && !hasOfficialVal) throw new DataError(`data.split.val: the validation split would be empty (${config.val} of ${rows} rows)`);
  if (val + test >= rows) {
    throw new DataError(`data.split: validation (${val}) and test (${test}) leave no training rows out of ${rows}`);
  }
  const sizes = [...(val > 0 ? [val] : []), ...(test > 0 ? [test] : [])];
  const [train, ...parts] = config.shuffle ? splitIndices(labels, sizes, config.stratify, rng) : tailIndices(rows, sizes);
  return { train, val: val > 0 ? parts[0] : new Int32Array(0), test: test > 0 ? parts[parts.length - 1] : undefined };
}

/**
 * Reorders the rows of `all` in place so that each part is one contiguous block, in the order
 * given, and returns the blocks as views: splitting Fashion-MNIST copies no pixel. `all` is
 * consumed (its rows are permuted).
 */
export function partitionInPlace(all: Examples, parts: readonly Int32Array[]): Examples[] {
  const width = all.y.length === 0 ? 0 : all.x.length / all.y.length;
  const order = Int32Array.from(parts.flatMap((p) => [...p]));
  if (order.length !== all.y.length) throw new Error('partitionInPlace: the parts must cover every row once');
  // follow the cycles of the permutation "row order[i] moves to position i", one row buffered
  const done = new Uint8Array(order.length);
  const row = new Float32Array(width);
  const y = Int32Array.from(order, (r) => all.y[r]);
  for (let start = 0; start < order.length; start++) {
    if (done[start]) continue;
    row.set(all.x.subarray(start * width, (start + 1) * width));
    let at = start;
    while (true) {
      done[at] = 1;
      const from = order[at];
      if (from === start) {
        all.x.set(row, at * width);
        break;
      }
      all.x.copyWithin(at * width, from * width, (from + 1) * width);
      at = from;
    }
  }
  let offset = 0;
  return parts.map((p) => {
    const block = { x: all.x.subarray(offset * width, (offset + p.length) * width), y: y.subarray(offset, offset + p.length) };
    offset += p.length;
    return block;
  });
}

export function split(all: Examples, officialTest: Examples | undefined, config: SplitConfig, rng: Rng, officialVal?: Examples): Splits {
  if (officialVal) {
    if (config.fold) throw new DataError('data.split.fold: this dataset has its own validation set, so it cannot be split into folds');
    // the dataset brings its own validation set: train is all of `all` (and test, if none is official, is split off)
    if (officialTest) return { train: all, val: officialVal, test: officialTest };
    const rows = partRows(all.y, false, { ...config, val: 0 }, rng, true);
    const [train, test] = partitionInPlace(all, rows.test ? [rows.train, rows.test] : [rows.train]);
    return { train, val: officialVal, test };
  }
  const rows = partRows(all.y, officialTest !== undefined, config, rng);
  const [train, val, test] = partitionInPlace(all, rows.test ? [rows.train, rows.val, rows.test] : [rows.train, rows.val]);
  return { train, val, test: officialTest ?? test };
}

/**
 * k-fold cross-validation index sets (for sweeps): the rows shuffled once (stratified: dealt
 * class by class), fold i validates on every k-th of them and trains on the rest. Each row is in
 * exactly one validation fold; fold sizes differ by at most one (per class when stratified).
 */
export function kFold(labels: Int32Array, k: number, stratify: boolean, rng: Rng): { train: Int32Array; val: Int32Array }[] {
  if (!Number.isInteger(k) || k < 2 || k > labels.length) throw new DataError(`k-fold: k must be a whole number from 2 to ${labels.length}, found ${k}`);
  const order = Int32Array.from(labels.keys());
  rng.shuffle(order);
  const dealt = stratify ? [...order].sort((a, b) => labels[a] - labels[b]) : [...order]; // stable: shuffled within a class
  const fold = new Int32Array(labels.length);
  dealt.forEach((row, i) => (fold[row] = i % k));
  return Array.from({ length: k }, (_, f) => ({
    train: Int32Array.from(order.filter((r) => fold[r] !== f)).sort(),
    val: Int32Array.from(order.filter((r) => fold[r] === f)).sort(),
  }));
}
