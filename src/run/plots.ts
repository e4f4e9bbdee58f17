// A run's plots/: curves, learning rate, confusion matrix and weight histograms as SVG, drawn
// from the run folder's own files (curve.csv, metrics.json, resolved.json, the checkpoints).
// Each file is written atomically. Vega loads on first use, so commands that draw nothing do
// not pay for it.
import { join } from 'node:path';
import { createSchedule } from '../optim/schedules/index.js';
import type { ConfusionMatrix } from '../plots/confusion.js';
import type { Row } from '../plots/curves.js';
import type { LayerWeights } from '../plots/weights.js';
import type { LrPoint } from '../plots/lr.js';
import type { Plot } from '../plots/html.js';
import { readCheckpoint, type LoadedCheckpoint } from '../train/checkpoint.js';
import { evaluateRun } from './evaluate-run.js';
import { drawRunPlots, writePlotFiles, type RunPlotInputs, type WrittenPlots } from './draw-plots.js';
import { files } from './layout.js';
import { curveRow, readCurve, readMetrics, readPreprocessing, readRunSpec, type RunMetrics } from './run-folder.js';
import type { ResolvedSpec } from '../config/spec.js';

export type { RunPlotInputs, WrittenPlots };

/** The most points lr.svg draws (about one per pixel); longer runs are sampled at even steps. */
const MAX_LR_POINTS = 600;
/** Updates evaluated before simplifying; beyond, the schedule is sampled at even steps first. */
const MAX_LR_EVALUATED = 200_000;

export interface RunPlotOptions {
  /** Confusion matrices the caller already has (training computes them in memory); else evaluated from last.safetensors. */
  confusion?: ConfusionMatrix[];
}


/** The learning rate at each update (or epoch) of the run, from its resolved schedule. */
export function lrPoints(spec: ResolvedSpec, epochs: number, updatesPerEpoch: number | undefined, rows: readonly Row[]): { per: 'update' | 'epoch'; points: LrPoint[] } {
  const baseLr = spec.optimizer.lr;
  const schedule = typeof baseLr === 'number' ? createSchedule(spec.schedule, baseLr) : undefined;
  if (!schedule || schedule.per === 'epoch' || updatesPerEpoch === undefined) {
    return { per: 'epoch', points: rows.map((r) => ({ step: r.epoch, lr: r.lr })) };
  }
  const total = epochs * updatesPerEpoch;
  const stride = Math.max(1, Math.ceil(total / MAX_LR_EVALUATED));
  const points: LrPoint[] = [];
  for (let step = 0; step < total; step += stride) points.push({ step, lr: schedule.lr(step) });
  if (points.at(-1)?.step !== total - 1 && total > 0) points.push({ step: total - 1, lr: schedule.lr(total - 1) });
  const corners = linearCorners(points);
  const every = Math.ceil(corners.length / MAX_LR_POINTS);
  return { per: 'update', points: every <= 1 ? corners : corners.filter((_, i) => i % every === 0 || i === corners.length - 1) };
}

/** The points where the slope changes (and both ends): a constant, step or triangular schedule
 * draws the same line from a handful of points, which vega lays out in a fraction of the time. */
export function linearCorners(points: readonly LrPoint[]): LrPoint[] {
  if (points.length <= 2) return [...points];
  const scale = Math.max(...points.map((p) => Math.abs(p.lr))) || 1;
  const out: LrPoint[] = [points[0]];
  for (let i = 1; i < points.length - 1; i++) {
    const a = out[out.length - 1];
    const b = points[i];
    const c = points[i + 1];
    // b lies on the line from a to c: the cross product of (b - a) and (c - a), in units of lr
    const cross = ((b.step - a.step) * (c.lr - a.lr) - (c.step - a.step) * (b.lr - a.lr)) / scale;
    if (Math.abs(cross) > 1e-9 * (c.step - a.step)) out.push(b);
  }
  out.push(points[points.length - 1]);
  return out;
}

/** Weights (not biases, not batchnorm's scale) of each layer, masked cells marked. */
export function layerWeights(checkpoint: LoadedCheckpoint, spec: ResolvedSpec): LayerWeights[] {
  const out: LayerWeights[] = [];
  for (const [name, t] of checkpoint.tensors) {
    const m = /^model\.layers\.(\d+)\.weight$/.exec(name);
    if (!m) continue;
    const type = spec.model.layers[Number.parseInt(m[1], 10)]?.type ?? '?';
    // copies: a view would carry the checkpoint's whole buffer to the plot worker
    const mask = checkpoint.tensors.get(`model.layers.${m[1]}.mask`)?.data;
    out.push({ name: `layer ${m[1]} (${type})`, shape: t.shape, values: t.data.slice(), mask: mask?.slice() });
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

/** Reads what the plots need from the run folder (and takes the confusion matrices the caller has). */
export async function runPlotInputs(runDir: string, options: RunPlotOptions = {}): Promise<RunPlotInputs> {
  const [records, metrics, spec] = await Promise.all([readCurve(runDir), readMetrics(runDir), readRunSpec(runDir)]);
  const rows = records.map(curveRow);
  const best = await readCheckpoint(join(runDir, files.bestCheckpoint));
  const stopped = metrics.stoppedEarly as { epoch: number } | undefined;
  const perEpoch = best.state.epoch > 0 && best.state.partial === undefined ? best.state.step / best.state.epoch : undefined;
  return {
    rows,
    marks: { best: metrics.best && { epoch: metrics.best.epoch, monitor: metrics.best.monitor }, stoppedEarly: stopped?.epoch },
    lr: lrPoints(spec, rows.length, perEpoch, rows),
    confusion: options.confusion ?? (await confusionOf(runDir, metrics)),
    bestEpoch: best.state.epoch,
    layers: layerWeights(best, spec),
  };
}

/** The run's plots as SVG strings, in file order, without writing anything. */
export async function renderRunPlots(runDir: string, options: RunPlotOptions = {}): Promise<Plot[]> {
  return drawRunPlots(await runPlotInputs(runDir, options));
}

export async function writeRunPlots(runDir: string, options: RunPlotOptions = {}): Promise<WrittenPlots> {
  return writePlotFiles(runDir, await renderRunPlots(runDir, options));
}
