// dlx ensemble RUN_OR_SWEEP…: averaged probabilities of several trained models.
import { fixed, line, percent, table, type Io } from '../io.js';

export async function ensembleAction(io: Io, _signal: AbortSignal, targets: string[], flags: { top?: string; split: string; json?: boolean }): Promise<void> {
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
}
