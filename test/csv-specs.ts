// Small CSV datasets and specs for the CLI tests of tabular data.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Two separable classes, `rows` rows: x1, x2, label. */
export function twoClassCsv(rows: number, label = (r: number) => String(r % 2)): string {
  const lines = Array.from({ length: rows }, (_, r) => `${(r % 2) * 2 + (r % 7) / 10},${(r % 5) / 5},${label(r)}`);
  return `x1,x2,label\n${lines.join('\n')}\n`;
}

export function csvSpec(dir: string, csv: string, units = 2, extra = ''): string {
  writeFileSync(join(dir, 'data.csv'), csv);
  writeFileSync(join(dir, 'spec.yaml'), `name: tab
data: {dataset: {type: csv, path: data.csv, target: label${extra}}, normalize: [zscore]}
model: {layers: [{type: dense, units: 8}, relu, {type: dense, units: ${units}}]}
optimizer: {type: sgd, lr: 0.1}
train: {epochs: 2, batchSize: 16}
`);
  return join(dir, 'spec.yaml');
}
