// The plot worker thread (started by plot-thread.ts): loads vega and vega-lite and draws the
// warm-up plots while the caller trains or sweeps, then draws the real plots when asked, from
// data the caller read (no zod, no checkpoint reading here). A request that arrives during the
// warm-up stops it at the end of the stage being drawn (render.ts drawUnless). Loading vega runs
// at the process's priority: every run that draws needs it, and a short run asks for its plots
// before a starved load would end. The warm-up plots, which only make the drawing faster, run at
// a lower priority (on Linux the nice value is per thread), so that they take only CPU the
// training leaves idle.
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { WarmupKind } from '../plots/warmup.js';
import { drawRequest, type PlotRequest } from './draw-plots.js';

export type PlotReply =
  | { ok: true; dir: string; files: string[] }
  | { ok: false; name: string; message: string; exitCode?: number };

let asked = false;

/** The warm-up thread's nice value; the drawing asked for goes back to the process's. */
const WARMUP_NICE = 19;

/** Sets this thread's nice value where the system lets it (raising it back needs privileges). */
function nice(value: number): void {
  try {
    setPriority(0, value);
  } catch {
    // an unprivileged process may not lower its nice value again: it draws at the warm-up's
  }
}

/** Lets the message handler run (a request sets `asked`), then says whether to stop warming up. */
const askedYet = () => new Promise<boolean>((resolve) => setImmediate(() => resolve(asked)));

async function warmUp(kind: WarmupKind, normal: number): Promise<void> {
  const { drawUnless } = await import('../plots/render.js');
  const { warmupSpecs } = await import('../plots/warmup.js');
  if (!asked) nice(Math.max(normal, WARMUP_NICE));
  for (const spec of warmupSpecs(kind)) {
    if (asked) return;
    await drawUnless(spec, askedYet);
  }
}

async function answer(request: PlotRequest): Promise<PlotReply> {
  try {
    return { ok: true, ...(await drawRequest(request)) };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    const exitCode = (err as { exitCode?: unknown }).exitCode;
    return { ok: false, name: err.name, message: err.message, ...(typeof exitCode === 'number' && { exitCode }) };
  }
}

const port = parentPort;
if (port && workerData?.dlxPlotWorker) {
  const normal = getPriority(0);
  const warming = warmUp(workerData.dlxPlotWorker as WarmupKind, normal).catch(() => undefined);
  port.on('message', (request: PlotRequest) => {
    asked = true;
    nice(normal);
    // the warm-up's current stage ends first, so that one plot draws at a time
    void warming.then(() => answer(request)).then((reply) => port.postMessage(reply));
  });
}
