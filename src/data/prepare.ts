// The data section of a spec, and turning it into normalized train/val/test splits: split with
// the run's `split` stream, fit the normalizers on the training split only, apply them to all.
import * as z from 'zod';
import { strictObject } from '../common/schema.js';
import { Rng } from '../random/rng.js';
import type { DatasetContext, Examples, LoadedData } from './dataset.js';
import { augmentationSchema } from './augment/index.js';
import { datasetSchema, findDataset } from './datasets/index.js';
import { applyChain, fitChain, normalizerSchema, restoreChain, type SavedStep } from './normalizers/index.js';
import type { Fitted } from './normalizers/normalizer.js';
import { partRows, split, splitSchema } from './split.js';
import { encode, encodedWidth, fitEncoding, missingSchema, rowsToKeep, selectRows, type ColumnEncoding } from './table.js';
import { DataError, SpecError } from '../common/errors.js';
import { checkLabels } from './labels.js';

export const dataSchema = strictObject({
  dataset: datasetSchema,
  split: splitSchema.prefault({}),
  /** How missing values of tabular data are handled (REFERENCE.md §7). */
  missing: missingSchema.optional(),
  normalize: z.array(normalizerSchema).default([]),
  /** Applied to training batches only, after normalization. */
  augment: z.array(augmentationSchema).default([]),
});
export type DataConfig = z.output<typeof dataSchema>;

export interface PreparedData {
  /** Per-sample shape of the dataset's rows, before normalization. */
  rawShape: number[];
  /** The file's values were divided by this at load (255 for image bytes). */
  divideBy: number;
  /** Per-sample shape after normalization: what the model sees. */
  sampleShape: number[];
  classes: string[];
  train: Examples;
  val: Examples;
  test?: Examples;
  source: string;
  /** The data files read (for the run's data fingerprint). */
  files: string[];
  /** What was fitted on the training split, for preprocessing.json. */
  preprocessing: SavedPreprocessing;
  /** A regression task: every `y` is a row id into `standardized`. */
  regression?: RegressionTargets;
}

/** Regression targets standardized with the training split's mean and std. */
export interface RegressionTargets extends TargetScale {
  /** (value − mean)/std by row id. */
  standardized: Float32Array;
  /** The values as the file had them, by row id, for metrics in the target's own units. */
  values: Float64Array;
}

/** How a regression target was standardized: saved, and inverted at predict. */
export interface TargetScale {
  name: string;
  mean: number;
  std: number;
}

/** Mean and population std of the training rows' targets (a constant target keeps std 1). */
function fitTargetScale(name: string, values: Float64Array, rows: Int32Array): TargetScale {
  let mean = 0;
  for (const r of rows) mean += values[r];
  mean /= rows.length;
  let variance = 0;
  for (const r of rows) variance += (values[r] - mean) ** 2;
  const std = Math.sqrt(variance / rows.length);
  return { name, mean, std: std > 0 ? std : 1 };
}

/** preprocessing.json's fitted part: the tabular encoding (if any) and the normalizer chain. */
export interface SavedPreprocessing {
  encoding?: ColumnEncoding[];
  steps: SavedStep[];
  /** A regression target's standardization. */
  target?: TargetScale;
}

export async function loadDataset(config: DataConfig, context: DatasetContext): Promise<LoadedData> {
  return findDataset(config.dataset.type).load(config.dataset, context);
}

/** The loaded arrays belong to this run alone, so normalizers may overwrite them. */
function normalized(steps: Fitted[], e: Examples): Examples {
  const rows = e.y.length;
  const m = applyChain(steps, { data: e.x, rows, cols: rows === 0 ? 0 : e.x.length / rows }, true);
  return { x: m.data, y: e.y };
}

/** Tabular data: drop rows, split, fit fills and categories on the training split, encode
 * every row once and gather the splits' rows (no per-split copy of the columns). */
