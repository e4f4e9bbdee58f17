// `dlx train`: validate, load and prepare the data, build the model, then train while writers
// keep the run folder current. The folder is staged under a hidden name and appears under its
// real name only once the first epoch is written; a failure before that leaves nothing.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { writeFilesAtomic } from '../common/atomic.js';
import { SpecError } from '../common/errors.js';
import type { LoadedSpec } from '../config/load.js';
import type { Override } from '../config/overrides.js';
import type { ResolvedSpec } from '../config/spec.js';
import type { SummaryRow } from '../nn/model.js';
import { freshState, type TrainEvents } from '../train/loop.js';
import { build } from './build.js';
import type { DataFingerprint } from '../data/fingerprint.js';
import { fingerprintOf } from './data-check.js';
import { checkpointMetadata } from './checkpoint-source.js';
import { files, runFolderName, stagingName } from './layout.js';
import { acquireRunLock } from './lock.js';
import type { Preprocessing, RunMetrics } from './run-folder.js';
import { trainInFolder } from './session.js';
import type { WrittenPlots } from './plots.js';
import { plotRun, startPlotter, type Plotter } from './plotter.js';
import { dlxVersion } from './version.js';
import { curveCsv, json } from './writers.js';

export interface TrainOptions {
  runsDir: string;
  backend: string;
  threads?: number;
  argv: string[];
  signal?: AbortSignal;
  /** Write the run into exactly this folder (a sweep's trial) instead of runsDir/<name>/<time-id>. */
  runDir?: string;
  /** Recorded in env.json (a sweep's trial: its sweep folder and number). */
  context?: Record<string, unknown>;
  /** Called once the model is built, before training. */
  onReady?(info: { runDir: string; spec: ResolvedSpec; summary: SummaryRow[]; totalParams: number; compute: string }): void;
  events?: TrainEvents;
  /** Sees the data's fingerprint before training; reproduce refuses changed data here. */
  checkData?(fingerprint: DataFingerprint): void;
  /** The commit recorded in env.json, when the caller knows it (a sweep asks git once, not per trial). */
  gitCommit?: string | null;
  /** Write plots/ at the end (dlx train does unless --no-plots; reproduce does not). */
  plots?: boolean;
  /** The plot worker, when the caller started it earlier (dlx train does, before loading the spec); else one starts here. */
  plotter?: Plotter;
  /** Seconds between writes of the epochs' files (sweep trials); absent: after every epoch. */
  writeEvery?: number;
}

export interface RunResult {
  runDir: string;
  spec: ResolvedSpec;
  metrics: RunMetrics;
  /** The plots written at the end, and how long drawing them took. */
  plots?: WrittenPlots & { ms: number };
}

/** The commit of the working folder's repository, when there is one. */
/** The working folder's git commit, or null (no git, not a repository). Asynchronous: `git`
 * takes 20–90 ms to start, which the data's loading and the model's building overlap. */
export function gitCommit(): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', ['rev-parse', 'HEAD'], { timeout: 2000 }, (error, stdout) => resolve(error ? null : stdout.trim()));
  });
}

export async function runExperiment(specFile: string, overrides: Override[], options: TrainOptions): Promise<RunResult> {
  // loaded here, not at the top: a sweep's trial process starts runs from resolved specs and
  // need not load the YAML parser
  const { loadSpec } = await import('../config/load.js');
  return startRun(await loadSpec(specFile, overrides), options);
}

/** What a new run needs of its spec: the file it came from, its text, overrides, the resolved values. */
export type RunSource = Pick<LoadedSpec, 'file' | 'text' | 'overrides' | 'resolved'>;

/** A new run of a validated spec (from a file, or a run's resolved.json for reproduce). */
export async function startRun(loaded: RunSource, options: TrainOptions): Promise<RunResult> {
  // the plot worker loads and warms vega while the data loads and the model trains
  const plotter = options.plots ? (options.plotter ?? startPlotter('run')) : undefined;
  try {
    return await trainNewRun(loaded, options, plotter);
  } finally {
    plotter?.close();
  }
}

