// dlx datasets list | info NAME | fetch NAME: the built-in datasets.
import type { Command } from 'commander';
import { SpecError } from '../../common/errors.js';
import { didYouMean } from '../../common/suggest.js';
import type { DatasetComponent } from '../../data/dataset.js';
import type { Run } from '../flags.js';
import { line, table, type Io } from '../io.js';

/** The registry, imported on use: it pulls in every dataset's schema. */
const registry = async () => (await import('../../data/datasets/index.js')).datasets;

async function named(name: string): Promise<DatasetComponent> {
  const datasets = await registry();
  const d = datasets.find((c) => c.type === name);
  if (!d) throw new SpecError([`dataset '${name}'${didYouMean(name, datasets.map((c) => c.type))}: expected one of ${datasets.map((c) => c.type).join(', ')}`]);
  return d;
}

export async function datasetsListCommand(io: Io, flags: { json?: boolean }): Promise<void> {
  const rows = (await registry()).map((d) => ({ name: d.type, summary: d.summary, ...d.origin() }));
  if (flags.json) {
    line(io.out, JSON.stringify(rows));
    return;
  }
  line(io.out, table(['name', 'present', 'source', 'description'], rows.map((r) => [r.name, r.present ? 'yes' : 'no', r.source, r.summary])));
}

export function registerDatasets(program: Command, io: Io, run: Run): void {
  const group = program.command('datasets').description('the built-in datasets: list, info, fetch');
  group
    .command('list')
    .description('every built-in dataset, where it comes from and whether it is present')
    .option('--json', 'print a JSON array')
    .addHelpText('after', '\nExample:\n  dlx datasets list')
    .action((flags: { json?: boolean }) => run(() => datasetsListCommand(io, flags)));
  group
    .command('info')
    .description('one dataset: what it is, where it comes from, whether it is present, what to know')
    .argument('<name>', 'a dataset name from dlx datasets list')
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExample:\n  dlx datasets info morse')
    .action((name: string, flags: { json?: boolean }) => run(async () => {
      const d = await named(name);
      const info = { name: d.type, summary: d.summary, ...d.origin(), downloadable: d.fetch !== undefined, notes: d.notes ?? [] };
      if (flags.json) {
        line(io.out, JSON.stringify(info));
        return;
      }
      line(io.out, `${info.name}: ${info.summary}`);
      line(io.out, `source: ${info.source}`);
      line(io.out, `present: ${info.present ? 'yes' : 'no'}${info.downloadable && !info.present ? ' (dlx datasets fetch ' + info.name + ')' : ''}`);
      for (const note of info.notes) line(io.out, io.color.yellow(`note: ${note}`));
    }));
  group
    .command('fetch')
    .description('download a dataset into the cache (DLX_CACHE, else ~/.cache/dlx), checksum-verified')
    .argument('<name>', 'a dataset name from dlx datasets list')
    .addHelpText('after', '\nExample:\n  dlx datasets fetch cifar10')
    .action((name: string) => run(async () => {
      const d = await named(name);
      if (!d.fetch) {
        line(io.out, `${name} needs no download: ${d.origin().source}`);
        return;
      }
      line(io.out, `${name} is in ${await d.fetch()}`);
    }));
}
