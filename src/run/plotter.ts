// Plots drawn by a worker thread that starts with the run (or the sweep): it loads vega and
// vega-lite and warms their code while training uses the main thread, so the end of `dlx train`
// waits only for warm drawing (README "Plots and reports" has the figures). The caller reads the
// folder (its zod schemas and file code are warm) and the worker only draws and writes. The bytes
// are those of drawing in-process: ids are renumbered per plot (render.ts).
import { Worker } from 'node:worker_threads';
import { DataError, EnvironmentError, ExitCode } from '../common/errors.js';
import type { ConfusionMatrix } from '../plots/confusion.js';
import type { WarmupKind } from '../plots/warmup.js';
import { drawRequest, type PlotRequest, type WrittenPlots } from './draw-plots.js';
import type { PlotReply } from './plot-worker.js';
import { runPlotInputs } from './plots.js';
import { readSweep } from './sweep-read.js';

export interface Plotter {
  /** Draws and writes the plots, then ends the worker. */
  draw(request: PlotRequest): Promise<WrittenPlots>;
  /** Ends the worker without drawing (a failed or interrupted run). Idempotent. */
  close(): void;
}

export type TimedPlots = WrittenPlots & { ms: number };

function rebuilt(reply: Extract<PlotReply, { ok: false }>): Error {
  if (reply.exitCode === ExitCode.badData) return new DataError(reply.message);
  if (reply.exitCode === ExitCode.environment) return new EnvironmentError(reply.message);
  const e = new Error(reply.message);
  e.name = reply.name;
  return e;
}

/** A worker that starts loading vega now. */
export function startPlotter(kind: WarmupKind): Plotter {
  const worker = new Worker(new URL('./plot-worker.js', import.meta.url), { workerData: { dlxPlotWorker: kind } });
  worker.unref(); // a plotter nobody asks never keeps the process alive
  // a worker that failed to start (or crashed) is replaced by drawing in this thread
  let failed = false;
  worker.on('error', () => { failed = true; });
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    void worker.terminate();
  };
  return {
    close,
    async draw(request) {
      if (closed || failed) {
        close();
        return drawRequest(request);
      }
      worker.ref();
      try {
        const reply = await new Promise<PlotReply>((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
          worker.once('exit', (code) => reject(new Error(`the plot worker exited (code ${code}) before drawing`)));
          worker.postMessage(request);
        });
        if (!reply.ok) throw rebuilt(reply);
        return { dir: reply.dir, files: reply.files };
      } finally {
        close();
      }
    },
  };
}

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