async function trainNewRun(loaded: RunSource, options: TrainOptions, plotter: Plotter | undefined): Promise<RunResult> {
  const spec = loaded.resolved;
  const commit = options.gitCommit === undefined ? gitCommit() : Promise.resolve(options.gitCommit);
  const built = await build(spec, loaded.file, { backend: options.backend, threads: options.threads });
  const { model, data } = built;
  if (spec.train.test && !data.test) {
    throw new SpecError([`${loaded.file}: train.test: the dataset has no official test set and data.split.test is 0, so there is no test split to evaluate`]);
  }

  const fingerprint = await fingerprintOf(spec, data);
  options.checkData?.(fingerprint);

  const start = new Date();
  const folderName = runFolderName(start, randomBytes(3).toString('hex'));
  const runDir = options.runDir ? resolve(options.runDir) : join(resolve(options.runsDir), spec.name, folderName);
  const staging = join(dirname(runDir), stagingName(basename(runDir)));
  const firstCreated = await mkdir(join(staging, files.checkpoints), { recursive: true });
  const summary = model.summary();
  const params = summary.reduce((a, r) => a + r.params, 0);
  const sparse = summary.flatMap((r, layer) => (r.density === undefined ? [] : [{ layer, density: r.density, weights: r.weights }]));
  const metrics: RunMetrics = { status: 'running', epochs: 0, params, ...(sparse.length > 0 && { sparsity: sparse }) };
  let release: Awaited<ReturnType<typeof acquireRunLock>>;
  let preprocessing: Preprocessing;
  try {
    release = await acquireRunLock(staging, 'dlx train');
    preprocessing = { rawShape: data.rawShape, divideBy: data.divideBy, sampleShape: data.sampleShape, classes: data.classes, ...data.preprocessing };
    const env = {
      dlxVersion,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      backend: built.backend.name,
      threads: built.backend.threads,
      kernels: built.backend.variant,
      argv: options.argv,
      cwd: process.cwd(),
      specFile: resolve(loaded.file),
      gitCommit: await commit,
      dataSource: data.source,
      startedAt: start.toISOString(),
      ...options.context,
    };
    await writeFilesAtomic([
      [join(staging, files.spec), loaded.text],
      [join(staging, files.resolved), json(spec)],
      [join(staging, files.overrides), json(Object.fromEntries(loaded.overrides.map((o) => [o.path.join('.'), o.value])))],
      [join(staging, files.env), json(env)],
      [join(staging, files.preprocessing), json(preprocessing)],
      [join(staging, files.data), json(fingerprint)],
      [join(staging, files.curve), curveCsv([])],
      [join(staging, files.metrics), json(metrics)],
    ]);
  } catch (e) {
    await rm(firstCreated ?? staging, { recursive: true, force: true });
    throw e;
  }
  const { name, variant, threads } = built.backend;
  const compute = `${name} backend (${variant} kernels), ${threads} thread${threads === 1 ? '' : 's'}`;
  options.onReady?.({ runDir, spec, summary, totalParams: params, compute });
  const folder = { dir: staging, runDir, promoted: false };
  try {
    const result = await trainInFolder({
      spec, built, metrics, state: freshState(), curve: [], folder,
      metadata: checkpointMetadata(spec, preprocessing, { backend: name, threads, kernels: variant, specFile: resolve(loaded.file) }),
      signal: options.signal, events: options.events, cleanup: firstCreated ?? staging, confusion: options.plots, writeEvery: options.writeEvery,
    });
    const plots = options.plots ? await plotRun(plotter, result.runDir, result.confusion) : undefined;
    return { runDir: result.runDir, spec, metrics: result.metrics, plots };
  } finally {
    await release(folder.dir);
  }
}
