// The dlx command line. Commander only parses; each command is an async function that throws a
// typed error; this file alone turns errors into messages and exit codes (DESIGN.md).
import { Command, CommanderError } from 'commander';
import { DlxError, ExitCode, SpecError } from '../common/errors.js';
import { dlxVersion } from '../run/version.js';
import { registerDatasets } from './commands/datasets.js';
import { registerEval } from './commands/eval.js';
import { registerLifecycle } from './commands/lifecycle.js';
import { registerRuns } from './commands/runs.js';
import { registerSchema } from './commands/schema.js';
import { registerSweep } from './commands/sweep.js';
import { registerTrain } from './commands/train.js';
import { registerValidate } from './commands/validate.js';
import { registerWorker } from './commands/worker.js';
import { line, processIo, type Io } from './io.js';

export function reportError(io: Io, e: unknown): number {
  if (e instanceof SpecError) {
    for (const p of e.problems) line(io.err, `${io.color.red('error')} ${p}`);
    return e.exitCode;
  }
  if (e instanceof DlxError) {
    line(io.err, `${io.color.red('error')} ${e.message}`);
    return e.exitCode;
  }
  // Anything else is a bug in dlx: the only case that prints a stack.
  line(io.err, `${io.color.red('internal error')} (a bug in dlx ${dlxVersion}; please report it):`);
  line(io.err, e instanceof Error ? (e.stack ?? e.message) : String(e));
  return ExitCode.bug;
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
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
            4 training diverged, 130 interrupted.

Example:
  dlx train configs/quickstart.yaml && dlx runs`);
  registerTrain(program, io, run);
  registerSweep(program, io, run);
  registerValidate(program, io, run);
  registerEval(program, io, run);
  registerLifecycle(program, io, run);
  registerRuns(program, io, run);
  registerSchema(program, io, run);
  registerDatasets(program, io, run);
  registerWorker(program, io, run);

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
