// dlx runs [DIR]: a table of run folders.
import type { Command } from 'commander';
import { listRuns } from '../../run/list-runs.js';
import { listSweeps } from '../../run/list-sweeps.js';
import { fixed, line, percent, table, type Io } from '../io.js';

export async function runsCommand(io: Io, dir: string, flags: { json?: boolean }): Promise<void> {
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
  if (rows.length === 0) {
    if (sweeps.length === 0) line(io.out, `no runs in ${dir}`);
    return;
  }
  line(io.out, table(
    ['name', 'run', 'started', 'status', 'epochs', 'best epoch', 'best val_loss', 'best val_acc'],
    rows.map((r) => [r.name, r.folder, r.started?.replace('T', ' ').slice(0, 19) ?? '-', r.status, String(r.epochs ?? '-'), String(r.bestEpoch ?? '-'), fixed(r.bestValLoss), percent(r.bestValAcc)]),
  ));
}

export function registerRuns(program: Command, io: Io, run: (action: () => Promise<void>) => Promise<void>): void {
  program
    .command('runs')
    .description('list the runs in a runs directory with their status and best validation metrics')
    .argument('[dir]', 'the runs directory', 'runs')
    .option('--json', 'print a JSON array')
    .addHelpText('after', '\nExample:\n  dlx runs runs/ --json')
    .action((dir: string, flags: { json?: boolean }) => run(() => runsCommand(io, dir, flags)));
}
