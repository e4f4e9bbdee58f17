// The messages between a sweep's coordinator and a trial's process (JSON over the IPC channel).
import type { EpochRecord } from '../train/loop.js';
import type { EvalResult } from './evaluate-run.js';
import type { FoldOutcome, TrialJob } from './trial.js';

export type ToTrial =
  | { type: 'job'; job: TrialJob }
  | { type: 'decision'; prune: boolean }
  /** The best trial's test split, in a process whose trial ended well (warm: modules, JIT, kernels). */
  | { type: 'evaluate'; runDir: string; split: 'test' };

export type FromTrial =
  /** Epochs trained since the last report (one fold's, in order): see trial-child.ts's reportEvery. */
  | { type: 'epochs'; fold?: number; records: EpochRecord[] }
  | { type: 'decide'; record: EpochRecord }
  | { type: 'done'; folds: FoldOutcome[] }
  | { type: 'evaluated'; result: EvalResult }
  /** A DlxError: its exit code says what (2 spec, 3 data, 4 diverged, 130 interrupted). */
  | { type: 'error'; exitCode: number; message: string };
