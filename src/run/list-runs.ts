// `dlx runs`: every run folder under a runs directory with its status and metrics. Nothing is
// hidden: a folder whose files disagree or do not parse is listed as damaged with the reasons, a
// run whose process is gone while metrics.json still says running is listed as killed, and a
// staging folder (a run before its first epoch) as starting or, its process gone, abandoned.
// Sweep folders (`sweep-*`) are the sweep listing's business and are skipped here.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError } from '../common/errors.js';
import { checkRunFolder, metricsSchema } from './consistency.js';
import { files, unstagedName } from './layout.js';
import { acquireRunLock, holderAlive, readLock } from './lock.js';
import { readJson } from './run-folder.js';

export interface RunRow {
  name: string;
  folder: string;
  path: string;
  /** When it started, from env.json (UTC, ISO 8601). */
  started: string | null;
  /** metrics.json's status, or killed, abandoned, starting, damaged (see the README). */
  status: string;
  epochs: number | null;
  bestEpoch: number | null;
  /** The curve column that chose the best epoch (train.earlyStopping.monitor). */
  bestMonitor: string | null;
  bestValLoss: number | null;
  bestValAcc: number | null;
  /** A regression's R² (it has no accuracy). */
  bestValR2: number | null;
  testLoss: number | null;
  testAcc: number | null;
  testR2: number | null;
  /** Why a damaged folder is damaged. */
  problems: string[];
}

/** A staging folder younger than this without a lock may be a run taking its lock right now. */
const UNLOCKED_GRACE_MS = 60_000;

async function entries(path: string): Promise<{ name: string; dir: boolean }[]> {
  const list = await readdir(path, { withFileTypes: true }).catch(() => []);
  return list.map((e) => ({ name: e.name, dir: e.isDirectory() })).sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Whether a live process holds the folder's lock (a recent unlocked folder counts as live). */
async function live(dir: string, unlockedGrace: boolean): Promise<boolean> {
  const holder = await readLock(dir);
  if (holder === 'unreadable') return false;
  if (holder) return holderAlive(holder);
  if (!unlockedGrace) return false;
  const changed = await stat(dir).then((s) => s.mtimeMs, () => 0);
  return Date.now() - changed < UNLOCKED_GRACE_MS;
}

const runFiles = [files.metrics, files.resolved, files.curve, files.checkpoints];

async function runRow(name: string, folder: string, path: string, staging: boolean): Promise<RunRow | undefined> {
  const present = await Promise.all(runFiles.map((f) => stat(join(path, f)).then(() => true, () => false)));
  if (!staging && !present.some(Boolean)) return undefined; // not a run folder
  const env = await readJson<{ startedAt?: unknown }>(join(path, files.env)).catch(() => ({ startedAt: undefined }));
  const metrics = metricsSchema.safeParse(await readJson(join(path, files.metrics)).catch(() => undefined));
  const m = metrics.success ? metrics.data : undefined;
  const row: RunRow = {
    name, folder, path,
    started: typeof env.startedAt === 'string' ? env.startedAt : null,
    status: m?.status ?? 'damaged',
    epochs: m?.epochs ?? null,
    bestEpoch: m?.best?.epoch ?? null,
    bestMonitor: m?.best?.monitor ?? null,
    bestValLoss: m?.best?.val_loss ?? null,
    bestValAcc: m?.best?.val_acc ?? null,
    bestValR2: m?.best?.val_r2 ?? null,
    testLoss: m?.test?.loss ?? null,
    testAcc: m?.test?.accuracy ?? null,
    testR2: m?.test?.r2 ?? null,
    problems: [],
  };
  if (staging) {
    row.status = (await live(path, true)) ? 'starting' : 'abandoned';
    return row;
  }
  row.problems = await checkRunFolder(path);
  if (row.problems.length > 0) row.status = 'damaged';
  else if (row.status === 'running' && !(await live(path, false))) row.status = 'killed';
  return row;
}

export async function listRuns(runsDir: string): Promise<RunRow[]> {
  const info = await stat(runsDir).catch(() => undefined);
  if (!info) throw new DataError(`${runsDir}: no such runs directory`);
  if (!info.isDirectory()) throw new DataError(`${runsDir}: not a directory`);
  const rows: RunRow[] = [];
  for (const top of await entries(runsDir)) {
    if (!top.dir || top.name.startsWith('.')) continue;
    for (const e of await entries(join(runsDir, top.name))) {
      const staging = unstagedName(e.name) !== undefined;
      if (!e.dir || e.name.startsWith('sweep-') || (e.name.startsWith('.') && !staging)) continue;
      const row = await runRow(top.name, e.name, join(runsDir, top.name, e.name), staging);
      if (row) rows.push(row);
    }
  }
  return rows;
}

/** Removes the staging folders whose process is gone (runs killed before their first epoch). */
export async function cleanAbandoned(runsDir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const row of await listRuns(runsDir)) {
    if (row.status !== 'abandoned') continue;
    // under its lock, so that a resume taking it over meanwhile keeps it
    const release = await acquireRunLock(row.path, 'dlx runs --clean').catch(() => undefined);
    if (!release) continue;
    await rm(row.path, { recursive: true, force: true });
    removed.push(row.path);
  }
  return removed;
}
