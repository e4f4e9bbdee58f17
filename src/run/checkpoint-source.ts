// A checkpoint is enough on its own for eval and predict: its safetensors __metadata__ carries
// the resolved spec, the fitted preprocessing and where it trained (backend, kernels), so a
// .safetensors file copied out of its run folder still evaluates and predicts. Checkpoints
// written before that fall back on their run folder's files.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SpecError } from '../common/errors.js';
import { files } from './layout.js';
import { specSchema, type ResolvedSpec } from '../config/spec.js';
import { readCheckpoint, type LoadedCheckpoint } from '../train/checkpoint.js';
import { locateCheckpoint, readEnv, readPreprocessing, readRunSpec, type Preprocessing, type RunEnv } from './run-folder.js';
import { dlxVersion } from './version.js';

/** What eval and predict need besides the weights. */
export interface CheckpointSource {
  checkpoint: string;
  /** The run folder, or the checkpoint file itself when it stands alone. */
  origin: string;
  spec: ResolvedSpec;
  env: Pick<RunEnv, 'backend' | 'threads' | 'kernels' | 'specFile'>;
  preprocessing: Preprocessing;
  loaded: LoadedCheckpoint;
}

/**
 * The strings a checkpoint's __metadata__ holds. Not the thread count: results do not depend on
 * it, and checkpoints of 1 and 2 threads are byte for byte the same.
 */
/**
 * A value with every mapping's keys sorted: a fresh run's preprocessing and the one a resume reads
 * back from preprocessing.json hold the same values in different key orders, and checkpoints must
 * not differ for that.
 */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
}

export function checkpointMetadata(spec: ResolvedSpec, preprocessing: Preprocessing, env: CheckpointSource['env']): Record<string, string> {
  const { backend, kernels, specFile } = env;
  return {
    spec: JSON.stringify(spec),
    dlxVersion,
    preprocessing: JSON.stringify(canonical(preprocessing)),
    env: JSON.stringify({ backend, kernels, specFile }),
  };
}

function parsedSpec(text: string, path: string): ResolvedSpec {
  const parsed = specSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new SpecError([`${path}: its metadata holds a spec this dlx cannot read (${parsed.error.issues.length} problems; written by another dlx version?)`]);
  return parsed.data as ResolvedSpec;
}

export async function openCheckpoint(target: string): Promise<CheckpointSource> {
  const { runDir, checkpoint } = await locateCheckpoint(target);
  const loaded = await readCheckpoint(checkpoint);
  const m = loaded.metadata;
  // in its run folder, the folder's files are the record (and are checked); alone, the metadata
  const inFolder = await stat(join(runDir, files.resolved)).then(() => true, () => false);
  if (!inFolder && m.spec !== undefined && m.preprocessing !== undefined && m.env !== undefined) {
    return {
      checkpoint,
      origin: target,
      spec: parsedSpec(m.spec, checkpoint),
      env: JSON.parse(m.env) as CheckpointSource['env'],
      preprocessing: JSON.parse(m.preprocessing) as Preprocessing,
      loaded,
    };
  }
  return {
    checkpoint,
    origin: runDir,
    spec: await readRunSpec(runDir),
    env: await readEnv(runDir),
    preprocessing: await readPreprocessing(runDir),
    loaded,
  };
}
