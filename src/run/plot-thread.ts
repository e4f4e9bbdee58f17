// The plot worker's handle: a worker thread that loads vega and vega-lite and warms their code
// while the caller trains or sweeps (plot-worker.ts), then draws and writes the plots it is
// sent. Its own file, importing little, so that `dlx train` can start the worker before it
// loads the rest of its modules and the spec: loading vega takes longer than a short run
// trains (README "Plots and reports").
//
// A worker only pays where a core is left for it: a run trains on every core (up to 8) by
// default, and without an idle core the worker's start (about 0.1 s of CPU), its loading and its
// warm-up take CPU from the training, more than drawing at the end saves. There, a run's plotter
// draws in this thread when asked (README "Plots and reports" has the measurements). A sweep
// keeps its worker: it runs for minutes, and its trials are processes of their own.
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DataError, EnvironmentError, ExitCode } from '../common/errors.js';
import type { WarmupKind } from '../plots/warmup.js';
import { drawRequest, type PlotRequest, type WrittenPlots } from './draw-plots.js';
import type { PlotReply } from './plot-worker.js';

export interface Plotter {
  /** Draws and writes the plots, then ends the worker. */
  draw(request: PlotRequest): Promise<WrittenPlots>;
  /** Ends the worker without drawing (a failed or interrupted run). Idempotent. */
  close(): void;
}

function rebuilt(reply: Extract<PlotReply, { ok: false }>): Error {
  if (reply.exitCode === ExitCode.badData) return new DataError(reply.message);
  if (reply.exitCode === ExitCode.environment) return new EnvironmentError(reply.message);
  const e = new Error(reply.message);
  e.name = reply.name;
  return e;
}

export type PlotPlace = 'worker' | 'here';

/** The threads a run trains on by default (engine/backends.ts defaultThreads, not imported here:
 * this file loads before the engine). */
const runThreads = (cores: number) => Math.min(cores, 8);

/**
 * Where a plotter draws: in a worker for a sweep, and for a run where a core is left idle beyond
 * the training's default threads and the load average; otherwise in the calling thread, at the end.
 */
export function plotPlace(kind: WarmupKind, cores = availableParallelism(), load = loadavg()[0]): PlotPlace {
  return kind === 'sweep' || cores - runThreads(cores) - load >= 1 ? 'worker' : 'here';
}

/** Draws in this thread when asked: vega loads then. */
function plotterHere(): Plotter {
  return { draw: (request) => drawRequest(request), close: () => undefined };
}

/** A plotter: a worker that starts loading vega now, or drawing in this thread (plotPlace). */
export function startPlotter(kind: WarmupKind, place: PlotPlace = plotPlace(kind)): Plotter {
  if (place === 'here') return plotterHere();
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
