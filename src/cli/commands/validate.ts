// dlx validate SPEC…: every problem of every file, no training.
import type { Command } from 'commander';
import { SpecError } from '../../common/errors.js';
import { validateFile } from '../../run/sweep-spec.js';
import { line, type Io } from '../io.js';
import { collect, overridesFrom } from '../options.js';

export async function validateCommand(io: Io, specs: string[], flags: { set?: string[] }): Promise<void> {
  const overrides = overridesFrom(flags.set);
  const problems: string[] = [];
  for (const file of specs) {
    try {
      const kind = await validateFile(file, overrides);
      line(io.out, `${io.color.green('ok')} ${file}${kind === 'sweep' ? ' (a sweep)' : ''}`);
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length > 0) throw new SpecError(problems);
}

export function registerValidate(program: Command, io: Io, run: (action: () => Promise<void>) => Promise<void>): void {
  program
    .command('validate')
    .description('check specs and print every problem with file:line:column; trains nothing')
    .argument('<specs...>', 'spec files')
    .option('--set <key=value>', 'override a value in every spec (repeatable)', collect)
    .addHelpText('after', '\nExample:\n  dlx validate configs/*.yaml')
    .action((specs: string[], flags: { set?: string[] }) => run(() => validateCommand(io, specs, flags)));
}
