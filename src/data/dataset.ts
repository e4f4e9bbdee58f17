// What a dataset loader returns: features as one float32 matrix (rows × features, each row a
// sample of `sampleShape`), class indices, class names, and the official test set if any.
import { isAbsolute, join } from 'node:path';
import type * as z from 'zod';
import type { Component } from '../common/schema.js';
import type { LabelOrigin } from './labels.js';
import type { Table } from './table.js';

export interface Examples {
  /** rows × prod(sampleShape), row-major. */
  x: Float32Array;
  y: Int32Array;
}

export interface LoadedData {
  sampleShape: number[];
  classes: string[];
  /** Everything the splits draw train and validation rows from. */
  train: Examples;
  /** The dataset's own validation set, when it has one (then none is split off train). */
  val?: Examples;
  /** The dataset's official test set, when it has one. */
  test?: Examples;
  /** Where the data came from, for env.json and `dlx datasets`. */
  source: string;
  /**
   * A regression target instead of classes: `values` by row id, and every `y` (train, test) is
   * a row id into it, so that splits and batches carry targets as they carry class labels.
   */
  regression?: { name: string; values: Float64Array };
  /** The loader divided the file's values by this (255 for image bytes); predict does too. */
  divideBy?: number;
  /**
   * Tabular data still as columns (missing values, categories): then train.x and test.x are
   * empty, and prepare() encodes the tables with statistics of the training split.
   */
  tables?: { train: Table; test?: Table };
  /** Every data file the loader read, in a fixed order: the run's data fingerprint hashes them. */
  files?: string[];
  /** Where train.y's labels come from, for messages about them. */
  labelOrigin?: LabelOrigin;
}

export interface DatasetContext {
  /** Folder of the spec file, for paths relative to it. */
  specDir: string;
  /** The run's seed, for generated datasets. */
  seed: number;
}

export interface DatasetComponent<S extends z.ZodObject = z.ZodObject> extends Component<S> {
  /** Where it comes from, for `dlx datasets list`. */
  origin(): { source: string; present: boolean };
  load(config: z.output<S>, context: DatasetContext): Promise<LoadedData>;
  /**
   * The per-sample shape and class count from what is known without reading the data (fixed
   * for a built-in image set, computed from options for a generated one), for `dlx validate`;
   * absent where only the data says (then validate loads it).
   */
  shape?(config: z.output<S>): { sampleShape: number[]; classes: number };
  /** Downloads the data into the cache, for `dlx datasets fetch`; returns where it is. */
  fetch?(): Promise<string>;
  /** What a user should know, shown by `dlx datasets info`. */
  notes?: string[];
}

export const defineDataset = <S extends z.ZodObject>(c: DatasetComponent<S>) => c;

/** A user's data path: as given when absolute, else relative to the spec's folder. */
export function fromSpec(path: string, specDir: string): string {
  return isAbsolute(path) ? path : join(specDir, path);
}

export function rowsOf(e: Examples): number {
  return e.y.length;
}
