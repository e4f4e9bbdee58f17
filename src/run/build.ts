// From a resolved spec to the objects a run needs: data, model, optimizer, schedule, random
// streams. Shared by train, eval, resume, reproduce and predict, so they build identically.
import { dirname } from 'node:path';
import { DataError, SpecError } from '../common/errors.js';
import type { ResolvedSpec } from '../config/spec.js';
import { loadDataset, prepare, type PreparedData, type SavedPreprocessing } from '../data/prepare.js';
import type { Backend } from '../engine/backend.js';
import { backendNames, defaultThreads, loadBackend } from '../engine/backends.js';
import { Rng } from '../random/rng.js';
import { MemoryLimitError, type Tensor } from '../engine/tensor.js';
import { createAugmenter } from '../data/augment/index.js';
import { ClassCountError, Model, ModelError } from '../nn/model.js';
import { describeLabels } from '../data/labels.js';
import type { LoadedData } from '../data/dataset.js';
import { createOptimizer } from '../optim/optimizers/index.js';
import type { Optimizer } from '../optim/optimizers/optimizer.js';
import { createSchedule, type PlannedSchedule } from '../optim/schedules/index.js';

export interface Built {
  data: PreparedData;
  model: Model;
  optimizer: Optimizer;
  schedule: PlannedSchedule;
  /** The streams that a checkpoint saves and a resume continues. */
  rngs: { shuffle: Rng; augment: Rng; dropout: Rng };
  /** Changes training batches in place (data.augment), if the spec asks. */
  augment?: (batch: Tensor) => void;
  backend: Backend;
}

/** Where the kernels run: a backend name and a thread count (default: one per core). */
export interface Compute {
  backend: string;
  threads?: number;
}

export async function backendFor({ backend: name, threads = defaultThreads() }: Compute): Promise<Backend> {
  if (!Number.isInteger(threads) || threads < 1) throw new SpecError([`--threads ${threads}: expected a whole number ≥ 1`]);
  let backend: Backend | undefined;
  try {
    backend = await loadBackend(name, threads);
  } catch (e) {
    // the kernels are not built, or this runtime lacks WebAssembly SIMD: an installation problem
    throw new SpecError([`--backend ${name}: ${(e as Error).message}; --backend reference runs without WebAssembly`]);
  }
  if (!backend) throw new SpecError([`--backend ${name}: expected one of ${backendNames.join(', ')}`]);
  return backend;
}

/** Early stopping may watch only a curve column the task has (accuracy or regression errors). */
export function checkMonitor(spec: ResolvedSpec, specFile: string, regression: boolean): void {
  const monitor = spec.train.earlyStopping?.monitor;
  if (monitor && (regression ? /_acc$/.test(monitor) : /_(mae|rmse|r2)$/.test(monitor))) {
    throw new SpecError([`${specFile}: train.earlyStopping.monitor: '${monitor}' is not computed for ${regression ? 'a regression target: use val_loss, train_loss, val_mae, val_rmse or val_r2' : 'classes: use val_loss, val_acc, train_loss or train_acc'}`]);
  }
}

/** The model alone, from the per-sample input shape and the class count (what predict needs). */
export function buildModel(spec: ResolvedSpec, specFile: string, sampleShape: number[], classes: number, backend: Backend, dropoutRng = Rng.stream(spec.seed, 'dropout'), loaded?: LoadedData, regression?: Float32Array): Model {
  try {
    return Model.build(spec.model, spec.loss, sampleShape, classes, backend, Rng.stream(spec.seed, 'init'), dropoutRng, regression);
  } catch (e) {
    if (e instanceof ClassCountError) throw classCountError(`${specFile}: ${e.message}`, e.classes, loaded);
    if (e instanceof ModelError) throw new SpecError([`${specFile}: ${e.message}`]);
    throw e;
  }
}

/**
 * What the labels are, and a fix of the model only when they look like real classes: with
 * rare labels (a typo, a corrupt value) the data is the likelier culprit, so exit 3.
 */
function classCountError(message: string, classes: number, loaded?: LoadedData): SpecError | DataError {
  const fix = `make the last layer a dense layer with units: ${classes}`;
  if (!loaded) return new SpecError([`${message}: ${fix}`]);
  const { text, rare } = describeLabels(loaded.train.y, loaded.classes, loaded.labelOrigin);
  if (rare.length === 0) return new SpecError([`${message}; ${text}: ${fix}`]);
  const one = rare.length === 1;
  const file = loaded.labelOrigin?.file ?? loaded.source;
  return new DataError(`${message}; ${text}; ${one ? 'the rare one looks like an error' : 'the rare ones look like errors'} in the data: fix ${one ? 'it' : 'them'} in ${file}, or, if ${one ? 'it is a real class' : 'they are real classes'}, ${fix}`);
}

/** A MemoryLimitError as a SpecError with this message (the limit's own words after it). */
export function withinMemory<T>(make: () => T, message: string): T {
  try {
    return make();
  } catch (e) {
    if (e instanceof MemoryLimitError) throw new SpecError([`${message}: ${e.message}`]);
    throw e;
  }
}

export async function build(spec: ResolvedSpec, specFile: string, compute: Compute, saved?: SavedPreprocessing): Promise<Built> {
  const backend = await backendFor(compute);
  const loaded = await loadDataset(spec.data, { specDir: dirname(specFile), seed: spec.seed });
  const data = prepare(loaded, spec.data, spec.seed, saved);
  checkMonitor(spec, specFile, data.regression !== undefined);
  const dropoutRng = Rng.stream(spec.seed, 'dropout');
  const model = buildModel(spec, specFile, data.sampleShape, data.classes.length, backend, dropoutRng, loaded, data.regression?.standardized);
  const augmentRng = Rng.stream(spec.seed, 'augment');
  return {
    data,
    model,
    augment: createAugmenter(spec.data.augment, data.sampleShape, augmentRng),
    optimizer: withinMemory(() => createOptimizer(spec.optimizer, backend), `${specFile}: optimizer: the state of ${spec.optimizer.type} for the model's ${model.params.reduce((a, p) => a + p.value.size, 0).toLocaleString('en-US')} parameters is too big for the memory`),
    schedule: createSchedule(spec.schedule, spec.optimizer.lr),
    rngs: { shuffle: Rng.stream(spec.seed, 'shuffle'), augment: augmentRng, dropout: dropoutRng },
    backend,
  };
}
