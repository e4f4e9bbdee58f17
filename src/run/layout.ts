// Every artifact of a run folder, named in one place (DESIGN.md "A run folder").
import { join } from 'node:path';

export const files = {
  spec: 'spec.yaml',
  resolved: 'resolved.json',
  overrides: 'overrides.json',
  env: 'env.json',
  preprocessing: 'preprocessing.json',
  data: 'data.json',
  curve: 'curve.csv',
  metrics: 'metrics.json',
  checkpoints: 'checkpoints',
  lastCheckpoint: join('checkpoints', 'last.safetensors'),
  bestCheckpoint: join('checkpoints', 'best.safetensors'),
  plots: 'plots',
} as const;

/** The SVG files of a run's plots/ (norms only with train.log.norms). */
export const runPlots = ['curves', 'lr', 'confusion', 'weights', 'norms'] as const;
export type RunPlot = (typeof runPlots)[number];

/**
 * curve.csv's columns in their order. A file has those its rows have (classification: the
 * accuracies; regression: MAE, RMSE, R²), then any others a row brings, in first-seen order:
 * readers go by the header, never by position.
 */
export const curveColumns = ['epoch', 'lr', 'train_loss', 'penalty', 'train_acc', 'val_loss', 'val_acc', 'val_mae', 'val_rmse', 'val_r2', 'train_seconds', 'seconds'] as const;

/** Columns whose values depend on the clock, not on the computation. */
export const timingColumns: readonly string[] = ['train_seconds', 'seconds'];

/** The columns of a curve with these rows. */
export function columnsOf(rows: readonly object[]): string[] {
  const present = new Set(rows.flatMap((r) => Object.entries(r).filter(([, v]) => v !== undefined).map(([k]) => k)));
  const known: readonly string[] = curveColumns;
  const base = rows.length === 0 ? known.filter((c) => !/_(acc|mae|rmse|r2)$/.test(c)) : known.filter((c) => present.has(c));
  return [...base, ...[...present].filter((c) => !known.includes(c))];
}

export function runPath(runDir: string, file: keyof typeof files): string {
  return join(runDir, files[file]);
}

/** `<YYYYMMDD-HHMMSS>-<id>` in UTC. */
export function runFolderName(start: Date, id: string): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const d = `${start.getUTCFullYear()}${p(start.getUTCMonth() + 1)}${p(start.getUTCDate())}`;
  const t = `${p(start.getUTCHours())}${p(start.getUTCMinutes())}${p(start.getUTCSeconds())}`;
  return `${d}-${t}-${id}`;
}

/** A run folder being written before its first epoch ends: hidden, and removed on failure. */
export function stagingName(folder: string): string {
  return `.${folder}.partial`;
}

/** The real folder name of a staging name, or undefined when `name` is not one. */
export function unstagedName(name: string): string | undefined {
  const m = /^\.(.+)\.partial$/.exec(name);
  return m?.[1];
}
