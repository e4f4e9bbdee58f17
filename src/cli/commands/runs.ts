// dlx runs [DIR]: a table of run folders.
import type { Command } from 'commander';
import type { Run } from '../flags.js';
import { fixed, line, percent, table, type Io } from '../io.js';

export async function runsCommand(io: Io, dir: string, flags: { json?: boolean }): Promise<void> {
  const { listRuns } = await import('../../run/list-runs.js');
  const rows = await listRuns(dir);
  if (flags.json) {
    line(io.out, JSON.stringify(rows));
    return;
  }
  if (rows.length === 0) {
    line(io.out, `no runs in ${dir}`);
    return;
  }
  line(io.out, table(
    ['name', 'run', 'started', 'status', 'epochs', 'best epoch', 'best val_loss', 'best val_acc'],
    rows.map((r) => [r.name, r.folder, r.started?.replace('T', ' ').slice(0, 19) ?? '-', r.status, String(r.epochs ?? '-'), String(r.bestEpoch ?? '-'), fixed(r.bestValLoss), percent(r.bestValAcc)]),
  ));
}

export function registerRuns(program: Command, io: Io, run: Run): void {
  program
    .command('runs')
    .description('list the runs in a runs directory with their status and best validation metrics')
    .argument('[dir]', 'the runs directory', 'runs')
    .option('--json', 'print a JSON array')
    .addHelpText('after', '\nExample:\n  dlx runs runs/ --json')
    .action((dir: string, flags: { json?: boolean }) => run(() => runsCommand(io, dir, flags)));
}
