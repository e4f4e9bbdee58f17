// dlx ensemble RUN_OR_SWEEP…: averaged probabilities of several trained models.
import type { Command } from 'commander';
import * as z from 'zod';
import { ensembleRuns } from '../../run/ensemble.js';
import { fixed, line, percent, table, type Io } from '../io.js';
import { checked, splitOption } from '../options.js';

const topSchema = z.coerce.number().int({ message: 'expected a whole number ≥ 2' }).min(2, { message: 'expected a whole number ≥ 2' });

export function registerEnsemble(program: Command, io: Io, run: (action: () => Promise<void>) => Promise<void>): void {
  program
    .command('ensemble')
    .description("average the members' output probabilities; each member's metrics, their mean and the ensemble's")
    .argument('<members...>', 'run folders, checkpoints, or sweep folders (a sweep stands for its best trials)')
    .option('--top <k>', "a sweep's best k trials (default: all that finished)")
    .option('--split <split>', 'train, val or test', 'val')
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExample:\n  dlx ensemble runs/seeds/sweep-20261128-101500-a1b2c3 --top 3 --split test')
    .action((targets: string[], flags: { top?: string; split: string; json?: boolean }) => run(async () => {
      const top = flags.top === undefined ? undefined : checked(topSchema, flags.top, '--top');
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
