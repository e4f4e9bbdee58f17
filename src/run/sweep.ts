// `dlx sweep` and `dlx resume SWEEP`: the coordinator. It owns the sampler, the pruner and the
// journal; each trial trains in its own process (trial-process.ts), at most `workers` at once.
//
// Reproducible whatever the timing, by two rules on trial numbers:
// - TPE asks trial n only once every trial ≤ n − W has ended (W workers), and gives it exactly
//   those as history, with trials n − W + 1 … n − 1 as pending (constant liars).
// - A pruning decision for trial n at epoch e waits until every earlier trial has reached epoch e
//   or ended, and compares with exactly those (pruners.ts). Grid and random values depend on
//   the trial number alone, so those sweeps give the same results for any worker count.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../common/atomic.js';
import { DataError, InterruptedError, SpecError } from '../common/errors.js';
import { parseOverride } from '../config/overrides.js';
import { suggest, trialSeed, type TrialView } from '../sweep/sampler.js';
import { readable, type Assignment } from '../sweep/space.js';
import { shouldPrune } from '../sweep/pruners.js';
import type { EpochRecord } from '../train/loop.js';
import { runFolderName } from './layout.js';
import { gitCommit } from './run-experiment.js';
import { curveRow, readCurve } from './run-folder.js';
import { trialSpec, loadSweep, type LoadedSweep } from './sweep-spec.js';
import { openJournal, paramsJson, readJournal, removeStaging, summaryCsv, sweepFiles, trialDir, type Journal, type JournalEvent, type SweepJson, type TrialResult } from './sweep-folder.js';
import { trialPool, type StartedProcesses, type TrialExit, type TrialHandlers, type TrialProcess } from './trial-process.js';
import type { TrialFold, TrialJob } from './trial.js';

/** Starts a trial somewhere and reports back; the coordinator does not care where. */
export { isSweepFolder } from './sweep-folder.js';

export type TrialLauncher = (job: TrialJob, handlers: TrialHandlers) => TrialProcess;
import { json } from './writers.js';
import { ensembleRuns } from './ensemble.js';
import { evaluateRun, type EvalResult } from './evaluate-run.js';
import { plotSweep, startPlotter, type Plotter, type TimedPlots } from './plotter.js';

export interface SweepEvents {
  trialStart?(trial: number, values: Record<string, number | string>): void;
  trialEpoch?(trial: number, fold: number | undefined, record: EpochRecord, value: number): void;
  trialEnd?(trial: number, result: TrialResult, best: { trial: number; value: number } | undefined): void;
}

export interface SweepOptions {
  runsDir: string;
  backend: string;
  /** Threads per trial (default: threadsFor(workers), else 1). */
  threads?: number;
  threadsFor?(workers: number): number;
  /** Overrides the spec's sweep.workers. */
  workers?: number;
  /** The trial process's entry script (src/cli/trial-child.js). */
  trialEntry: string;
  /** Trial processes started before the spec was read; the sweep takes or stops them. */
  started?: StartedProcesses;
  /** Where trials run (default: a child process of this one, forkTrial); a queue plugs in here. */
  launcher?: TrialLauncher;
  argv: string[];
  /** Draw the sweep's plots/ at the end (default true; `--no-plots`). Trials draw none. */
  plots?: boolean;
  signal?: AbortSignal;
  events?: SweepEvents;
  onStart?(info: { sweepDir: string; method: string; trials: number; workers: number; threads: number; metric: string; mode: string; resumed: boolean }): void;
}

export interface SweepOutcome {
  sweepDir: string;
  trials: number;
  best?: { trial: number; value: number; runDir: string };
  counts: Record<string, number>;
  /** best.json as written: test metrics and the ensemble when asked. */
  summary: Record<string, unknown>;
  /** The sweep's plots/ and how long the end of the sweep waited for them (none with plots: false). */
  plots?: TimedPlots;
}

interface Trial {
  number: number;
  assignment: Assignment;
  values: Record<string, number | string>;
  seed: number;
  /** The first fold's metric per epoch (index e − 1). */
  curve: number[];
  result?: TrialResult;
  attempts: number;
}

