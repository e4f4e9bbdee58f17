// A sweep folder (DESIGN.md "A run folder"): every name in one place, the append-only journal,
// and the files rebuilt from it (summary.csv, best.json).
import { closeSync, openSync, writeSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { DataError } from '../common/errors.js';
import type { Distribution } from '../sweep/distribution.js';
import { allParams, type Assignment, type Space } from '../sweep/space.js';

export const sweepFiles = {
  spec: 'spec.yaml',
  sweep: 'sweep.json',
  journal: 'journal.jsonl',
  summary: 'summary.csv',
  best: 'best.json',
  trials: 'trials',
  plots: 'plots',
} as const;

/** Whether a folder is a sweep folder (it has sweep.json). */
export async function isSweepFolder(dir: string): Promise<boolean> {
  return readFile(join(dir, sweepFiles.sweep)).then(() => true, () => false);
}

/** trials/<n>/, or trials/<n>/fold-<k>/ when cross-validating. */
/**
 * Removes the hidden staging folders a queue coordinator writes a delivered trial into before it
 * takes the trial folder's place (`trials/.<n>.delivery`, `trials/<n>/.fold-<k>.delivery`, from
 * queue/files.ts): one left by a coordinator killed mid-delivery is never completed (the trial is
 * delivered again, or trained again locally), whichever way the sweep is resumed.
 */
export async function removeStaging(sweepDir: string): Promise<void> {
  const staging = /^\..+\.delivery$/;
  const trials = join(sweepDir, 'trials');
  const entries = await readdir(trials, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    if (staging.test(e.name)) await rm(join(trials, e.name), { recursive: true, force: true });
    else for (const f of await readdir(join(trials, e.name)).catch(() => [])) if (staging.test(f)) await rm(join(trials, e.name, f), { recursive: true, force: true });
  }
}

export function trialDir(sweepDir: string, trial: number, fold?: number): string {
  const dir = join(sweepDir, sweepFiles.trials, String(trial));
  return fold === undefined ? dir : join(dir, `fold-${fold}`);
}

export type TrialStatus = 'finished' | 'stopped-early' | 'pruned' | 'failed' | 'diverged' | 'running' | 'interrupted';

/** One line of journal.jsonl. */
export type JournalEvent =
  | { event: 'start'; at: string; workers: number; resumed: boolean }
  | { event: 'asked'; trial: number; params: Assignment; values: Record<string, number | string>; seed: number }
  | { event: 'launch'; trial: number; pid: number }
  | { event: 'epoch'; trial: number; fold?: number; epoch: number; value: number }
  | { event: 'pruned'; trial: number; epoch: number }
  | { event: 'retry'; trial: number; attempt: number; reason: string }
  | { event: 'interrupted'; trial: number }
  | { event: 'ended'; trial: number; result: TrialResult }
  | { event: 'finished'; at: string; best?: number };

/** What the journal says of a trial once it ended. */
export interface TrialResult {
  status: TrialStatus;
  /** The objective: the metric at the trial's best epoch (mean over folds); null when failed. */
  value: number | null;
  std?: number;
  foldValues?: number[];
  bestEpoch?: number;
  epochs?: number;
  seconds?: number;
  reason?: string;
}

/** sweep.json: the resolved sweep. */
export interface SweepJson {
  name: string;
  specFile: string;
  method: string;
  trials: number;
  seed: number;
  metric: string;
  mode: 'min' | 'max';
  folds: number | null;
  workers: number;
  backend: string;
  threads: number;
  params: ({ id: string } & (Omit<Distribution, 'choices'> | { kind: 'categorical'; labels: string[]; choices: readonly unknown[] }))[];
  createdAt: string;
}

export function paramsJson(space: Space): SweepJson['params'] {
  return allParams(space).map((p) => (p.dist.kind === 'categorical' ? { id: p.id, kind: 'categorical', labels: p.labels!, choices: p.dist.choices } : { id: p.id, ...p.dist }));
}

/** An open journal: each event one line, appended by one write to a file kept open. */
export interface Journal {
  append(event: JournalEvent): void;
  close(): void;
}

/**
 * Opens journal.jsonl for appending. A sweep appends a line per trial epoch, from every worker;
 * `appendFile` cost three thread-pool jobs (open, write, close) a line, about a millisecond of the
 * coordinator's CPU, which took a fifth of a core from two trial processes on two cores. One
 * synchronous write of a line to an open file is a few microseconds, and its order is the order
 * of the events. No fsync, as before: a line cut by a crash is ignored when read.
 */
export function openJournal(sweepDir: string): Journal {
  const fd = openSync(join(sweepDir, sweepFiles.journal), 'a');
  let open = true;
  return {
    append(event) {
      const line = Buffer.from(JSON.stringify(event) + '\n');
      for (let at = 0; at < line.length; ) at += writeSync(fd, line, at);
    },
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

/** The journal's events; a last line cut off by a crash is ignored, any other bad line is an error. */
export async function readJournal(sweepDir: string): Promise<JournalEvent[]> {
  const path = join(sweepDir, sweepFiles.journal);
  const text = await readFile(path, 'utf8').catch(() => {
    throw new DataError(`${path}: missing; is ${sweepDir} a dlx sweep folder?`);
  });
  const lines = text.split('\n');
  const events: JournalEvent[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      events.push(JSON.parse(line) as JournalEvent);
    } catch {
      if (i < lines.length - 1 && lines.slice(i + 1).some((l) => l.trim() !== '')) throw new DataError(`${path}:${i + 1}: not a JSON line`);
    }
  });
  return events;
}

export interface SummaryRow {
  trial: number;
  values: Record<string, number | string>;
  result?: TrialResult;
}

/** summary.csv: one row per asked trial, in trial order. */
export function summaryCsv(space: Space, rows: readonly SummaryRow[]): string {
  const ids = allParams(space).map((p) => p.id);
  const cell = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
  return stringify(
    rows.map((r) => [
      r.trial,
      r.result?.status ?? 'running',
      ...ids.map((id) => r.values[id] ?? ''),
      cell(r.result?.value),
      cell(r.result?.std),
      r.result?.foldValues?.join(';') ?? '',
      cell(r.result?.bestEpoch),
      r.result?.seconds === undefined ? '' : r.result.seconds.toFixed(2),
    ]),
    { header: true, columns: ['trial', 'status', ...ids, 'value', 'std', 'fold_values', 'best_epoch', 'seconds'] },
  );
}
