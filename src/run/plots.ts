// A run's plots/: curves, learning rate, confusion matrix and weight histograms as SVG, drawn
// from the run folder's own files (curve.csv, metrics.json, resolved.json, the checkpoints).
// Each file is written atomically. Vega loads on first use, so commands that draw nothing do
// not pay for it.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomic.js';
import { createSchedule } from '../optim/schedules/index.js';
import type { ConfusionMatrix } from '../plots/confusion.js';
import type { Row } from '../plots/curves.js';
import type { LayerWeights } from '../plots/weights.js';
import type { LrPoint } from '../plots/lr.js';
import type { Plot } from '../plots/html.js';
import { readCheckpoint, type LoadedCheckpoint } from '../train/checkpoint.js';
import { evaluateRun } from './evaluate-run.js';
import { files, type RunPlot } from './layout.js';
import { curveRow, readCurve, readMetrics, readPreprocessing, readRunSpec, type RunMetrics } from './run-folder.js';
import type { ResolvedSpec } from '../config/spec.js';

/** The most points lr.svg draws; longer runs are sampled at even steps. */
const MAX_LR_POINTS = 2000;

export interface RunPlotOptions {
  /** Confusion matrices the caller already has (training computes them in memory); else evaluated from last.safetensors. */
  confusion?: ConfusionMatrix[];
}

export interface WrittenPlots {
  dir: string;
  files: string[];
}

/** The learning rate at each update (or epoch) of the run, from its resolved schedule. */
export function lrPoints(spec: ResolvedSpec, epochs: number, updatesPerEpoch: number | undefined, rows: readonly Row[]): { per: 'update' | 'epoch'; points: LrPoint[] } {
  const baseLr = spec.optimizer.lr;
  const schedule = typeof baseLr === 'number' ? createSchedule(spec.schedule, baseLr) : undefined;
  if (!schedule || schedule.per === 'epoch' || updatesPerEpoch === undefined) {
    return { per: 'epoch', points: rows.map((r) => ({ step: r.epoch, lr: r.lr })) };
  }
  const total = epochs * updatesPerEpoch;
  const stride = Math.max(1, Math.ceil(total / MAX_LR_POINTS));
  const points: LrPoint[] = [];
  for (let step = 0; step < total; step += stride) points.push({ step, lr: schedule.lr(step) });
  return { per: 'update', points };
}

/** Weights (not biases, not batchnorm's scale) of each layer, masked cells marked. */
export function layerWeights(checkpoint: LoadedCheckpoint, spec: ResolvedSpec): LayerWeights[] {
  const out: LayerWeights[] = [];
  for (const [name, t] of checkpoint.tensors) {
    const m = /^model\.layers\.(\d+)\.weight$/.exec(name);
    if (!m) continue;
    const type = spec.model.layers[Number.parseInt(m[1], 10)]?.type ?? '?';
    out.push({ name: `layer ${m[1]} (${type})`, shape: t.shape, values: t.data, mask: checkpoint.tensors.get(`model.layers.${m[1]}.mask`)?.data });
  }
  return out;
}

async function confusionOf(runDir: string, metrics: RunMetrics): Promise<ConfusionMatrix[]> {
  const pre = await readPreprocessing(runDir);
  const splits = metrics.test ? (['val', 'test'] as const) : (['val'] as const);
  const out: ConfusionMatrix[] = [];
  for (const split of splits) {
    const r = await evaluateRun(join(runDir, files.lastCheckpoint), split, {}, 1);
    if ('confusion' in r) out.push({ split, classes: pre.classes, counts: r.confusion });
  }
  return out;
}

/** The run's plots as SVG strings, in file order, without writing anything. */
export async function renderRunPlots(runDir: string, options: RunPlotOptions = {}): Promise<Plot[]> {
  const { toSvg } = await import('../plots/render.js');
  const { curvesSpec } = await import('../plots/curves.js');
  const { lrSpec } = await import('../plots/lr.js');
  const { confusionSpec } = await import('../plots/confusion.js');
  const { weightsSpec } = await import('../plots/weights.js');
  const { hasNorms, normsSpec } = await import('../plots/norms.js');
  const [records, metrics, spec] = await Promise.all([readCurve(runDir), readMetrics(runDir), readRunSpec(runDir)]);
  const rows = records.map(curveRow);
  const best = await readCheckpoint(join(runDir, files.bestCheckpoint));
  const stopped = metrics.stoppedEarly as { epoch: number } | undefined;
  const plots: { name: RunPlot; svg: string }[] = [];
  plots.push({ name: 'curves', svg: await toSvg(curvesSpec(rows, {
    best: metrics.best && { epoch: metrics.best.epoch, monitor: metrics.best.monitor },
    stoppedEarly: stopped?.epoch,
  })) });
  const perEpoch = best.state.epoch > 0 && best.state.partial === undefined ? best.state.step / best.state.epoch : undefined;
  const lr = lrPoints(spec, rows.length, perEpoch, rows);
  plots.push({ name: 'lr', svg: await toSvg(lrSpec(lr.points, lr.per)) });
  plots.push({ name: 'confusion', svg: await toSvg(confusionSpec(options.confusion ?? (await confusionOf(runDir, metrics)))) });
  plots.push({ name: 'weights', svg: await toSvg(weightsSpec(layerWeights(best, spec), `Weights at the best epoch (${best.state.epoch})`)) });
  if (hasNorms(Object.keys(rows[0] ?? {}))) plots.push({ name: 'norms', svg: await toSvg(normsSpec(rows)) });
  return plots;
}

/** Writes each plot to `<dir>/plots/<name>.svg`, atomically. */
export async function writePlotFiles(folder: string, plots: readonly Plot[]): Promise<WrittenPlots> {
  const dir = join(folder, files.plots);
  await mkdir(dir, { recursive: true });
  for (const p of plots) await writeFileAtomic(join(dir, `${p.name}.svg`), p.svg);
  return { dir, files: plots.map((p) => join(dir, `${p.name}.svg`)) };
}

export async function writeRunPlots(runDir: string, options: RunPlotOptions = {}): Promise<WrittenPlots> {
  return writePlotFiles(runDir, await renderRunPlots(runDir, options));
}

/** writeRunPlots, timed: the end of `dlx train` reports what drawing cost. */
export async function timedPlots(runDir: string, confusion?: ConfusionMatrix[]): Promise<WrittenPlots & { ms: number }> {
  const started = performance.now();
  const written = await writeRunPlots(runDir, { confusion });
  return { ...written, ms: performance.now() - started };
}