export async function startSweep(specFile: string, overrideTexts: string[], options: SweepOptions): Promise<SweepOutcome> {
  return startLoadedSweep(await loadSweep(specFile, overrideTexts.map(parseOverride)), specFile, overrideTexts, options);
}

/** A new sweep folder for a loaded sweep spec (from its file, or a sweep folder's copy for reproduce). */
export async function startLoadedSweep(sweep: LoadedSweep, specFile: string, overrideTexts: string[], options: SweepOptions): Promise<SweepOutcome> {
  const start = new Date();
  const name = sweep.loaded.resolved.name;
  const sweepDir = join(resolve(options.runsDir), name, `sweep-${runFolderName(start, randomBytes(3).toString('hex'))}`);
  await mkdir(join(sweepDir, sweepFiles.trials), { recursive: true });
  const workers = options.workers ?? sweep.settings.workers;
  const threads = options.threads ?? options.threadsFor?.(workers) ?? 1;
  const meta: SweepJson = {
    name, specFile: resolve(specFile), method: sweep.settings.method, trials: sweep.trials, seed: sweep.seed,
    metric: sweep.objective.metric, mode: sweep.objective.mode, folds: sweep.settings.folds ?? null, workers,
    backend: options.backend, threads, params: paramsJson(sweep.space), createdAt: start.toISOString(),
  };
  await writeFileAtomic(join(sweepDir, sweepFiles.spec), sweep.loaded.text);
  await writeFileAtomic(join(sweepDir, 'overrides.json'), json(overrideTexts));
  await writeFileAtomic(join(sweepDir, sweepFiles.sweep), json(meta));
  return coordinate(sweep, sweepDir, meta, [], { ...options, workers, threads }, false);
}

/** The sweep as it was started: its stored spec text, overrides, and the settings it resolved to. */
export async function loadStoredSweep(sweepDir: string): Promise<{ sweep: LoadedSweep; meta: SweepJson }> {
  const meta = JSON.parse(await readFile(join(sweepDir, sweepFiles.sweep), 'utf8').catch(() => {
    throw new DataError(`${join(sweepDir, sweepFiles.sweep)}: missing; is ${sweepDir} a dlx sweep folder?`);
  })) as SweepJson;
  const overrides = JSON.parse(await readFile(join(sweepDir, 'overrides.json'), 'utf8')) as string[];
  // the stored spec.yaml, read as if it were at the original path (data paths are relative to it)
  const sweep = await loadSweepText(meta.specFile, await readFile(join(sweepDir, sweepFiles.spec), 'utf8'), overrides);
  return { sweep, meta };
}

async function loadSweepText(file: string, text: string, overrides: string[]): Promise<LoadedSweep> {
  return loadSweep(file, overrides.map(parseOverride), text);
}

/** Keys whose values differ between two JSON values, as dotted paths. */
function changedKeys(a: unknown, b: unknown, at = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) return [at || '(top level)'];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.flatMap((k) => changedKeys((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], at ? `${at}.${k}` : k));
}

