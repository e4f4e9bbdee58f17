// dlx ensemble RUN_OR_SWEEP…: averaged probabilities of several trained models.
import type { Command } from 'commander';
import type { Run } from '../flags.js';
import { fixed, line, percent, table, type Io } from '../io.js';

export function registerEnsemble(program: Command, io: Io, run: Run): void {
  program
    .command('ensemble')
    .description("average the members' output probabilities; each member's metrics, their mean and the ensemble's")
    .argument('<members...>', 'run folders, checkpoints, or sweep folders (a sweep stands for its best trials)')
    .option('--top <k>', "a sweep's best k trials (default: all that finished)")
    .option('--split <split>', 'train, val or test', 'val')
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExample:\n  dlx ensemble runs/seeds/sweep-20261128-101500-a1b2c3 --top 3 --split test')
    .action((targets: string[], flags: { top?: string; split: string; json?: boolean }) => run(async () => {
      const z = await import('zod');
      const { checked, splitOption } = await import('../options.js');
      const { ensembleRuns } = await import('../../run/ensemble.js');
      const message = 'expected a whole number ≥ 2';
      const top = flags.top === undefined ? undefined : checked(z.coerce.number().int({ message }).min(2, { message }), flags.top, '--top');
      const split = checked(splitOption, flags.split, '--split');
      const r = await ensembleRuns(targets, { top, split });
      if (flags.json) {
        line(io.out, JSON.stringify(r));
        return;
      }
      line(io.out, `${r.members.length} members on the ${r.split} split (${r.count} samples)`);
      line(io.out, table(['', 'loss', 'accuracy'], [
        ...r.members.map((m, i) => [`member ${i + 1}: ${m.runDir}`, fixed(m.loss), percent(m.accuracy)]),
        ['mean of the members', fixed(r.mean.loss), percent(r.mean.accuracy)],
        ['ensemble', fixed(r.ensemble.loss), percent(r.ensemble.accuracy)],
      ]));
    }));
}
