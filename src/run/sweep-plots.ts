// A sweep's plots/: objective per trial, parallel coordinates, the objective against each
// searched value, parameter importance, and the fold spread when the sweep uses folds.
// `writeSweepPlots(sweepDir)` is what `dlx plot SWEEP` calls; `dlx sweep` draws through its
// plot worker (plotter.ts) from the same readSweep data.
import type { Plot } from '../plots/html.js';
import { drawSweepPlots, writePlotFiles, type WrittenPlots } from './draw-plots.js';
import { readSweep } from './sweep-read.js';

export const sweepPlots = ['objective', 'parallel', 'params', 'importance', 'folds'] as const;

export async function renderSweepPlots(sweepDir: string): Promise<Plot[]> {
  return drawSweepPlots(await readSweep(sweepDir));
}

export async function writeSweepPlots(sweepDir: string): Promise<WrittenPlots> {
  return writePlotFiles(sweepDir, await renderSweepPlots(sweepDir));
}
