// Drawing and writing plots from plain data (what plots.ts and sweep-read.ts read from the
// folders). It imports only the drawing code, lazily, so the plot worker (plot-worker.ts) loads
// neither zod schemas nor the engine.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomic.js';
import type { ConfusionMatrix } from '../plots/confusion.js';
import type { CurveMarks, Row } from '../plots/curves.js';
import type { Plot } from '../plots/html.js';
import type { LrPoint } from '../plots/lr.js';
import type { SweepData } from '../plots/sweep-data.js';
import type { LayerWeights } from '../plots/weights.js';
import { files, type RunPlot } from './layout.js';

export interface WrittenPlots {
  dir: string;
  files: string[];
}

/** What a run's plots are drawn from: plain data, so a worker thread can draw them (plotter.ts). */
export interface RunPlotInputs {
  rows: Row[];
  marks: CurveMarks;
  lr: { per: 'update' | 'epoch'; points: LrPoint[] };
  confusion: ConfusionMatrix[];
  bestEpoch: number;
  layers: LayerWeights[];
}

/** The run's plots as SVG strings, in file order. Vega loads on first use. */
export async function drawRunPlots(inputs: RunPlotInputs): Promise<Plot[]> {
  const { toSvg } = await import('../plots/render.js');
  const { curvesSpec } = await import('../plots/curves.js');
  const { lrSpec } = await import('../plots/lr.js');
  const { confusionSpec } = await import('../plots/confusion.js');
  const { weightsSpec } = await import('../plots/weights.js');
  const { hasNorms, normsSpec } = await import('../plots/norms.js');
  const { rows, lr } = inputs;
  const plots: (Plot & { name: RunPlot })[] = [
    { name: 'curves', svg: await toSvg(curvesSpec(rows, inputs.marks)) },
    { name: 'lr', svg: await toSvg(lrSpec(lr.points, lr.per)) },
    { name: 'confusion', svg: await toSvg(confusionSpec(inputs.confusion)) },
    { name: 'weights', svg: await toSvg(weightsSpec(inputs.layers, `Weights at the best epoch (${inputs.bestEpoch})`)) },
  ];
  if (hasNorms(Object.keys(rows[0] ?? {}))) plots.push({ name: 'norms', svg: await toSvg(normsSpec(rows)) });
  return plots;
}

/** The sweep's plots as SVG strings, in file order. Vega loads on first use. */
export async function drawSweepPlots(sweep: SweepData): Promise<Plot[]> {
  const { toSvg } = await import('../plots/render.js');
  const { foldsSpec, importanceSpec, objectiveSpec, paramsSpec, parallelSpec } = await import('../plots/sweep.js');
  const { pedAnova } = await import('../plots/importance.js');
  const plots: Plot[] = [{ name: 'objective', svg: await toSvg(objectiveSpec(sweep)) }];
  if (sweep.params.length > 0) {
    plots.push({ name: 'parallel', svg: await toSvg(parallelSpec(sweep)) });
    plots.push({ name: 'params', svg: await toSvg(paramsSpec(sweep)) });
    plots.push({ name: 'importance', svg: await toSvg(importanceSpec(sweep, pedAnova(sweep.params, sweep.trials, sweep.mode))) });
  }
  if (sweep.folds !== null && sweep.trials.some((t) => t.foldValues.length > 0)) plots.push({ name: 'folds', svg: await toSvg(foldsSpec(sweep)) });
  return plots;
}

/** Writes each plot to `<dir>/plots/<name>.svg`, atomically. Not flushed to disk first (an fsync
 * each, 2–10 ms here, at the end of every run): plots are redrawn from the folder by `dlx plot`,
 * and a crashed process still leaves no half-written file. */
export async function writePlotFiles(folder: string, plots: readonly Plot[]): Promise<WrittenPlots> {
  const dir = join(folder, files.plots);
  await mkdir(dir, { recursive: true });
  for (const p of plots) await writeFileAtomic(join(dir, `${p.name}.svg`), p.svg, { sync: false });
  return { dir, files: plots.map((p) => join(dir, `${p.name}.svg`)) };
}

export type PlotRequest = { kind: 'run'; dir: string; inputs: RunPlotInputs } | { kind: 'sweep'; dir: string; sweep: SweepData };

/** Draws and writes the request's plots: the same bytes in the plot worker or in-process. */
export async function drawRequest(request: PlotRequest): Promise<WrittenPlots> {
  return writePlotFiles(request.dir, request.kind === 'run' ? await drawRunPlots(request.inputs) : await drawSweepPlots(request.sweep));
}
