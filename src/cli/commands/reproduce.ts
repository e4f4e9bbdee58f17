// dlx reproduce RUN_OR_SWEEP: train again in a temporary folder and compare; exit 1 on a mismatch.
import type { Command } from 'commander';
import type { Run } from '../flags.js';
import { line, type Io } from '../io.js';

export function registerReproduce(program: Command, io: Io, run: Run): void {
  program
    .command('reproduce')
    .description('rerun a finished run (or sweep) from its folder; exit 0 when curves and final weights match, 1 otherwise')
    .argument('<run>', 'the run folder, or a sweep folder')
    .option('--tolerance <relative>', 'allowed relative difference (0: bit-identical)', '0')
    .addHelpText('after', '\nExample:\n  dlx reproduce runs/quickstart/20261125-101500-a1b2c3 && echo reproducible')
    .action((runDir: string, flags: { tolerance: string }) => run(async (signal) => {
      const { isSweepFolder } = await import('../../run/sweep-folder.js');
      if (await isSweepFolder(runDir)) {
        const { reproduceSweep } = await import('../../run/reproduce-sweep.js');
        const { trialEntry } = await import('./sweep.js');
        const r = await reproduceSweep(runDir, { trialEntry, argv: process.argv.slice(2), signal });
        line(io.out, `reproduced ${runDir}: summary.csv, and ${r.trials} trials' curves and last checkpoints, bit-identical`);
        return;
      }
      const z = await import('zod');
      const { checked } = await import('../options.js');
      const { reproduceRun } = await import('../../run/reproduce.js');
      const tolerance = checked(z.coerce.number().min(0).finite({ message: 'expected a number ≥ 0' }), flags.tolerance, '--tolerance');
      const r = await reproduceRun(runDir, { tolerance, argv: process.argv.slice(2) });
      const how = r.maxRelative === 0 ? 'bit-identical' : `within relative ${r.maxRelative.toExponential(2)}`;
      line(io.out, `reproduced ${runDir}: ${r.epochs} epochs and ${r.tensors} weight tensors ${how}`);
    }));
}
