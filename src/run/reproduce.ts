// `dlx reproduce RUN`: train the run's resolved spec again in a temporary folder, with the same
// backend, and compare curve.csv (the seconds column aside) and the final weights. Bit-identical
// by default; `tolerance` allows a relative difference, for comparing across machines.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError, DlxError } from '../common/errors.js';
import { checkRunFolder } from './consistency.js';
import { files, timingColumns } from './layout.js';
import { readCheckpoint } from '../train/checkpoint.js';
import { readCurve, readEnv, readMetrics, readRunSpec } from './run-folder.js';
import { startRun, type RunSource } from './run-experiment.js';
import { readFingerprint, refuseChanges } from './data-check.js';
import { dataChanges } from '../data/fingerprint.js';

/** A run that does not reproduce: exit 1, with the differences as the message. */
export class MismatchError extends DlxError {
  readonly exitCode = 1;
}

export interface ReproduceResult {
  runDir: string;
  epochs: number;
  tensors: number;
  /** The largest relative difference seen (0 when bit-identical). */
  maxRelative: number;
}

/** 0 for identical values (NaN equals NaN), else |a − b| relative to the larger magnitude. */
function relativeDifference(a: number, b: number): number {
  if (Object.is(a, b)) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), Number.MIN_VALUE) || Infinity;
}

export async function reproduceRun(runDir: string, options: { tolerance: number; argv: string[] }): Promise<ReproduceResult> {
  const spec = await readRunSpec(runDir);
  const env = await readEnv(runDir);
  const metrics = await readMetrics(runDir);
  if (metrics.status !== 'finished' && metrics.status !== 'stopped-early') {
    throw new DataError(`${runDir}: the run is ${metrics.status}, not finished; resume it first (dlx resume ${runDir})`);
  }
  // a folder whose own files disagree has no single result to reproduce
  const inconsistent = await checkRunFolder(runDir);
  if (inconsistent.length > 0) throw new MismatchError(`${runDir} does not reproduce: its files disagree:\n  ${inconsistent.join('\n  ')}`);
  const text = await readFile(join(runDir, files.spec), 'utf8');
  const loaded: RunSource = { file: env.specFile, text, overrides: [], resolved: spec };
  const scratch = await mkdtemp(join(tmpdir(), 'dlx-reproduce-'));
  try {
    const recorded = await readFingerprint(runDir);
    const again = await startRun(loaded, {
      runsDir: scratch, backend: env.backend, threads: env.threads, argv: options.argv,
      checkData: (now) => recorded && refuseChanges(runDir, dataChanges(recorded, now), false),
    });
    const problems: string[] = [];
    let maxRelative = 0;
    const note = (relative: number, where: string) => {
      maxRelative = Math.max(maxRelative, relative);
      if (relative > options.tolerance && problems.length < 10) problems.push(where);
    };

    // curve.csv: how many epochs differ, and the first one's columns
    const [before, after] = [await readCurve(runDir), await readCurve(again.runDir)];
    if (before.length !== after.length) problems.push(`curve.csv: ${before.length} epochs, the rerun has ${after.length}`);
    const differing: { epoch: number; cells: string[] }[] = [];
    for (let i = 0; i < Math.min(before.length, after.length); i++) {
      const cells: string[] = [];
      for (const column of Object.keys(before[i]).filter((c) => !timingColumns.includes(c))) {
        const [a, b] = [(before[i] as unknown as Record<string, number>)[column], (after[i] as unknown as Record<string, number | undefined>)[column] ?? NaN];
        const relative = relativeDifference(a, b);
        maxRelative = Math.max(maxRelative, relative);
        if (relative > options.tolerance) cells.push(`${column} ${a} vs ${b}`);
      }
      if (cells.length > 0) differing.push({ epoch: before[i].epoch, cells });
    }
    if (differing.length > 0) {
      problems.push(`curve.csv: ${differing.length} of ${before.length} epochs differ; epoch ${differing[0].epoch}: ${differing[0].cells.join(', ')}`);
    }

    const path = join(runDir, files.lastCheckpoint);
    const [mine, theirs] = [await readCheckpoint(path), await readCheckpoint(join(again.runDir, files.lastCheckpoint))];
    const names = [...mine.tensors.keys()].filter((n) => n.startsWith('model.'));
    for (const name of names) {
      const [a, b] = [mine.tensors.get(name)!.data, theirs.tensors.get(name)?.data];
      if (!b || b.length !== a.length) {
        problems.push(`${files.lastCheckpoint} ${name}: missing or of another size in the rerun`);
        continue;
      }
      const worst = { i: 0, relative: 0 };
      for (let i = 0; i < a.length; i++) {
        const relative = relativeDifference(a[i], b[i]);
        if (relative > worst.relative) Object.assign(worst, { i, relative });
      }
      note(worst.relative, `${files.lastCheckpoint} ${name}[${worst.i}]: ${a[worst.i]} vs ${b[worst.i]}`);
    }
    if (problems.length > 0) {
      const tol = options.tolerance > 0 ? ` beyond relative tolerance ${options.tolerance}` : '';
      throw new MismatchError(`${runDir} does not reproduce${tol}:\n  ${problems.join('\n  ')}`);
    }
    return { runDir, epochs: before.length, tensors: names.length, maxRelative };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
