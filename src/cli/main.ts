// The dlx command line. Commander only parses; each command is an async function that throws a
// typed error; this file alone turns errors into messages and exit codes (DESIGN.md).
import { Command, CommanderError } from 'commander';
import { DlxError, ExitCode, SpecError } from '../common/errors.js';
import { environmentError } from '../common/fs-errors.js';
import { dlxVersion } from '../run/version.js';
import { collect, commandTable, type CommandEntry } from './command-table.js';
import { line, processIo, type Io } from './io.js';

/** Runs a command's work, turning its errors into exit codes. */
type Run = (action: (signal: AbortSignal) => Promise<void>) => Promise<void>;

/**
 * One commander command from its table entry. The action imports the command's file only when
 * the command runs: commander parses, the file does the work.
 */
function addCommand(parent: Command, entry: CommandEntry, io: Io, run: Run): void {
  const command = parent.command(entry.name).description(entry.description);
  for (const o of entry.operands ?? []) command.argument(o.name, o.description, o.default);
  for (const o of entry.options ?? []) {
    if (o.required) command.requiredOption(o.flags, o.description, o.default);
    else if (o.repeatable) command.option(o.flags, o.description, collect);
    else command.option(o.flags, o.description, o.default);
  }
  if (entry.helpAfter) command.addHelpText('after', entry.helpAfter);
  for (const sub of entry.subcommands ?? []) addCommand(command, sub, io, run);
  const load = entry.load;
  // commander calls the action with the operands, the options object and the command itself
  if (load) command.action((...parsed: unknown[]) => run(async (signal) => (await load())(io, signal, ...parsed.slice(0, -1))));
}

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
      if (io.colorLevel) io.color = await (await import('./color.js')).colors(io.colorLevel);
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
  for (const entry of commandTable) addCommand(program, entry, io, run);

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
