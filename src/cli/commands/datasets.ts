// dlx datasets list | info NAME | fetch NAME: the built-in datasets.
import { SpecError } from '../../common/errors.js';
import { didYouMean } from '../../common/suggest.js';
import type { DatasetComponent } from '../../data/dataset.js';
import { line, table, type Io } from '../io.js';

/** The registry, imported on use: it pulls in every dataset's schema. */
const registry = async () => (await import('../../data/datasets/index.js')).datasets;

async function named(name: string): Promise<DatasetComponent> {
  const datasets = await registry();
  const d = datasets.find((c) => c.type === name);
  if (!d) throw new SpecError([`dataset '${name}'${didYouMean(name, datasets.map((c) => c.type))}: expected one of ${datasets.map((c) => c.type).join(', ')}`]);
  return d;
}

export async function datasetsListCommand(io: Io, _signal: AbortSignal, flags: { json?: boolean }): Promise<void> {
  const rows = (await registry()).map((d) => ({ name: d.type, summary: d.summary, ...d.origin() }));
  if (flags.json) {
    line(io.out, JSON.stringify(rows));
    return;
  }
  line(io.out, table(['name', 'present', 'source', 'description'], rows.map((r) => [r.name, r.present ? 'yes' : 'no', r.source, r.summary])));
}

export async function datasetsInfoAction(io: Io, _signal: AbortSignal, name: string, flags: { json?: boolean }): Promise<void> {
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
}

export async function datasetsFetchAction(io: Io, _signal: AbortSignal, name: string): Promise<void> {
  const d = await named(name);
  if (!d.fetch) {
    line(io.out, `${name} needs no download: ${d.origin().source}`);
    return;
  }
  line(io.out, `${name} is in ${await d.fetch()}`);
}
