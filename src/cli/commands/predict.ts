// dlx predict CHECKPOINT… INPUT: class probabilities (or regression values) for new samples as
// CSV; several checkpoints: their average.
import { writeFile } from 'node:fs/promises';
import { DataError, SpecError } from '../../common/errors.js';
import type { Io } from '../io.js';
import { warnChangedData } from '../warnings.js';

export async function predictAction(io: Io, _signal: AbortSignal, args: string[], flags: { out?: string; allowChangedData?: boolean }): Promise<void> {
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
}
