// `dlx train SPEC --folds k`: k-fold cross-validation of one spec. Each fold is a run folder
// (`runs/<name>/cv-<time>-<id>/fold-<i>/`) whose validation split is fold i of the rows left after
// the test split; normalizers and fills are fitted on its training part only. cv.json holds each
// fold's best validation metrics, their mean and standard deviation.
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../common/atomic.js';
import { SpecError } from '../common/errors.js';
import { loadSpec, validateValue } from '../config/load.js';
import type { Override } from '../config/overrides.js';
import { runFolderName } from './layout.js';
import type { RunMetrics } from './run-folder.js';
import { startRun, type TrainOptions } from './run-experiment.js';
import { json } from './writers.js';

export interface FoldSummary {
  mean: number;
  std: number;
  values: number[];
}

type Best = NonNullable<RunMetrics['best']>;
/** The validation columns summarized over folds: accuracy for classes, errors and R² for a regression. */
export type CvColumn = keyof Pick<Best, 'val_loss' | 'val_acc' | 'val_mae' | 'val_rmse' | 'val_r2'>;

export interface CrossValidation {
  dir: string;
  folds: { runDir: string; metrics: RunMetrics }[];
  /** In column order: val_loss first. */
  summary: Partial<Record<CvColumn, FoldSummary>>;
}

/** Mean and population standard deviation (numpy's default). */
export function spread(values: number[]): FoldSummary {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, std: Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length), values };
}

export async function crossValidate(specFile: string, overrides: Override[], k: number, options: TrainOptions): Promise<CrossValidation> {
  const loaded = await loadSpec(specFile, overrides);
  if (loaded.resolved.data.dataset.type === 'morse') throw new SpecError([`--folds ${k}: the morse dataset has its own validation set, so it cannot be split into folds`]);
  const dir = join(resolve(options.runsDir), loaded.resolved.name, `cv-${runFolderName(new Date(), randomBytes(3).toString('hex'))}`);
  const folds: CrossValidation['folds'] = [];
  for (let index = 1; index <= k; index++) {
    const raw = structuredClone(loaded.raw);
    const data = (raw.data ?? {}) as Record<string, unknown>;
    raw.data = { ...data, split: { ...(data.split as Record<string, unknown> | undefined), fold: { k, index } } };
    const v = validateValue(raw);
    if (!v.ok) throw new SpecError(v.problems.map((p) => `${specFile}: ${p}`));
    if (index === 1) await mkdir(dir, { recursive: true });
    const r = await startRun({ ...loaded, resolved: v.resolved }, { ...options, runDir: join(dir, `fold-${index}`), context: { crossValidation: dir, fold: index, folds: k } });
    folds.push({ runDir: r.runDir, metrics: r.metrics });
  }
  const regression = folds[0].metrics.best?.val_r2 !== undefined;
  const columns: CvColumn[] = regression ? ['val_loss', 'val_mae', 'val_rmse', 'val_r2'] : ['val_loss', 'val_acc'];
  const summary = Object.fromEntries(columns.map((c) => [c, spread(folds.map((f) => f.metrics.best?.[c] ?? NaN))]));
  const cv: CrossValidation = { dir, folds, summary };
  await writeFileAtomic(join(dir, 'cv.json'), json({ folds: folds.map((f) => ({ runDir: f.runDir.slice(dir.length + 1), best: f.metrics.best })), ...summary }));
  return cv;
}
