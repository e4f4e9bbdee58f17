// `dlx runs` lists sweeps too: each sweep folder with its method, progress and best trial.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readJournal, sweepFiles, type SweepJson } from './sweep-folder.js';

export interface SweepRow {
  name: string;
  folder: string;
  path: string;
  started: string;
  method: string;
  /** finished, or stopped (interrupted or killed: dlx resume continues it). */
  status: 'finished' | 'stopped';
  asked: number;
  budget: number;
  counts: Record<string, number>;
  metric: string;
  best: { trial: number; value: number } | null;
}

export async function listSweeps(runsDir: string): Promise<SweepRow[]> {
  const rows: SweepRow[] = [];
  const names = (await readdir(runsDir, { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  for (const name of names) {
    const folders = (await readdir(join(runsDir, name)).catch(() => [] as string[])).filter((f) => f.startsWith('sweep-')).sort();
    for (const folder of folders) {
      const path = join(runsDir, name, folder);
      const meta = await readFile(join(path, sweepFiles.sweep), 'utf8').then((t) => JSON.parse(t) as SweepJson).catch(() => undefined);
      if (!meta) continue;
      const events = await readJournal(path).catch(() => []);
      const counts: Record<string, number> = {};
      const asked = new Set<number>();
      let best: SweepRow['best'] = null;
      for (const e of events) {
        if (e.event === 'asked') asked.add(e.trial);
        if (e.event !== 'ended') continue;
        counts[e.result.status] = (counts[e.result.status] ?? 0) + 1;
        const v = e.result.value;
        if (v !== null && (e.result.status === 'finished' || e.result.status === 'stopped-early') && (!best || (meta.mode === 'min' ? v < best.value : v > best.value))) best = { trial: e.trial, value: v };
      }
      rows.push({
        name, folder, path, started: meta.createdAt, method: meta.method,
        status: events.some((e) => e.event === 'finished') ? 'finished' : 'stopped',
        asked: asked.size, budget: meta.trials, counts, metric: meta.metric, best,
      });
    }
  }
  return rows;
}

/** The run folders of a sweep's trials (a cross-validated trial: its first fold), in trial order. */
export async function sweepTrialRuns(sweepDir: string): Promise<string[]> {
  const meta = JSON.parse(await readFile(join(sweepDir, sweepFiles.sweep), 'utf8')) as SweepJson;
  const trials = (await readdir(join(sweepDir, sweepFiles.trials)).catch(() => [] as string[])).filter((t) => /^\d+$/.test(t)).map(Number).sort((a, b) => a - b);
  const runs = trials.map((t) => join(sweepDir, sweepFiles.trials, String(t), ...(meta.folds ? ['fold-1'] : [])));
  const real = await Promise.all(runs.map((r) => readFile(join(r, 'metrics.json')).then(() => r, () => undefined)));
  return real.filter((r): r is string => r !== undefined);
}
