// The data section of a spec, and turning it into normalized train/val/test splits: split with
// the run's `split` stream, fit the normalizers on the training split only, apply them to all.
import * as z from 'zod';
import { strictObject, type ComponentConfig } from '../common/schema.js';
import { Rng } from '../engine/rng.js';
import type { DatasetContext, Examples, LoadedData } from './dataset.js';
import { datasetSchema, findDataset } from './datasets/index.js';
import { applyChain, fitChain, normalizerSchema, restoreChain, type SavedStep } from './normalizers/index.js';
import type { Fitted } from './normalizers/normalizer.js';
import { split, splitSchema } from './split.js';

export const dataSchema = strictObject({
  dataset: datasetSchema,
  split: splitSchema.prefault({}),
  normalize: z.array(normalizerSchema).default([]),
});
export type DataConfig = z.output<typeof dataSchema>;

export interface PreparedData {
  /** Per-sample shape of the dataset's rows, before normalization. */
  rawShape: number[];
  /** Per-sample shape after normalization: what the model sees. */
  sampleShape: number[];
  classes: string[];
  train: Examples;
  val: Examples;
  test?: Examples;
  source: string;
  /** What was fitted on the training split, for preprocessing.json. */
  preprocessing: SavedStep[];
}

export async function loadDataset(config: DataConfig, context: DatasetContext): Promise<LoadedData> {
  return findDataset(config.dataset.type).load(config.dataset as never, context);
}

function normalized(steps: Fitted[], e: Examples): Examples {
  const rows = e.y.length;
  const m = applyChain(steps, { data: e.x, rows, cols: rows === 0 ? 0 : e.x.length / rows });
  return { x: m.data, y: e.y };
}

/**
 * Splits and normalizes. With `saved`, the normalizers are restored from a run's
 * preprocessing.json instead of fitted, as eval and predict need.
 */
export function prepare(loaded: LoadedData, config: DataConfig, seed: number, saved?: SavedStep[]): PreparedData {
  const parts = split(loaded.train, loaded.test, config.split, Rng.stream(seed, 'split'));
  const rows = parts.train.y.length;
  const width = parts.train.x.length / rows;
  let steps: Fitted[];
  let preprocessing: SavedStep[];
  if (saved) {
    steps = restoreChain(saved);
    preprocessing = saved;
  } else {
    ({ steps, saved: preprocessing } = fitChain(config.normalize as ComponentConfig[], { data: parts.train.x, rows, cols: width }, parts.train.y));
  }
  const train = normalized(steps, parts.train);
  const featureCount = train.x.length / rows;
  return {
    rawShape: loaded.sampleShape,
    sampleShape: featureCount === width ? loaded.sampleShape : [featureCount],
    classes: loaded.classes,
    train,
    val: normalized(steps, parts.val),
    test: parts.test && normalized(steps, parts.test),
    source: loaded.source,
    preprocessing,
  };
}
