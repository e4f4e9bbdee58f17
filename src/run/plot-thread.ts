// The plot worker's handle: a worker thread that loads vega and vega-lite and warms their code
// while the caller trains or sweeps (plot-worker.ts), then draws and writes the plots it is
// sent. Its own file, importing little, so that `dlx train` can start the worker before it
// loads the rest of its modules and the spec: loading vega takes longer than a short run
// trains (README "Plots and reports").
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
