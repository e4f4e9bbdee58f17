// Plots drawn by a worker thread that starts with the run (or the sweep; plot-thread.ts): it
// loads vega and vega-lite and warms their code while training uses the main thread, so the end
// of `dlx train` waits only for warm drawing (README "Plots and reports" has the figures). The
// caller reads the folder (its zod schemas and file code are warm) and the worker only draws and
// writes. The bytes are those of drawing in-process: ids are renumbered per plot (render.ts).
import type { ConfusionMatrix } from '../plots/confusion.js';
import { drawRequest, type PlotRequest, type WrittenPlots } from './draw-plots.js';
import type { Plotter } from './plot-thread.js';
import { runPlotInputs } from './plots.js';
import { readSweep } from './sweep-read.js';

export { startPlotter, type Plotter } from './plot-thread.js';

export type TimedPlots = WrittenPlots & { ms: number };

async function timed(work: () => Promise<WrittenPlots>): Promise<TimedPlots> {
  const started = performance.now();
  const written = await work();
  return { ...written, ms: performance.now() - started };
}

/** A run's plots/, through the plotter when one was started, else in this thread; timed. */
export function plotRun(plotter: Plotter | undefined, dir: string, confusion?: ConfusionMatrix[]): Promise<TimedPlots> {
  return timed(async () => {
    const request: PlotRequest = { kind: 'run', dir, inputs: await runPlotInputs(dir, { confusion }) };
    return plotter ? plotter.draw(request) : drawRequest(request);
  });
}

/** A sweep's plots/, likewise. */
export function plotSweep(plotter: Plotter | undefined, dir: string): Promise<TimedPlots> {
  return timed(async () => {
    const request: PlotRequest = { kind: 'sweep', dir, sweep: await readSweep(dir) };
    return plotter ? plotter.draw(request) : drawRequest(request);
  });
}
