// A checkpoint: the weights, the optimizer's state, every random stream's state and the
// training state (epoch, update count, best epoch), in safetensors, written atomically.
import { readFile } from 'node:fs/promises';
import { writeFileAtomic, type AtomicOptions } from '../common/atomic.js';
import { DataError } from '../common/errors.js';
import { Rng } from '../random/rng.js';
import { shapeText } from '../engine/tensor.js';
import type { Model } from '../nn/model.js';
import type { Optimizer } from '../optim/optimizers/optimizer.js';
import type { TrainingState } from './loop.js';
import { decodeSafetensors, encodeSafetensors, type StoredTensor } from './safetensors.js';

export const CHECKPOINT_FORMAT = 'dlx-checkpoint-1';


export interface CheckpointParts {
  model: Model;
  optimizer: Optimizer;
  rngs: Record<string, Rng>;
  state: TrainingState;
  /** Strings for __metadata__: the resolved spec, the dlx version. */
  metadata: Record<string, string>;
}

export async function saveCheckpoint(path: string, parts: CheckpointParts, options?: AtomicOptions): Promise<void> {
  await writeFileAtomic(path, checkpointBytes(parts), options);
}

/** A checkpoint's file contents (for writing it together with other files). */
export function checkpointBytes(parts: CheckpointParts): Uint8Array {
  const tensors = new Map<string, StoredTensor>();
  for (const [name, t] of parts.model.namedState()) tensors.set(`model.${name}`, { shape: [...t.shape], data: t.data });
  for (const [name, data] of parts.optimizer.saveState()) tensors.set(`optimizer.${name}`, { shape: [data.length], data });
  for (const [name, rng] of Object.entries(parts.rngs)) tensors.set(`rng.${name}`, { shape: [4], data: rng.state });
  const metadata = { ...parts.metadata, format: CHECKPOINT_FORMAT, state: JSON.stringify(parts.state) };
  return encodeSafetensors(tensors, metadata);
}

export interface LoadedCheckpoint {
  tensors: Map<string, StoredTensor>;
  metadata: Record<string, string>;
  state: TrainingState;
}

export async function readCheckpoint(path: string): Promise<LoadedCheckpoint> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new DataError(`${path}: cannot read the checkpoint (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const { tensors, metadata } = decodeSafetensors(bytes, path);
  if (metadata.format !== CHECKPOINT_FORMAT) throw new DataError(`${path}: not a dlx checkpoint (format '${metadata.format ?? 'none'}')`);
  return { tensors, metadata, state: JSON.parse(metadata.state) as TrainingState };
}

/** Copies the checkpoint's weights into the model; names and shapes must match exactly. */
export function loadWeights(model: Model, checkpoint: LoadedCheckpoint, path: string): void {
  for (const [name, value] of model.namedState()) {
    const t = checkpoint.tensors.get(`model.${name}`);
    if (!t) throw new DataError(`${path}: has no tensor model.${name}; the checkpoint does not belong to this model`);
    if (shapeText(t.shape) !== shapeText(value.shape) || !(t.data instanceof Float32Array)) {
      throw new DataError(`${path}: model.${name} is ${shapeText(t.shape)}, the model needs ${shapeText(value.shape)} float32`);
    }
    value.data.set(t.data);
  }
}

export function restoreTraining(parts: Omit<CheckpointParts, 'metadata' | 'state'>, checkpoint: LoadedCheckpoint, path: string): void {
  loadWeights(parts.model, checkpoint, path);
  const optimizerState = new Map<string, Float32Array>();
  for (const [name, t] of checkpoint.tensors) {
    if (name.startsWith('optimizer.')) optimizerState.set(name.slice('optimizer.'.length), t.data as Float32Array);
  }
  parts.optimizer.loadState(paramRefs(parts.model), optimizerState);
  for (const [name, rng] of Object.entries(parts.rngs)) {
    const t = checkpoint.tensors.get(`rng.${name}`);
    if (!t) throw new DataError(`${path}: has no state for the random stream '${name}'`);
    rng.setState(t.data);
  }
}

export function paramRefs(model: Model) {
  return model.namedParams().map(([name, p]) => ({ name, value: p.value.data, grad: p.grad.data, decay: p.penalized }));
}
