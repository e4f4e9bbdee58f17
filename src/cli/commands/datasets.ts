// dlx datasets list: the built-in datasets, where they come from, whether they are here.
import type { Command } from 'commander';
import { datasets } from '../../data/datasets/index.js';
import { line, table, type Io } from '../io.js';

export async function datasetsListCommand(io: Io, flags: { json?: boolean }): Promise<void> {
  const rows = datasets.map((d) => ({ name: d.type, summary: d.summary, ...d.origin() }));
  if (flags.json) {
    line(io.out, JSON.stringify(rows));
    return;
  }
  line(io.out, table(['name', 'present', 'source', 'description'], rows.map((r) => [r.name, r.present ? 'yes' : 'no', r.source, r.summary])));
}

export function registerDatasets(program: Command, io: Io, run: (action: () => Promise<void>) => Promise<void>): void {
  const group = program.command('datasets').description('the built-in datasets');
  group
    .command('list')
    .description('every built-in dataset, where it comes from and whether it is present')
    .option('--json', 'print a JSON array')
    .addHelpText('after', '\nExample:\n  dlx datasets list')
    .action((flags: { json?: boolean }) => run(() => datasetsListCommand(io, flags)));
}
