// The dlx command line. Commander only parses; each command is an async function that throws a
// typed error; this file alone turns errors into messages and exit codes (DESIGN.md).
import { Command, CommanderError } from 'commander';
import { DlxError, ExitCode, SpecError } from '../common/errors.js';
import { environmentError } from '../common/fs-errors.js';
import { dlxVersion } from '../run/version.js';
import { registerDatasets } from './commands/datasets.js';
import { registerEval } from './commands/eval.js';
import { registerCompare } from './commands/compare.js';
import { registerPredict } from './commands/predict.js';
import { registerReproduce } from './commands/reproduce.js';
import { registerResume } from './commands/resume.js';
import { registerPlot } from './commands/plot.js';
import { registerReport } from './commands/report.js';
import { registerRuns } from './commands/runs.js';
import { registerSchema } from './commands/schema.js';
import { registerSweep } from './commands/sweep.js';
import { registerEnsemble } from './commands/ensemble.js';
import { registerTrain } from './commands/train.js';
import { registerWorker } from './commands/worker.js';
import { registerValidate } from './commands/validate.js';
import type { Run } from './flags.js';
import { line, processIo, type Io } from './io.js';

/**
 * Every command, one line each. A command file defines its options and help text and imports
 * the modules that do its work only when it runs, so `dlx --help` stays fast.
 */
const commands: readonly ((program: Command, io: Io, run: Run) => void)[] = [
  registerTrain,
  registerValidate,
  registerEval,
  registerSweep,
  registerEnsemble,
  registerWorker,
  registerResume,
  registerReproduce,
  registerCompare,
  registerPredict,
  registerPlot,
  registerReport,
  registerRuns,
  registerSchema,
  registerDatasets,
];

export function reportError(io: Io, e: unknown): number {
  if (e instanceof SpecError) {
    for (const p of e.problems) line(io.err, `${io.color.red('error')} ${p}`);
    return e.exitCode;
  }
  const failure = e instanceof DlxError ? e : environmentError(e);
  if (failure) {
    line(io.err, `${io.color.red('error')} ${failure.message}`);
    return failure.exitCode;
  }
  // Anything else is a bug in dlx: the only case that prints a stack.
  line(io.err, `${io.color.red('internal error')} (a bug in dlx ${dlxVersion}; please report it):`);
  line(io.err, e instanceof Error ? (e.stack ?? e.message) : String(e));
  return ExitCode.bug;
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  // DLX_NATIVE=0 hides the native build (dlx then defaults to wasm); DLX_NATIVE_DIR points at another
  // build; DLX_NATIVE_ISA picks a narrower instruction set than the widest this CPU runs (to measure it)
  let exitCode: number = ExitCode.ok;
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(ExitCode.interrupted);
    line(io.err, 'interrupt: stopping after this batch (press Ctrl-C again to quit at once)');
    controller.abort();
  };
  const run = async (action: (signal: AbortSignal) => Promise<void>) => {
    process.on('SIGINT', onSigint);
    try {
      // which native build to use (tests hide it or pick one); read here, where process.* is read
      const { configureNative } = await import('../engine/native/addon.js');
      configureNative({ hidden: process.env.DLX_NATIVE === '0', dir: process.env.DLX_NATIVE_DIR || undefined, isa: process.env.DLX_NATIVE_ISA || undefined });
      await action(controller.signal);
    } catch (e) {
      exitCode = reportError(io, e);
    } finally {
      process.off('SIGINT', onSigint);
    }
  };

  const program = new Command()
    .name('dlx')
    .description('dlx: deep-learning experiments from YAML specs, with run folders you can trust')
    .version(dlxVersion)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', `
Exit codes: 0 ok, 1 a bug in dlx, 2 bad spec or arguments, 3 bad or missing data,
            4 training diverged, 5 the system refused (disk full, read-only), 6 run folder in use,
            130 interrupted.

Example:
  dlx train configs/quickstart.yaml && dlx runs`);
  for (const register of commands) register(program, io, run);

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      const ok = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(e.code);
      return ok || e.exitCode === 0 ? ExitCode.ok : ExitCode.badSpec;
    }
    return reportError(io, e);
  }
  return exitCode;
}
