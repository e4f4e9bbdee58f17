// dlx runs [DIR]: a table of run folders; --clean removes abandoned staging folders.
import type { RunRow } from '../../run/list-runs.js';
import { fixed, line, percent, table, type Io } from '../io.js';

function render(rows: RunRow[]): string {
  const withTest = rows.some((r) => r.testLoss !== null);
  // accuracy columns for classifiers, R² columns for regressions, both when the folder has both
  const withAcc = rows.some((r) => r.bestValR2 === null);
  const withR2 = rows.some((r) => r.bestValR2 !== null);
  const best = (r: RunRow) => (r.bestEpoch === null ? '-' : `${r.bestEpoch} (${r.bestMonitor})`);
  const headers = ['name', 'run', 'started', 'status', 'epochs', 'best epoch (by)', 'val_loss@best',
    ...(withAcc ? ['val_acc@best'] : []), ...(withR2 ? ['val_r2@best'] : []),
    ...(withTest ? ['test_loss', ...(withAcc ? ['test_acc'] : []), ...(withR2 ? ['test_r2'] : [])] : [])];
  const cells = rows.map((r) => [
    r.name, r.folder, r.started?.replace('T', ' ').slice(0, 19) ?? '-', r.status, String(r.epochs ?? '-'), best(r), fixed(r.bestValLoss),
    ...(withAcc ? [percent(r.bestValAcc)] : []), ...(withR2 ? [fixed(r.bestValR2)] : []),
    ...(withTest ? [fixed(r.testLoss), ...(withAcc ? [percent(r.testAcc)] : []), ...(withR2 ? [fixed(r.testR2)] : [])] : []),
  ]);
  const notes = rows.flatMap((r) => [
    ...r.problems.map((p) => `damaged ${r.path}: ${p}`),
    ...(r.status === 'abandoned' ? [`abandoned ${r.path}: killed before its first epoch; dlx resume continues it, dlx runs --clean removes it`] : []),
  ]);
  return [table(headers, cells), ...(notes.length > 0 ? ['', ...notes] : [])].join('\n');
}

export async function runsCommand(io: Io, _signal: AbortSignal, dir: string, flags: { json?: boolean; clean?: boolean }): Promise<void> {
  const { cleanAbandoned, listRuns } = await import('../../run/list-runs.js');
  const { listSweeps } = await import('../../run/list-sweeps.js');
  if (flags.clean) {
    const removed = await cleanAbandoned(dir);
    if (flags.json) line(io.out, JSON.stringify({ removed }));
    else line(io.out, removed.length === 0 ? `no abandoned staging folders in ${dir}` : removed.map((p) => `removed ${p}`).join('\n'));
    return;
  }
  const rows = await listRuns(dir);
  const sweeps = await listSweeps(dir);
  if (flags.json) {
    line(io.out, JSON.stringify(sweeps.length === 0 ? rows : [...rows, ...sweeps.map((s) => ({ kind: 'sweep', ...s }))]));
    return;
  }
  if (sweeps.length > 0) {
    line(io.out, table(
      ['sweep', 'folder', 'started', 'method', 'status', 'trials', 'ended', 'best'],
      sweeps.map((s) => [s.name, s.folder, s.started.replace('T', ' ').slice(0, 19), s.method, s.status, `${s.asked}/${s.budget}`, Object.entries(s.counts).map(([k, v]) => `${v} ${k}`).join(', ') || '-', s.best ? `trial ${s.best.trial}: ${s.metric} ${Number(s.best.value.toPrecision(6))}` : '-']),
    ));
    line(io.out);
  }
  if (rows.length > 0 || sweeps.length === 0) line(io.out, rows.length === 0 ? `no runs in ${dir}` : render(rows));
}
