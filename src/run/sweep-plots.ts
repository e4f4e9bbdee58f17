// A sweep's plots/: objective per trial, parallel coordinates, the objective against each
// searched value, parameter importance, and the fold spread when the sweep uses folds.
// `writeSweepPlots(sweepDir)` is what `dlx plot SWEEP` calls; `dlx sweep` draws through its
// plot worker (plotter.ts) from the same readSweep data.
import type { Plot } from '../plots/html.js';
import type { SweepData } from '../plots/sweep-data.js';
import { writePlotFiles, type WrittenPlots } from './plots.js';
import { readSweep } from './sweep-read.js';

export const sweepPlots = ['objective', 'parallel', 'params', 'importance', 'folds'] as const;

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

export async function renderSweepPlots(sweepDir: string): Promise<Plot[]> {
  return drawSweepPlots(await readSweep(sweepDir));
}

export async function writeSweepPlots(sweepDir: string): Promise<WrittenPlots> {
  return writePlotFiles(sweepDir, await renderSweepPlots(sweepDir));
}
