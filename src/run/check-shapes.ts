// What `dlx validate` checks beyond the schema: that the model fits the data (the input shape
// of the first layer, the class count at the output), as `dlx train` checks at once. Built-in
// image and generated datasets say their shape without being read; others are loaded (they
// are small tables or the user's own files) and prepared as training would.
import { dirname } from 'node:path';
import { SpecError } from '../common/errors.js';
import { positionOf, type LoadedSpec } from '../config/load.js';
import type { NormalizerConfig } from '../data/normalizers/index.js';
import { findDataset } from '../data/datasets/index.js';
import { loadDataset, prepare } from '../data/prepare.js';
import { referenceBackend } from '../engine/reference.js';
import { checkMonitor } from './build.js';
import type { LayerConfig } from '../nn/layers/index.js';
import { ClassCountError, Model, ModelError } from '../nn/model.js';
import { Rng } from '../random/rng.js';

export interface DataShape {
  sampleShape: number[];
  classes: number;
  /** Whether the data was read (false: from the dataset's metadata). */
  loaded: boolean;
  /** A regression task's standardized targets. */
  regression?: Float32Array;
}

/** pca and lda project onto `components` features; the other normalizers keep the shape. */
function normalizedShape(shape: number[], steps: readonly NormalizerConfig[]): number[] {
  return steps.reduce((s, step) => ('components' in step && typeof step.components === 'number' ? [step.components] : s), shape);
}

export async function dataShape(spec: LoadedSpec): Promise<DataShape> {
  const { data, seed } = spec.resolved;
  const component = findDataset(data.dataset.type);
  if (component.shape) {
    const meta = component.shape(data.dataset as never);
    return { sampleShape: normalizedShape(meta.sampleShape, data.normalize), classes: meta.classes, loaded: false };
  }
  const prepared = prepare(await loadDataset(data, { specDir: dirname(spec.file), seed }), data, seed);
  return { sampleShape: prepared.sampleShape, classes: prepared.classes.length, loaded: true, regression: prepared.regression?.standardized };
}

/** Builds the model on the reference backend; a misfit is a spec error at the layer's line. */
export async function checkShapes(spec: LoadedSpec): Promise<DataShape> {
  const shape = await dataShape(spec);
  checkMonitor(spec.resolved, spec.file, shape.regression !== undefined);
  const { model, loss, seed } = spec.resolved;
  try {
    Model.build(model as { layers: LayerConfig[]; output?: string }, loss, shape.sampleShape, shape.classes, referenceBackend, Rng.stream(seed, 'init'), Rng.stream(seed, 'dropout'), shape.regression);
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    // ModelError messages start with the key they are about: model.layers.2: …
    const key = /^([\w.]+): /.exec(e.message)?.[1] ?? 'model';
    const path: (string | number)[] = key.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    // "the last layer gives shape …": point at the last layer
    if (key === 'model.layers') path.push(model.layers.length - 1);
    const fix = e instanceof ClassCountError ? `: make the last layer a dense layer with units: ${e.classes}` : '';
    throw new SpecError([`${positionOf(spec, path)}: ${e.message}${fix}`]);
  }
  return shape;
}
