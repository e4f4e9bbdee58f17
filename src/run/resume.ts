// `dlx resume RUN`: continue an interrupted run from checkpoints/last.safetensors — weights,
// optimizer state, random streams, epoch (or the middle of one), early-stopping state — so that
// it ends exactly as an uninterrupted run would. curve.csv keeps only the epochs the checkpoint
// has seen, so a resume never duplicates a row.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError } from '../common/errors.js';
import { readCheckpoint, restoreTraining } from '../train/checkpoint.js';
import type { TrainEvents } from '../train/loop.js';
import { build } from './build.js';
import { checkpointMetadata } from './checkpoint-source.js';
import { files } from './layout.js';
import { readCurve, readEnv, readMetrics, readPreprocessing, readRunSpec, type RunMetrics } from './run-folder.js';
import { trainInFolder } from './session.js';

export interface ResumeResult {
  runDir: string;
  metrics: RunMetrics;
  /** The run had already ended: nothing was trained. */
  alreadyDone: boolean;
  fromEpoch: number;
}

/** Temporary files a killed writer left behind (writeFileAtomic's `.name.pid.n.tmp`). */
async function removeStaleTemporaries(dir: string): Promise<void> {
  for (const d of [dir, join(dir, files.checkpoints)]) {
    for (const name of await readdir(d).catch(() => [] as string[])) {
      if (name.startsWith('.') && name.endsWith('.tmp')) await rm(join(d, name), { force: true });
    }
  }
}

export async function resumeRun(runDir: string, options: { backend?: string; threads?: number; argv: string[]; signal?: AbortSignal; events?: TrainEvents }): Promise<ResumeResult> {
  const spec = await readRunSpec(runDir);
  const env = await readEnv(runDir);
  const metrics = await readMetrics(runDir);
  const path = join(runDir, files.lastCheckpoint);
  const checkpoint = await readCheckpoint(path);
  const state = checkpoint.state;
  if (state.stopped) return { runDir, metrics, alreadyDone: true, fromEpoch: state.epoch };
  const backend = options.backend ?? env.backend;
  if (backend !== env.backend) {
    throw new DataError(`${runDir}: the run trained on the ${env.backend} backend; resuming on ${backend} would not continue it exactly`);
  }
  const preprocessing = await readPreprocessing(runDir);
  const built = await build(spec, env.specFile, { backend, threads: options.threads ?? env.threads }, preprocessing);
  if (env.kernels && built.backend.variant !== env.kernels) {
    throw new DataError(`${runDir}: the run trained with ${env.kernels} kernels; this runtime has ${built.backend.variant}, so resuming would not continue it exactly`);
  }
  restoreTraining(built, checkpoint, path);
  await removeStaleTemporaries(runDir);
  const curve = (await readCurve(runDir)).filter((r) => r.epoch <= state.epoch);
  const resumes = (metrics.resumes as unknown[] | undefined) ?? [];
  metrics.resumes = [...resumes, { at: new Date().toISOString(), fromEpoch: state.epoch, batch: state.partial?.batch ?? 0, argv: options.argv }];
  metrics.status = 'running';
  const result = await trainInFolder({
    spec, built, state, curve, metrics,
    folder: { dir: runDir, runDir, promoted: true },
    metadata: checkpointMetadata(spec, preprocessing, env),
    signal: options.signal, events: options.events,
  });
  return { runDir, metrics: result.metrics, alreadyDone: false, fromEpoch: state.epoch };
}