export async function resumeSweep(sweepDir: string, options: Omit<SweepOptions, 'runsDir' | 'backend'>): Promise<SweepOutcome> {
  const { sweep, meta } = await loadStoredSweep(sweepDir);
  // the spec file it came from must not have changed since (else the trials would mix two specs)
  const current = await readFile(meta.specFile, 'utf8').catch(() => undefined);
  if (current !== undefined && current !== sweep.loaded.text) {
    const overrides = JSON.parse(await readFile(join(sweepDir, 'overrides.json'), 'utf8')) as string[];
    const now = await loadSweepText(meta.specFile, current, overrides).catch(() => undefined);
    const keys = now ? [...changedKeys(sweep.loaded.raw, now.loaded.raw), ...changedKeys(sweep.settings, now.settings).map((k) => `sweep.${k}`)] : ['(the spec no longer validates)'];
    if (keys.length > 0) {
      throw new SpecError([`${meta.specFile}: the spec changed since the sweep started (${keys.join(', ')}); resuming would mix two experiments. Start a new sweep with dlx sweep ${meta.specFile}, or restore the file`]);
    }
  }
  const events = await readJournal(sweepDir);
  const workers = options.workers ?? meta.workers;
  if (workers !== meta.workers && meta.method === 'tpe') {
    throw new SpecError([`--workers ${workers}: this TPE sweep started with ${meta.workers} workers, and its suggestions depend on that number; resume with --workers ${meta.workers}`]);
  }
  return coordinate(sweep, sweepDir, meta, events, { ...options, runsDir: '', backend: meta.backend, threads: options.threads ?? meta.threads, workers }, true);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Resolves once `pid` has exited (a killed coordinator's trial process finishing its checkpoint). */
async function stopped(pid: number, limitMs = 60_000): Promise<void> {
  for (let waited = 0; alive(pid); waited += 50) {
    if (waited > limitMs) throw new DataError(`a trial process of this sweep from before (pid ${pid}) is still running after ${limitMs / 1000} s; stop it (kill ${pid}) and resume again`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The objective of a curve: the metric at its best epoch. */
function bestOf(values: number[], mode: 'min' | 'max'): { value: number; epoch: number } | undefined {
  let best: { value: number; epoch: number } | undefined;
  values.forEach((v, i) => {
    if (best === undefined || (mode === 'min' ? v < best.value : v > best.value)) best = { value: v, epoch: i + 1 };
  });
  return best;
}

type CoordinateOptions = SweepOptions & { workers: number; threads: number };

async function coordinate(sweep: LoadedSweep, sweepDir: string, meta: SweepJson, journal: JournalEvent[], options: CoordinateOptions, resumed: boolean): Promise<SweepOutcome> {
  const plots: { plotter?: Plotter } = {};
  const record = openJournal(sweepDir);
  try {
    return await coordinateTrials(sweep, sweepDir, meta, journal, options, resumed, plots, record);
  } finally {
    record.close();
    plots.plotter?.close();
  }
}

async function coordinateTrials(sweep: LoadedSweep, sweepDir: string, meta: SweepJson, journal: JournalEvent[], options: CoordinateOptions, resumed: boolean, plots: { plotter?: Plotter }, journalFile: Journal): Promise<SweepOutcome> {
  const { objective, settings } = sweep;
  // `git` starts while the journal is read and the first trials are asked
  const committed = gitCommit();
  const W = options.workers;
  const orient = (v: number) => (objective.mode === 'min' ? v : -v);
  const trials: Trial[] = [];
  const pids = new Map<number, number>();
  for (const e of journal) {
    if (e.event === 'launch') pids.set(e.trial, e.pid);
    if (e.event === 'asked') trials[e.trial] = { number: e.trial, assignment: e.params, values: e.values, seed: e.seed, curve: [], attempts: 0 };
    else if (e.event === 'epoch' && (e.fold ?? 1) === 1) trials[e.trial].curve[e.epoch - 1] = e.value;
    else if (e.event === 'ended') trials[e.trial].result = e.result;
  }
  if (resumed) await removeStaging(sweepDir);
  journalFile.append({ event: 'start', at: new Date().toISOString(), workers: W, resumed });
  options.onStart?.({ sweepDir, method: settings.method, trials: sweep.trials, workers: W, threads: options.threads, metric: objective.metric, mode: objective.mode, resumed });
  const running = new Map<number, TrialProcess>();
  // every waiter is woken (the main loop and each trial waiting for a pruning decision)
  const waiters: (() => void)[] = [];
  const changed = () => new Promise<void>((r) => waiters.push(r));
  const notify = () => waiters.splice(0).forEach((w) => w());
  const record = (e: JournalEvent) => journalFile.append(e);
  // the plot worker loads vega and warms it (at nice 19: only with CPU the trials leave idle) while trials train: drawing the sweep's
  // plots cold at the end would cost about a second, on the critical path. It starts with the
  // first epoch, once the coordinator and the trials' processes have loaded their modules.
  const startPlots = () => {
    if (options.plots !== false && !plots.plotter) plots.plotter = startPlotter('sweep');
  };
  let bestSoFar: { trial: number; value: number } | undefined;
  const updateBest = () => {
    bestSoFar = undefined;
    for (const t of trials) {
      const r = t?.result;
      if (!r || r.value === null || (r.status !== 'finished' && r.status !== 'stopped-early')) continue;
      if (!bestSoFar || orient(r.value) < orient(bestSoFar.value)) bestSoFar = { trial: t.number, value: r.value };
    }
  };
  updateBest();
  const writeSummary = async () => {
    const rows = trials.filter(Boolean).map((t) => ({ trial: t.number, values: t.values, result: t.result }));
    // no fsync (one per trial's start and end): summary.csv is rebuilt from the journal on resume
    await writeFileAtomic(join(sweepDir, sweepFiles.summary), summaryCsv(sweep.space, rows), { sync: false });
  };

  const ended = (t: Trial | undefined) => t?.result !== undefined && t.result.status !== 'interrupted';
  /** TPE's history for trial n: ended trials ≤ n − W, and n − W + 1 … n − 1 pending. */
  const history = (n: number): TrialView[] =>
    trials.slice(0, n).flatMap((t): TrialView[] => {
      if (t.number > n - W) return [{ number: t.number, assignment: t.assignment, state: 'pending', value: 0, step: 0 }];
      const r = t.result!;
      if (r.status === 'finished' || r.status === 'stopped-early') return [{ number: t.number, assignment: t.assignment, state: 'complete', value: orient(r.value!), step: r.epochs ?? 0 }];
      if (r.status === 'pruned' && t.curve.length > 0) return [{ number: t.number, assignment: t.assignment, state: 'pruned', value: orient(t.curve[t.curve.length - 1]), step: t.curve.length }];
      return [];
    });
  const canAsk = (n: number) => n < sweep.trials && (settings.method !== 'tpe' || trials.slice(0, Math.max(0, n - W + 1)).every(ended));

  const ask = async (n: number): Promise<Trial> => {
    const assignment = suggest({ method: settings.method, space: sweep.space, seed: sweep.seed, trial: n, history: settings.method === 'tpe' ? history(n) : [], tpe: settings.tpe });
    const t: Trial = { number: n, assignment, values: readable(sweep.space, assignment), seed: trialSeed(sweep.seed, n), curve: [], attempts: 0 };
    trials[n] = t;
    record({ event: 'asked', trial: n, params: assignment, values: t.values, seed: t.seed });
    await writeSummary();
    return t;
  };

  /** Waits until every earlier trial has reached `epoch` or ended, then applies the pruner. */
  const decide = async (t: Trial, epoch: number): Promise<boolean> => {
    for (;;) {
      const earlier = trials.slice(0, t.number);
      if (earlier.every((m) => ended(m) || m.curve.length >= epoch)) {
        const curves = earlier.filter((m) => !(m.result && (m.result.status === 'failed' || m.result.status === 'diverged'))).map((m) => m.curve.map(orient));
        return shouldPrune(settings.pruner, epoch, t.curve.map(orient), curves);
      }
      if (options.signal?.aborted) return false;
      await changed();
    }
  };

  const finish = async (t: Trial, result: TrialResult) => {
    t.result = result;
    record({ event: 'ended', trial: t.number, result });
    updateBest();
    await writeSummary();
    options.events?.trialEnd?.(t.number, result, bestSoFar);
  };

  const resultOf = async (exit: Extract<TrialExit, { kind: 'done' }>): Promise<TrialResult> => {
    const folds = await Promise.all(exit.folds.map(async (f) => ({ f, curve: await readCurve(f.runDir) })));
    const perFold = folds.map(({ curve }) => bestOf(curve.map((r) => curveRow(r)[objective.metric]), objective.mode));
    const seconds = folds.reduce((a, { curve }) => a + curve.reduce((s, r) => s + r.seconds, 0), 0);
    const epochs = folds[0]?.curve.length ?? 0;
    if (folds.some(({ f }) => f.metrics.status === 'pruned')) {
      return { status: 'pruned', value: perFold[0]?.value ?? null, bestEpoch: perFold[0]?.epoch, epochs, seconds };
    }
    const values = perFold.map((p) => p!.value);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const status = folds.every(({ f }) => f.metrics.status === 'stopped-early') ? 'stopped-early' : 'finished';
    if (values.length === 1) return { status, value: values[0], bestEpoch: perFold[0]!.epoch, epochs, seconds };
    const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
    return { status, value: mean, std, foldValues: values, bestEpoch: perFold[0]!.epoch, epochs, seconds };
  };

  const launch = async (t: Trial) => {
    const foldNumbers = settings.folds ? Array.from({ length: settings.folds }, (_, i) => i + 1) : [undefined];
    const folds: TrialFold[] = [];
    for (const fold of foldNumbers) {
      const spec = trialSpec(sweep, t.assignment, t.number, fold);
      if (!spec.ok) {
        await finish(t, { status: 'failed', value: null, reason: `the trial's spec is invalid: ${spec.problems.join('; ')}` });
        return;
      }
      folds.push({ fold, runDir: trialDir(sweepDir, t.number, fold), spec: spec.resolved });
    }
    options.events?.trialStart?.(t.number, t.values);
    const launchTrial: TrialLauncher = options.launcher ?? ((job, handlers) => forker.launch(job, handlers));
    const proc = launchTrial({
      sweepDir, trial: t.number, folds, specFile: meta.specFile, specText: sweep.loaded.text,
      backend: options.backend, threads: options.threads, ask: settings.pruner.type !== 'none', argv: options.argv, gitCommit: commit, writeEvery: settings.writeEvery,
    }, {
      epoch: (fold, rec) => {
        startPlots();
        const value = curveRow(rec)[objective.metric];
        if ((fold ?? 1) === 1) t.curve[rec.epoch - 1] = value;
        record({ event: 'epoch', trial: t.number, ...(fold !== undefined && { fold }), epoch: rec.epoch, value });
        options.events?.trialEpoch?.(t.number, fold, rec, value);
        notify();
      },
      decide: async (rec) => {
        t.curve[rec.epoch - 1] = curveRow(rec)[objective.metric];
        notify();
        const prune = await decide(t, rec.epoch);
        if (prune) record({ event: 'pruned', trial: t.number, epoch: rec.epoch });
        return prune;
      },
    });
    running.set(t.number, proc);
    if (proc.pid !== undefined) record({ event: 'launch', trial: t.number, pid: proc.pid });
    // the trial leaves `running` only once its result is recorded: the main loop, woken meanwhile
    // by another trial, must not see it neither running nor ended (TPE's canAsk would end the sweep)
    void proc.done.then(async (exit) => {
      try {
        if (exit.kind === 'done') await finish(t, await resultOf(exit));
        else if (exit.kind === 'error' && exit.exitCode === 130) {
          t.result = { status: 'interrupted', value: null };
          record({ event: 'interrupted', trial: t.number });
        } else if (exit.kind === 'error') {
          await finish(t, { status: exit.exitCode === 4 ? 'diverged' : 'failed', value: null, reason: exit.message.split('\n')[0] });
        } else if (options.signal?.aborted) {
          t.result = { status: 'interrupted', value: null };
          record({ event: 'interrupted', trial: t.number });
        } else if (t.attempts < settings.retries) {
          t.attempts++;
          record({ event: 'retry', trial: t.number, attempt: t.attempts, reason: exit.reason });
          running.delete(t.number);
          retry.push(t);
        } else {
          await finish(t, { status: 'failed', value: null, reason: exit.reason });
        }
      } finally {
        // (a retried trial may be running again already, under the same number)
        if (running.get(t.number) === proc) running.delete(t.number);
        notify();
      }
    });
  };

  // trials asked but not ended (interrupted, or running when the coordinator was killed) go first,
  // once the processes of a killed coordinator have stopped (they checkpoint when it goes away)
  const retry: Trial[] = trials.filter((t) => t && !ended(t));
  // the test split, once, for the best trial only, when the spec asks (REFERENCE.md §9): in a
  // trial process left idle by the last trials when there is one (TrialPool.evaluate)
  const withTest = sweep.loaded.resolved.train.test;
  let testing: Promise<EvalResult | undefined> | undefined;
  const commit = await committed;
  const forker = trialPool(options.trialEntry, {
    reuse: settings.processes === 'reuse',
    started: options.started,
    moreToCome: () => !options.signal?.aborted && (retry.length > 0 || trials.length < sweep.trials),
  });
  await Promise.all(retry.map((t) => pids.get(t.number)).filter((p) => p !== undefined).map((pid) => stopped(pid)));
  for (const t of retry) t.result = undefined;
  options.signal?.addEventListener('abort', () => {
    for (const p of running.values()) p.interrupt();
    notify();
  });
  await writeSummary();
  try {
    for (;;) {
      if (!options.signal?.aborted) {
        retry.sort((a, b) => a.number - b.number);
        while (running.size < W && retry.length > 0) await launch(retry.shift()!);
        while (running.size < W && retry.length === 0 && canAsk(trials.length)) await launch(await ask(trials.length));
      }
      if (running.size === 0 && (options.signal?.aborted || retry.length === 0 && !canAsk(trials.length))) break;
      await changed();
    }
    if (bestSoFar && withTest && !options.signal?.aborted) testing = forker.evaluate(trialDir(sweepDir, bestSoFar.trial, settings.folds ? 1 : undefined), 'test');
  } finally {
    forker.close();
  }
  await writeSummary();
  if (options.signal?.aborted) {
    throw new InterruptedError(`sweep interrupted; finished trials are kept and interrupted ones continue from their checkpoints.\nresume with: dlx resume ${sweepDir}`);
  }
  // the sweep's pictures (objective per trial, parallel coordinates, importance, fold spread) come
  // from summary.csv: the plot worker draws them while the best trial's test split is evaluated
  startPlots();
  const drawing = options.plots === false ? undefined : plotSweep(plots.plotter, sweepDir);
  drawing?.catch(() => undefined);
  const counts: Record<string, number> = {};
  for (const t of trials) counts[t.result!.status] = (counts[t.result!.status] ?? 0) + 1;
  const best = bestSoFar && { ...bestSoFar, runDir: trialDir(sweepDir, bestSoFar.trial, settings.folds ? 1 : undefined) };
  const bestJson: Record<string, unknown> = best
    ? { trial: best.trial, value: best.value, metric: objective.metric, mode: objective.mode, params: trials[best.trial].values, ...(trials[best.trial].result?.std !== undefined && { std: trials[best.trial].result!.std }), runDir: best.runDir.slice(sweepDir.length + 1) }
    : { trial: null };
  if (best && withTest) {
    const t = (await testing) ?? (await evaluateRun(best.runDir, 'test'));
    bestJson.test = 'accuracy' in t ? { loss: t.loss, accuracy: t.accuracy, count: t.count } : { loss: t.loss, mae: t.mae, rmse: t.rmse, r2: t.r2, count: t.count };
  }
  if (settings.ensemble) {
    const finished = trials.filter((t) => t.result?.status === 'finished' || t.result?.status === 'stopped-early').length;
    if (finished >= 2) {
      const top = Math.min(settings.ensemble.top, finished);
      const val = await ensembleRuns([sweepDir], { top, split: 'val' });
      bestJson.ensemble = { top, val: { members: val.members.map((m) => ({ runDir: m.runDir.slice(sweepDir.length + 1), loss: m.loss, accuracy: m.accuracy })), mean: val.mean, ensemble: val.ensemble } };
      if (withTest) (bestJson.ensemble as Record<string, unknown>).test = (({ mean, ensemble }) => ({ mean, ensemble }))(await ensembleRuns([sweepDir], { top, split: 'test' }));
    }
  }
  await writeFileAtomic(join(sweepDir, sweepFiles.best), json(bestJson));
  const drawn = await drawing;
  record({ event: 'finished', at: new Date().toISOString(), ...(best && { best: best.trial }) });
  return { sweepDir, trials: trials.length, best, counts, summary: bestJson, plots: drawn };
}
