// `dlx eval`: a checkpoint's metrics on a split, with the run's own saved preprocessing (never
// refitted) and its own split seed, through the same evaluate() that training used.
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DataError, SpecError } from '../common/errors.js';
import { specSchema, type ResolvedSpec } from '../config/spec.js';
import type { SavedStep } from '../data/normalizers/index.js';
import { loadWeights, readCheckpoint } from '../train/checkpoint.js';
import { evaluate, type Metrics } from '../train/metrics.js';
import { build } from './build.js';
import { files } from './layout.js';

export type SplitName = 'train' | 'val' | 'test';

export interface EvalResult extends Metrics {
  split: SplitName;
  checkpoint: string;
  epoch: number;
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new DataError(`${path}: missing; is ${dirname(path)} a dlx run folder?`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new DataError(`${path}: not valid JSON`);
  }
}

/** A run folder (its last checkpoint) or a checkpoint file inside a run folder's checkpoints/. */
export async function locateCheckpoint(target: string): Promise<{ runDir: string; checkpoint: string }> {
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new DataError(`${target}: no such run folder or checkpoint`);
  if (info.isDirectory()) return { runDir: target, checkpoint: join(target, files.lastCheckpoint) };
  const dir = dirname(target);
  return { runDir: basename(dir) === files.checkpoints ? dirname(dir) : dir, checkpoint: target };
}

export async function readRunSpec(runDir: string): Promise<ResolvedSpec> {
  const path = join(runDir, files.resolved);
  const parsed = specSchema.safeParse(await readJson(path));
  if (!parsed.success) throw new SpecError([`${path}: not a valid resolved spec (${parsed.error.issues[0]?.message})`]);
  return parsed.data as ResolvedSpec;
}

export async function evaluateRun(target: string, split: SplitName, backend: string): Promise<EvalResult> {
  const { runDir, checkpoint } = await locateCheckpoint(target);
  const spec = await readRunSpec(runDir);
  const env = (await readJson(join(runDir, files.env))) as { specFile?: string };
  const saved = ((await readJson(join(runDir, files.preprocessing))) as { steps: SavedStep[] }).steps;
  const built = await build(spec, env.specFile ?? join(runDir, files.spec), backend, saved);
  const ckpt = await readCheckpoint(checkpoint);
  loadWeights(built.model, ckpt, checkpoint);
  const examples = built.data[split];
  if (!examples) {
    throw new DataError(`${runDir}: this run has no ${split} split (its dataset has no official test set and data.split.test is 0)`);
  }
  return { split, checkpoint, epoch: ckpt.state.epoch, ...evaluate(built.model, examples, built.data.sampleShape) };
}
