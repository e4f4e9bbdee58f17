// `dlx resume RUN`: continue an interrupted run from checkpoints/last.safetensors — weights,
// optimizer state, random streams, epoch (or the middle of one), early-stopping state — so that
// it ends exactly as an uninterrupted run would. curve.csv keeps only the epochs the checkpoint
// has seen, so a resume never duplicates a row. A run killed after its last epoch but before its
// end was written (restoreBest, test metrics) is finished; a run killed before its first epoch
// (only its staging folder exists) starts again from the beginning under its lock.
import { readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DataError } from '../common/errors.js';
import { readCheckpoint, restoreTraining } from '../train/checkpoint.js';
import { freshState, type TrainEvents } from '../train/loop.js';
import { build } from './build.js';
import { files, stagingName, unstagedName } from './layout.js';
import { acquireRunLock } from './lock.js';
import { readCurve, readEnv, readMetrics, readPreprocessing, readRunSpec, type RunMetrics } from './run-folder.js';
import { ended, finishRun, trainInFolder } from './session.js';
import { checkRunData } from './data-check.js';
import type { WrittenPlots } from './plots.js';
import { plotRun, startPlotter, type Plotter } from './plotter.js';
import type { FolderState } from './writers.js';
import { checkpointMetadata } from './checkpoint-source.js';

export interface ResumeResult {
  runDir: string;
  metrics: RunMetrics;
  /** The run had already ended: nothing was trained. */
  alreadyDone: boolean;
  fromEpoch: number;
  plots?: WrittenPlots & { ms: number };
}

/** Temporary files a killed writer left behind (writeFileAtomic's `.name.pid.n.tmp`). */
async function removeStaleTemporaries(dir: string): Promise<void> {
  for (const d of [dir, join(dir, files.checkpoints)]) {
    for (const name of await readdir(d).catch(() => [] as string[])) {
      if (name.startsWith('.') && name.endsWith('.tmp')) await rm(join(d, name), { force: true });
    }
  }
}

const isDir = (path: string) => stat(path).then((s) => s.isDirectory(), () => false);

/** The folder on disk for a run path: the run itself, or its staging folder before epoch 1. */
export async function locateRunFolder(target: string): Promise<FolderState> {
  const real = unstagedName(basename(target));
  if (real !== undefined && (await isDir(target))) return { dir: target, runDir: join(dirname(target), real), promoted: false };
  if (await isDir(target)) return { dir: target, runDir: target, promoted: true };
  const staging = join(dirname(target), stagingName(basename(target)));
  if (await isDir(staging)) return { dir: staging, runDir: target, promoted: false };
  throw new DataError(`${target}: no such run folder`);
}

export async function resumeRun(target: string, options: { backend?: string; threads?: number; argv: string[]; signal?: AbortSignal; events?: TrainEvents; plots?: boolean; writeEvery?: number }): Promise<ResumeResult> {
  const folder = await locateRunFolder(target);
  const release = await acquireRunLock(folder.dir, 'dlx resume');
  try {
    return await resumeLocked(folder, options);
  } finally {
    await release(folder.dir);
  }
}

async function resumeLocked(folder: FolderState, options: Parameters<typeof resumeRun>[1]): Promise<ResumeResult> {
  const { dir, runDir } = folder;
  const spec = await readRunSpec(dir);
  const env = await readEnv(dir);
  const metrics = await readMetrics(dir);
  const path = join(dir, files.lastCheckpoint);
  // before its first epoch a run has no checkpoint: it starts again from its seed
  const checkpoint = folder.promoted ? await readCheckpoint(path) : await stat(path).then(() => readCheckpoint(path), () => undefined);
  const state = checkpoint?.state ?? freshState();
  if (ended(metrics, state)) return { runDir, metrics, alreadyDone: true, fromEpoch: state.epoch };
  // the plot worker warms vega while the run trains on (plotter.ts)
  const plotter = options.plots ? startPlotter('run') : undefined;
  try {
    return await resumeTraining(folder, options, { spec, env, metrics, checkpoint, state, path }, plotter);
  } finally {
    plotter?.close();
  }
}

interface ResumePoint {
  spec: Awaited<ReturnType<typeof readRunSpec>>;
  env: Awaited<ReturnType<typeof readEnv>>;
  metrics: RunMetrics;
  checkpoint: Awaited<ReturnType<typeof readCheckpoint>> | undefined;
  state: ReturnType<typeof freshState>;
  path: string;
}

async function resumeTraining(folder: FolderState, options: Parameters<typeof resumeRun>[1], point: ResumePoint, plotter: Plotter | undefined): Promise<ResumeResult> {
  const { dir, runDir } = folder;
  const { spec, env, metrics, checkpoint, state, path } = point;
  const backend = options.backend ?? env.backend;
  if (backend !== env.backend) {
    throw new DataError(`${runDir}: the run trained on the ${env.backend} backend; resuming on ${backend} would not continue it exactly`);
  }
  const preprocessing = await readPreprocessing(dir);
  const built = await build(spec, env.specFile, { backend, threads: options.threads ?? env.threads }, preprocessing);
  if (env.kernels && built.backend.variant !== env.kernels) {
    throw new DataError(`${runDir}: the run trained with ${env.kernels} kernels; this runtime has ${built.backend.variant}, so resuming would not continue it exactly`);
  }
  await checkRunData(runDir, spec, built.data);
  if (checkpoint) restoreTraining(built, checkpoint, path);
  await removeStaleTemporaries(dir);
  const curve = (await readCurve(dir)).filter((r) => r.epoch <= state.epoch);
  const resumes = (metrics.resumes as unknown[] | undefined) ?? [];
  metrics.resumes = [...resumes, { at: new Date().toISOString(), fromEpoch: state.epoch, batch: state.partial?.batch ?? 0, argv: options.argv }];
  metrics.status = 'running';
  const metadata = checkpointMetadata(spec, preprocessing, env);
  if (state.stopped) {
    // killed after the last epoch: only the end of the run is left to do
    await finishRun({ folder, model: built.model, optimizer: built.optimizer, rngs: built.rngs, metadata, curve, metrics }, spec, built, state);
    const plots = options.plots ? await plotRun(plotter, runDir) : undefined;
    return { runDir, metrics, alreadyDone: false, fromEpoch: state.epoch, plots };
  }
  const result = await trainInFolder({ spec, built, state, curve, metrics, folder, metadata, signal: options.signal, events: options.events, confusion: options.plots, writeEvery: options.writeEvery });
  const plots = options.plots ? await plotRun(plotter, runDir, result.confusion) : undefined;
  return { runDir, metrics: result.metrics, alreadyDone: false, fromEpoch: state.epoch, plots };
}