function prepareTables(loaded: LoadedData, config: DataConfig, seed: number, saved?: ColumnEncoding[]) {
  const tables = loaded.tables!;
  const keep = rowsToKeep(tables.train, config.missing);
  if (keep.length === 0) throw new DataError(`${tables.train.file}: no row is left after dropping those with missing values`);
  const table = selectRows(tables.train, keep);
  const labels = Int32Array.from(keep, (r) => loaded.train.y[r]);
  const test = tables.test && loaded.test ? testTable(loaded, config) : undefined;
  const parts = partRows(labels, test !== undefined, config.split, Rng.stream(config.split.seed ?? seed, 'split'));
  const encoding = saved ?? fitEncoding(table, config.missing, parts.train);
  const width = encodedWidth(encoding);
  const all = encode(table, encoding);
  const examples = (rows: Int32Array) => {
    const x = new Float32Array(rows.length * width);
    rows.forEach((r, i) => x.set(all.subarray(r * width, (r + 1) * width), i * width));
    return { x, y: Int32Array.from(rows, (r) => labels[r]) };
  };
  return {
    encoding,
    width,
    train: examples(parts.train),
    val: examples(parts.val),
    test: test ? { x: encode(test.table, encoding), y: test.y } : parts.test && examples(parts.test),
  };
}

function testTable(loaded: LoadedData, config: DataConfig) {
  const keep = rowsToKeep(loaded.tables!.test!, config.missing);
  return { table: selectRows(loaded.tables!.test!, keep), y: Int32Array.from(keep, (r) => loaded.test!.y[r]) };
}

/**
 * Splits and normalizes. With `saved`, the encoding and normalizers are restored from a run's
 * preprocessing.json instead of fitted, as eval needs.
 */
export function prepare(loaded: LoadedData, given: DataConfig, seed: number, saved?: SavedPreprocessing): PreparedData {
  if (!loaded.regression) checkLabels(loaded);
  // regression rows have no classes to stratify by (their y are row ids)
  const config = loaded.regression ? { ...given, split: { ...given.split, stratify: false } } : given;
  if (loaded.regression && config.normalize.some((n) => n.type === 'lda')) {
    throw new SpecError(['data.normalize: lda needs classes; a regression target has none (use pca)']);
  }
  let parts: { train: Examples; val: Examples; test?: Examples };
  let encoding: ColumnEncoding[] | undefined;
  let rawShape = loaded.sampleShape;
  if (loaded.tables) {
    const t = prepareTables(loaded, config, seed, saved?.encoding);
    ({ encoding } = t);
    parts = t;
    rawShape = [t.width];
  } else {
    parts = split(loaded.train, loaded.test, config.split, Rng.stream(config.split.seed ?? seed, 'split'), loaded.val);
  }
  const rows = parts.train.y.length;
  const width = parts.train.x.length / rows;
  let steps: Fitted[];
  let fitted: SavedStep[];
  let train: Examples;
  if (saved) {
    steps = restoreChain(saved.steps);
    fitted = saved.steps;
    train = normalized(steps, parts.train);
  } else {
    const chain = fitChain(config.normalize, { data: parts.train.x, rows, cols: width }, parts.train.y, true);
    ({ steps, saved: fitted } = chain);
    train = { x: chain.transformed.data, y: parts.train.y };
  }
  const featureCount = train.x.length / rows;
  const r = loaded.regression;
  const target = r && (saved?.target ?? fitTargetScale(r.name, r.values, parts.train.y));
  const regression: RegressionTargets | undefined = r && target && {
    ...target,
    values: r.values,
    standardized: Float32Array.from(r.values, (v) => (v - target.mean) / target.std),
  };
  return {
    rawShape,
    divideBy: loaded.divideBy ?? 1,
    sampleShape: featureCount === width ? rawShape : [featureCount],
    classes: loaded.classes,
    train,
    val: normalized(steps, parts.val),
    test: parts.test && normalized(steps, parts.test),
    source: loaded.source,
    files: loaded.files ?? [],
    preprocessing: { encoding, steps: fitted, ...(target && { target }) },
    ...(regression && { regression }),
  };
}
