// dlx predict CHECKPOINT… INPUT: class probabilities (or regression values) for new samples as
// CSV; several checkpoints: their average.
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { DataError, SpecError } from '../../common/errors.js';
import type { Run } from '../flags.js';
import type { Io } from '../io.js';
import { warnChangedData } from '../warnings.js';

export function registerPredict(program: Command, io: Io, run: Run): void {
  program
    .command('predict')
    .description('class probabilities for new samples (CSV rows or an IDX file) as CSV; several checkpoints: their average (an ensemble)')
    .argument('<checkpoint...>', 'run folders (their last checkpoint) or .safetensors checkpoints, then the input: a CSV of feature rows (header optional) or an IDX file (.idx, -ubyte, .gz)')
    .option('--out <file>', 'write the CSV here instead of standard output')
    .option('--allow-changed-data', "predict even when the run's recorded data files have changed since (a warning on stderr)")
    .addHelpText('after', '\nExample:\n  dlx predict runs/quickstart/20261125-101500-a1b2c3 new-flowers.csv --out predictions.csv\n  dlx predict runs/a/20261125-101500-a1b2c3 runs/a/20261125-101733-d4e5f6 new-flowers.csv')
    .action((args: string[], flags: { out?: string; allowChangedData?: boolean }) => run(async () => {
      if (args.length < 2) throw new SpecError(['dlx predict: expected a checkpoint (or run folder) and an input file']);
      const { predictMany } = await import('../../run/predict.js');
      const { stringify } = await import('csv-stringify/sync');
      const p = await predictMany(args.slice(0, -1), args[args.length - 1], undefined, flags.allowChangedData);
      warnChangedData(io, p.dataChanged);
      const k = p.classes.length;
      // regression: one predicted value per row; classes: the most probable one and every probability
      const rows = p.regression ? Array.from(p.probabilities, (v) => [v]) : Array.from({ length: p.rows }, (_, r) => {
        const probs = Array.from(p.probabilities.subarray(r * k, (r + 1) * k));
        return [p.classes[probs.indexOf(Math.max(...probs))], ...probs];
      });
      const csv = stringify(rows, { header: true, columns: p.regression ? ['predicted'] : ['predicted', ...p.classes] });
      if (flags.out) {
        await writeFile(flags.out, csv).catch((e: NodeJS.ErrnoException) => {
          throw new DataError(`${flags.out}: cannot write (${e.code ?? String(e)})`);
        });
      } else io.out.write(csv);
    }));
}
