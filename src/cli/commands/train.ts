// dlx train SPEC: one run, one run folder (or k, with --folds). The work's modules are imported
// on use, so that `dlx --help` does not load them.
import type { Plotter } from '../../run/plot-thread.js';
import type { RunMetrics } from '../../run/run-folder.js';
import { fixed, line, percent, table, type Io } from '../io.js';
import type { ProgressMode } from '../progress.js';

interface TrainFlags {
  set?: string[];
  runsDir: string;
  name?: string;
  seed?: string;
  backend?: string;
  threads?: string;
  quiet?: boolean;
  json?: boolean;
  folds?: string;
  plots: boolean;
}

/** Where the plots went, in the human modes. */
export function printPlots(io: Io, mode: ProgressMode, plots: { dir: string; files: string[]; ms: number } | undefined): void {
  if (plots && (mode === 'tty' || mode === 'plain')) line(io.out, `plots ${plots.dir} (${plots.files.length} SVG files, ${Math.round(plots.ms)} ms)`);
}

/** The last words of train and resume: where the run is and how it ended. */
export function printOutcome(io: Io, mode: ProgressMode, runDir: string, metrics: RunMetrics): void {
  if (mode === 'json') {
    line(io.out, JSON.stringify({ event: 'done', runDir, ...metrics }));
    return;
  }
  const { final, best } = metrics;
  line(io.out, io.color.green(`done ${runDir}`));
  const stopped = metrics.stoppedEarly ? ` (stopped early at epoch ${(metrics.stoppedEarly as { epoch: number }).epoch})` : '';
  const restored = metrics.restoredBest ? ` (weights of epoch ${String(metrics.restoredBest)} restored)` : '';
  // classification shows accuracy; regression its errors in the target's units and R²
  const scores = (m?: { val_acc?: number; val_mae?: number; val_rmse?: number; val_r2?: number }) => (m?.val_r2 === undefined
    ? `val_acc ${percent(m?.val_acc)}`
    : `val_mae ${m.val_mae?.toPrecision(4)} val_rmse ${m.val_rmse?.toPrecision(4)} val_r2 ${fixed(m.val_r2)}`);
  line(io.out, `final epoch ${final?.epoch}${stopped}${restored}: val_loss ${fixed(final?.val_loss)} ${scores(final)}; best epoch ${best?.epoch}: val_loss ${fixed(best?.val_loss)} ${scores(best)}`);
  const test = metrics.test as { loss: number; accuracy?: number; mae?: number; rmse?: number; r2?: number } | undefined;
  if (test?.r2 !== undefined) line(io.out, `test: loss ${fixed(test.loss)} mae ${test.mae?.toPrecision(4)} rmse ${test.rmse?.toPrecision(4)} r2 ${fixed(test.r2)}`);
  else if (test) line(io.out, `test: loss ${fixed(test.loss)} accuracy ${percent(test.accuracy)}`);
}

async function crossValidateCommand(io: Io, mode: ProgressMode, specFile: string, flags: TrainFlags, argv: string[], signal: AbortSignal): Promise<void> {
  const z = await import('zod');
  const { checked, overridesFrom, threadsFrom } = await import('../options.js');
  const { progressEvents } = await import('../progress.js');
  const { crossValidate } = await import('../../run/cross-validate.js');
  const message = 'expected a whole number from 2 to 100';
  const k = checked(z.coerce.number().int({ message }).min(2, { message }).max(100, { message }), flags.folds, '--folds');
  const cv = await crossValidate(specFile, overridesFrom(flags.set, { name: flags.name, seed: flags.seed }), k, {
    runsDir: flags.runsDir, backend: flags.backend ?? (await import('../../engine/backends.js')).defaultBackendName(), threads: threadsFrom(flags.threads), argv, signal, events: progressEvents(io, mode),
    onReady: ({ runDir }) => (mode === 'tty' || mode === 'plain') && line(io.out, `fold ${/fold-(\d+)$/.exec(runDir)?.[1]} of ${k}: ${runDir}`),
  });
  if (mode === 'json') {
    line(io.out, JSON.stringify({ event: 'done', dir: cv.dir, folds: cv.folds.map((f) => f.runDir), ...cv.summary }));
    return;
  }
  line(io.out, io.color.green(`done ${cv.dir}`));
  const shown = Object.entries(cv.summary).map(([c, s]) => (c === 'val_acc' ? `${c} ${percent(s.mean)} ± ${percent(s.std)}` : `${c} ${fixed(s.mean)} ± ${fixed(s.std)}`));
  line(io.out, `${k}-fold cross-validation, best epoch of each fold: ${shown.join(', ')}`);
}

export async function trainCommand(io: Io, specFile: string, flags: TrainFlags, argv: string[], signal: AbortSignal): Promise<void> {
  // the plot worker starts first, before this command's modules and the spec load: loading vega
  // takes longer than a short run trains (README "Plots and reports")
  const plotter = flags.plots && flags.folds === undefined ? (await import('../../run/plot-thread.js')).startPlotter('run') : undefined;
  try {
    await trainOne(io, specFile, flags, argv, signal, plotter);
  } finally {
    plotter?.close();
  }
}

async function trainOne(io: Io, specFile: string, flags: TrainFlags, argv: string[], signal: AbortSignal, plotter: Plotter | undefined): Promise<void> {
  const { progressEvents, progressMode } = await import('../progress.js');
  const mode = progressMode(io, flags);
  if (flags.folds !== undefined) return crossValidateCommand(io, mode, specFile, flags, argv, signal);
  const { runExperiment } = await import('../../run/run-experiment.js');
  const { overridesFrom, threadsFor } = await import('../options.js');
  const { checkWritableFolder } = await import('../../common/fs-errors.js');
  await checkWritableFolder(flags.runsDir, '--runs-dir');
  const { withTestSignal } = await import('../test-hooks.js');
  const { defaultBackendName } = await import('../../engine/backends.js');
  const result = await runExperiment(specFile, overridesFrom(flags.set, { name: flags.name, seed: flags.seed }), {
    runsDir: flags.runsDir,
    backend: flags.backend ?? defaultBackendName(),
    threads: threadsFor(io, flags.threads),
    plots: flags.plots,
    plotter,
    argv,
    signal,
    events: withTestSignal(io.env, progressEvents(io, mode)),
    onReady({ runDir, summary, totalParams, compute }) {
      if (mode !== 'tty' && mode !== 'plain') return;
      line(io.out, `run folder ${runDir} (it appears when epoch 1 is written)`);
      const density = (d?: number) => (d === undefined ? '' : ` (${(100 * d).toFixed(1)} % dense)`);
      const rows = summary.map((r, i) => [String(i), r.layer, `[${r.outputShape.join(', ')}]`, `${r.params}${density(r.density)}`]);
      line(io.out, table(['#', 'layer', 'output', 'params'], rows));
      line(io.out, `total parameters ${totalParams}; ${compute}`);
    },
  });
  printOutcome(io, mode, result.runDir, result.metrics);
  printPlots(io, mode, result.plots);
}

export function trainAction(io: Io, signal: AbortSignal, spec: string, flags: TrainFlags): Promise<void> {
  return trainCommand(io, spec, flags, process.argv.slice(2), signal);
}
