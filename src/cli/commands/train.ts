// dlx train SPEC: one run, one run folder.
import type { Command } from 'commander';
import { defaultBackendName } from '../../engine/backends.js';
import type { RunMetrics } from '../../run/run-folder.js';
import { runExperiment } from '../../run/run-experiment.js';
import { fixed, line, percent, table, type Io } from '../io.js';
import { collect, overridesFrom, threadsFrom, threadsHelp } from '../options.js';
import { progressEvents, progressMode, type ProgressMode } from '../progress.js';

interface TrainFlags {
  set?: string[];
  runsDir: string;
  name?: string;
  seed?: string;
  backend?: string;
  threads?: string;
  quiet?: boolean;
  json?: boolean;
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
  line(io.out, `final epoch ${final?.epoch}${stopped}${restored}: val_loss ${fixed(final?.val_loss)} val_acc ${percent(final?.val_acc)}; best epoch ${best?.epoch}: val_loss ${fixed(best?.val_loss)} val_acc ${percent(best?.val_acc)}`);
  const test = metrics.test as { loss: number; accuracy: number } | undefined;
  if (test) line(io.out, `test: loss ${fixed(test.loss)} accuracy ${percent(test.accuracy)}`);
}

export async function trainCommand(io: Io, specFile: string, flags: TrainFlags, argv: string[], signal: AbortSignal): Promise<void> {
  const mode = progressMode(io, flags);
  const result = await runExperiment(specFile, overridesFrom(flags.set, { name: flags.name, seed: flags.seed }), {
    runsDir: flags.runsDir,
    backend: flags.backend ?? defaultBackendName(),
    threads: threadsFrom(flags.threads),
    argv,
    signal,
    events: progressEvents(io, mode),
    onReady({ runDir, summary, totalParams, compute }) {
      if (mode !== 'tty' && mode !== 'plain') return;
      line(io.out, `run folder ${runDir}`);
      const density = (d?: number) => (d === undefined ? '' : ` (${(100 * d).toFixed(1)} % dense)`);
      const rows = summary.map((r, i) => [String(i), r.layer, `[${r.outputShape.join(', ')}]`, `${r.params}${density(r.density)}`]);
      line(io.out, table(['#', 'layer', 'output', 'params'], rows));
      line(io.out, `total parameters ${totalParams}; ${compute}`);
    },
  });
  printOutcome(io, mode, result.runDir, result.metrics);
}

export function registerTrain(program: Command, io: Io, run: (action: (signal: AbortSignal) => Promise<void>) => Promise<void>): void {
  program
    .command('train')
    .description('train one model from a spec and write a run folder')
    .argument('<spec>', 'the experiment spec (YAML)')
    .option('--set <key=value>', 'override a spec value (repeatable), e.g. optimizer.lr=0.01', collect)
    .option('--runs-dir <dir>', 'where run folders go', 'runs')
    .option('--name <name>', 'the run name (overrides the spec\'s name)')
    .option('--seed <seed>', 'the seed (overrides the spec\'s seed)')
    .option('--backend <backend>', 'the compute backend: native, wasm or reference (default: native when built for this CPU, else wasm)')
    .option('--threads <n>', threadsHelp)
    .option('--quiet', 'print only the final summary')
    .option('--json', 'print one JSON object per epoch and a final one, nothing else')
    .addHelpText('after', '\nExample:\n  dlx train configs/quickstart.yaml --set optimizer.lr=0.05 --seed 7 --threads 2')
    .action((spec: string, flags: TrainFlags) => run((signal) => trainCommand(io, spec, flags, process.argv.slice(2), signal)));
}
