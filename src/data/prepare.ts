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
import { DataError } from '../common/errors.js';

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
  /** What was fitted on the training split, for preprocessing.json. */
  preprocessing: SavedPreprocessing;
}

/** preprocessing.json's fitted part: the tabular encoding (if any) and the normalizer chain. */
export interface SavedPreprocessing {
  encoding?: ColumnEncoding[];
  steps: SavedStep[];
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

/** Tabular data: drop rows, split, then fit fills and categories on the training split. */
function prepareTables(loaded: LoadedData, config: DataConfig, seed: number, saved?: ColumnEncoding[]) {
  const tables = loaded.tables!;
  const keep = rowsToKeep(tables.train, config.missing);
  if (keep.length === 0) throw new DataError(`${tables.train.file}: no row is left after dropping those with missing values`);
  const table = selectRows(tables.train, keep);
  const labels = Int32Array.from(keep, (r) => loaded.train.y[r]);
  const test = tables.test && loaded.test ? testTable(loaded, config) : undefined;
  const parts = partRows(labels, test !== undefined, config.split, Rng.stream(config.split.seed ?? seed, 'split'));
  const trainTable = selectRows(table, parts.train);
  const encoding = saved ?? fitEncoding(trainTable, config.missing);
  const examples = (rows: Int32Array) => ({ x: encode(selectRows(table, rows), encoding), y: Int32Array.from(rows, (r) => labels[r]) });
  return {
    encoding,
    width: encodedWidth(encoding),
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
export function prepare(loaded: LoadedData, config: DataConfig, seed: number, saved?: SavedPreprocessing): PreparedData {
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
  return {
    rawShape,
    divideBy: loaded.divideBy ?? 1,
    sampleShape: featureCount === width ? rawShape : [featureCount],
    classes: loaded.classes,
    train,
    val: normalized(steps, parts.val),
    test: parts.test && normalized(steps, parts.test),
    source: loaded.source,
    preprocessing: { encoding, steps: fitted },
  };
}
