// Reading a run folder back: each artifact of layout.ts, checked, with a message that names
// the file when it is missing or malformed.
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as z from 'zod';
import { DataError, SpecError } from '../common/errors.js';
import { applyChain, restoreChain } from '../data/normalizers/index.js';
import { encodedWidth } from '../data/table.js';
import { specSchema, type ResolvedSpec } from '../config/spec.js';
import type { SavedPreprocessing } from '../data/prepare.js';
import { curveColumns, files } from './layout.js';
import { normalizerSchema } from '../data/normalizers/index.js';
import type { EpochRecord } from '../train/loop.js';

export async function readJson<T = unknown>(path: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new DataError(`${path}: missing; is ${dirname(path)} a dlx run folder?`);
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new DataError(`${path}: not valid JSON`);
  }
}

export async function readRunSpec(runDir: string): Promise<ResolvedSpec> {
  const path = join(runDir, files.resolved);
  const parsed = specSchema.safeParse(await readJson(path));
  if (!parsed.success) throw new SpecError([`${path}: not a valid resolved spec (${parsed.error.issues[0]?.message})`]);
  return parsed.data as ResolvedSpec;
}

export interface RunEnv {
  backend: string;
  /** Absent in runs from before threads existed: they ran on one. */
  threads?: number;
  /** The backend's kernels ('relaxed-simd', 'simd', 'typescript'); they round differently. */
  kernels?: string;
  specFile: string;
  startedAt: string;
}

export const readEnv = (runDir: string) => readJson<RunEnv>(join(runDir, files.env));

/** preprocessing.json: what the model's input looks like and what was fitted on train. */
export interface Preprocessing extends SavedPreprocessing {
  /** Per-sample shape of the dataset's rows before normalization (after a tabular encoding). */
  rawShape: number[];
  /** Per-sample shape the model sees. */
  sampleShape: number[];
  /** Raw values (a file's bytes) are divided by this before the normalizers. */
  divideBy?: number;
  classes: string[];
}

const shape = z.array(z.number().int().min(1));
const preprocessingSchema = z.object({
  rawShape: shape,
  sampleShape: shape,
  divideBy: z.number().positive().optional(),
  classes: z.array(z.string()).min(1),
  steps: z.array(z.object({ config: normalizerSchema, state: z.record(z.string(), z.unknown()) })),
  target: z.object({ name: z.string(), mean: z.number(), std: z.number() }).optional(),
  encoding: z.array(z.object({
    name: z.string(),
    kind: z.enum(['numeric', 'categorical']),
    fill: z.union([z.number(), z.string(), z.null()]),
    categories: z.array(z.string()).optional(),
  })).optional(),
});

/**
 * preprocessing.json, checked: its shape, and that its normalizers restore and turn a row of
 * the raw width into a finite row of the model's width (a damaged file is exit 3, not a crash
 * or silent NaNs).
 */
export async function readPreprocessing(runDir: string): Promise<Preprocessing> {
  const path = join(runDir, files.preprocessing);
  const parsed = preprocessingSchema.safeParse(await readJson(path));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DataError(`${path}: malformed: ${issue?.path.join('.') || '(top level)'}: ${issue?.message}`);
  }
  const pre = parsed.data;
  const width = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const raw = width(pre.rawShape);
  if (pre.encoding && encodedWidth(pre.encoding) !== raw) throw new DataError(`${path}: malformed: the encoding gives ${encodedWidth(pre.encoding)} features, rawShape ${raw}`);
  let out: Float32Array;
  try {
    out = applyChain(restoreChain(pre.steps), { data: new Float32Array(raw), rows: 1, cols: raw }).data;
  } catch (e) {
    throw new DataError(`${path}: malformed: the normalizers do not restore (${(e as Error).message})`);
  }
  if (out.length !== width(pre.sampleShape) || !out.every(Number.isFinite)) {
    throw new DataError(`${path}: malformed: the normalizers turn ${raw} features into ${out.length}${out.every(Number.isFinite) ? '' : ' with non-finite values'}, the model takes ${width(pre.sampleShape)}`);
  }
  return pre;
}

export interface RunMetrics {
  status: 'running' | 'finished' | 'stopped-early' | 'pruned' | 'interrupted' | 'diverged' | 'failed';
  epochs: number;
  final?: EpochRecord;
  /** The best epoch's validation metrics: val_acc for classes, val_mae/val_rmse/val_r2 for regression. */
  best?: { epoch: number; monitor: string; value: number; val_loss: number; val_acc?: number; val_mae?: number; val_rmse?: number; val_r2?: number };
  [key: string]: unknown;
}

export const readMetrics = (runDir: string) => readJson<RunMetrics>(join(runDir, files.metrics));

/** Columns every curve.csv has; the others (accuracies or regression errors, norms…) vary. */
const requiredColumns = ['epoch', 'lr', 'train_loss', 'val_loss', 'seconds'];

/** curve.csv's rows as numbers (String(n) and Number(s) round-trip every double exactly).
 * The standard columns come first; any after them (train.log) go to each record's `extra`. */
export async function readCurve(runDir: string): Promise<EpochRecord[]> {
  const path = join(runDir, files.curve);
  const text = await readFile(path, 'utf8').catch(() => {
    throw new DataError(`${path}: missing; is ${runDir} a dlx run folder?`);
  });
  const [header, ...lines] = text.trim().split('\n');
  const columns = header.split(',');
  const missing = requiredColumns.filter((c) => !columns.includes(c));
  if (missing.length > 0) throw new DataError(`${path}:1: the header lacks ${missing.join(', ')}; found ${header}`);
  return lines.map((line, i) => {
    // NaN is a value (R² of a constant target); an empty or non-numeric cell is damage
    const raw = line.split(',');
    const cells = raw.map((c) => (c === 'NaN' ? NaN : c.trim() === '' ? undefined : Number(c)));
    if (cells.length !== columns.length || cells.some((v, j) => v === undefined || (Number.isNaN(v) && raw[j] !== 'NaN'))) {
      throw new DataError(`${path}:${i + 2}: malformed row '${line}'`);
    }
    const known: readonly string[] = curveColumns;
    const row = Object.fromEntries(columns.flatMap((c, j) => (known.includes(c) ? [[c, cells[j]]] : []))) as unknown as EpochRecord;
    // columns beyond the standard ones (train.log's norms) travel in `extra`
    const extra = columns.flatMap((c, j) => (known.includes(c) ? [] : [[c, cells[j]!] as const]));
    if (extra.length > 0) row.extra = Object.fromEntries(extra);
    // runs from dlx before train_seconds existed: their whole-epoch seconds stand in for it
    return columns.includes('train_seconds') ? row : { ...row, train_seconds: row.seconds };
  });
}

/** A curve record as one flat row, column name → number, the extra columns included. */
export function curveRow(record: EpochRecord): Record<string, number> {
  const { extra, ...standard } = record;
  return { ...standard, ...extra };
}

/** A run folder (its last checkpoint) or a checkpoint file inside a run folder's checkpoints/. */
export async function locateCheckpoint(target: string): Promise<{ runDir: string; checkpoint: string }> {
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new DataError(`${target}: no such run folder or checkpoint`);
  if (info.isDirectory()) return { runDir: target, checkpoint: join(target, files.lastCheckpoint) };
  const dir = dirname(target);
  return { runDir: basename(dir) === files.checkpoints ? dirname(dir) : dir, checkpoint: target };
}
