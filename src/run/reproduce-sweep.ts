// `dlx reproduce SWEEP`: the sweep again, from its folder's spec copy, in a temporary folder, with
// the same workers, backend and threads; summary.csv (seconds aside), every trial's curve.csv
// (timings aside) and last checkpoint must match byte for byte.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '../common/errors.js';
import { files } from './layout.js';
import { MismatchError } from './reproduce.js';
import { readJournal, sweepFiles } from './sweep-folder.js';
import { sweepTrialRuns } from './list-sweeps.js';
import { loadStoredSweep, startLoadedSweep, type SweepOptions } from './sweep.js';

const lines = async (path: string, dropColumns: number) => (await readFile(path, 'utf8')).trim().split('\n').map((l) => (dropColumns ? l.split(',').slice(0, -dropColumns).join(',') : l));

export async function reproduceSweep(sweepDir: string, options: Pick<SweepOptions, 'trialEntry' | 'argv' | 'signal'>): Promise<{ trials: number }> {
  if (!(await readJournal(sweepDir)).some((e) => e.event === 'finished')) {
    throw new DataError(`${sweepDir}: the sweep has not finished; resume it first (dlx resume ${sweepDir})`);
  }
  const { sweep, meta } = await loadStoredSweep(sweepDir);
  const overrides = JSON.parse(await readFile(join(sweepDir, 'overrides.json'), 'utf8')) as string[];
  const scratch = await mkdtemp(join(tmpdir(), 'dlx-reproduce-sweep-'));
  try {
    const again = await startLoadedSweep(sweep, meta.specFile, overrides, { ...options, runsDir: scratch, backend: meta.backend, threads: meta.threads, workers: meta.workers });
    const problems: string[] = [];
    const [a, b] = [await lines(join(sweepDir, sweepFiles.summary), 1), await lines(join(again.sweepDir, sweepFiles.summary), 1)];
    a.forEach((row, i) => {
      if (row !== b[i] && problems.length < 10) problems.push(`summary.csv row ${i + 1}: ${row} ≠ ${b[i] ?? '(none)'}`);
    });
    if (a.length !== b.length) problems.push(`summary.csv: ${a.length - 1} trials, the rerun has ${b.length - 1}`);
    const [runs, rerun] = [await sweepTrialRuns(sweepDir), await sweepTrialRuns(again.sweepDir)];
    for (const [i, run] of runs.entries()) {
      const other = rerun[i];
      if (!other) continue;
      if ((await lines(join(run, files.curve), 2)).join('\n') !== (await lines(join(other, files.curve), 2)).join('\n')) problems.push(`${run}: curve.csv differs`);
      const [x, y] = [await readFile(join(run, files.lastCheckpoint)), await readFile(join(other, files.lastCheckpoint))];
      if (!x.equals(y)) problems.push(`${run}: the last checkpoint differs`);
    }
    if (problems.length > 0) throw new MismatchError(`${sweepDir} did not reproduce:\n${problems.join('\n')}`);
    return { trials: runs.length };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
