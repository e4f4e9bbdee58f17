// One sweep trial, inside its own process: its run folder (one per fold), trained or resumed,
// with each epoch's value reported to the coordinator and, when a pruner is on, its decision
// awaited before the epoch is written.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResolvedSpec } from '../config/spec.js';
import type { EpochRecord, TrainEvents } from '../train/loop.js';
import { files } from './layout.js';
import { resumeRun } from './resume.js';
import { readMetrics, type RunMetrics } from './run-folder.js';
import { startRun } from './run-experiment.js';

export interface TrialFold {
  /** 1…k when cross-validating. */
  fold?: number;
  runDir: string;
  spec: ResolvedSpec;
}

export interface TrialJob {
  sweepDir: string;
  trial: number;
  folds: TrialFold[];
  /** The sweep's spec file (data paths are relative to it) and its text (each run's spec.yaml). */
  specFile: string;
  specText: string;
  backend: string;
  threads: number;
  /** Ask the coordinator after each epoch of the first fold whether to stop (pruning). */
  ask: boolean;
  argv: string[];
  /**
   * Seconds between writes of the epochs' files (sweep.writeEvery): per-epoch writes cost more
   * than the epochs of a small model; any epoch's checkpoint continues the trial exactly.
   */
  writeEvery: number;
  /** For env.json: asked of git once by the coordinator, not by each trial. */
  gitCommit?: string | null;
}

export interface TrialHooks {
  /** An epoch was written. */
  epoch(fold: number | undefined, record: EpochRecord): void;
  /** Before an epoch (not the last) is written: resolves to true when the trial stops after it. */
  decide(record: EpochRecord): Promise<boolean>;
  events?: TrainEvents;
  signal?: AbortSignal;
}

export interface FoldOutcome {
  fold?: number;
  runDir: string;
  metrics: RunMetrics;
}

const exists = (path: string) => stat(path).then(() => true, () => false);

export async function runTrialJob(job: TrialJob, hooks: TrialHooks): Promise<FoldOutcome[]> {
  const out: FoldOutcome[] = [];
  for (const [i, f] of job.folds.entries()) {
    const ask = job.ask && i === 0;
    const events: TrainEvents = {
      ...hooks.events,
      epochEnd: async (record, info) => {
        await hooks.events?.epochEnd?.(record, info);
        hooks.epoch(f.fold, record);
      },
      ...(ask && { prune: (record) => hooks.decide(record) }),
    };
    let metrics: RunMetrics;
    if (await exists(join(f.runDir, files.lastCheckpoint))) {
      // a trial interrupted (or its process killed) after its first epoch: continue it exactly
      const r = await resumeRun(f.runDir, { argv: job.argv, threads: job.threads, signal: hooks.signal, events, writeEvery: job.writeEvery });
      metrics = r.alreadyDone ? await readMetrics(f.runDir) : r.metrics;
    } else {
      const r = await startRun(
        { file: job.specFile, text: job.specText, overrides: [], resolved: f.spec },
        { runsDir: job.sweepDir, runDir: f.runDir, gitCommit: job.gitCommit, backend: job.backend, threads: job.threads, argv: job.argv, signal: hooks.signal, events, writeEvery: job.writeEvery, context: { sweep: job.sweepDir, trial: job.trial, ...(f.fold !== undefined && { fold: f.fold }) } },
      );
      metrics = r.metrics;
    }
    out.push({ fold: f.fold, runDir: f.runDir, metrics });
    if (metrics.status === 'pruned') break;
  }
  return out;
}

export const readSpecText = (file: string) => readFile(file, 'utf8');
