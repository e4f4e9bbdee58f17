// dlx reproduce RUN_OR_SWEEP: train again in a temporary folder and compare; exit 1 on a mismatch.
import { line, type Io } from '../io.js';

export async function reproduceAction(io: Io, signal: AbortSignal, runDir: string, flags: { tolerance: string }): Promise<void> {
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
}
