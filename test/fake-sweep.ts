// A sweep folder as `dlx sweep` writes it (the contract in src/run/sweep-folder.ts), made up
// for tests of plots and reports: the objective depends on optimizer.lr (log scale) alone.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../src/random/rng.js';

export function fakeSweep(dir: string, options: { trials?: number; folds?: number | null } = {}): string {
  const n = options.trials ?? 40;
  const folds = options.folds ?? null;
  const sweepDir = join(dir, 'runs', 'fake', 'sweep-20261128-100000-abc123');
  mkdirSync(join(sweepDir, 'trials'), { recursive: true });
  const params = [
    { id: 'optimizer.lr', kind: 'float', low: 1e-4, high: 1, log: true },
    { id: 'train.batchSize', kind: 'int', low: 8, high: 128, log: true, step: 1 },
    { id: 'optimizer', kind: 'categorical', labels: ['sgd', 'adam'], choices: [{ type: 'sgd' }, { type: 'adam' }] },
    { id: 'optimizer[0].momentum', kind: 'float', low: 0, high: 0.99, log: false },
  ];
  writeFileSync(join(sweepDir, 'spec.yaml'), 'name: fake\ndata: {dataset: iris}\nmodel: {layers: [{type: dense, units: 3}]}\nsweep: {method: random, trials: 40, metric: val_acc}\n');
  writeFileSync(join(sweepDir, 'sweep.json'), JSON.stringify({ name: 'fake', method: 'random', trials: n, seed: 1, metric: 'val_acc', mode: 'max', folds, params }, null, 2));
  const rng = Rng.stream(3, 'fake-sweep');
  const rows: string[] = [];
  let best = { trial: -1, value: -Infinity, params: {} as Record<string, unknown> };
  for (let trial = 0; trial < n; trial++) {
    const lr = 10 ** (-4 + 4 * rng.uniform());
    const batch = Math.round(2 ** (3 + 4 * rng.uniform()));
    const optimizer = rng.uniform() < 0.5 ? 'sgd' : 'adam';
    const momentum = optimizer === 'sgd' ? Math.round(99 * rng.uniform()) / 100 : null;
    const base = 0.95 - 0.08 * (Math.log10(lr) + 1.5) ** 2;
    const foldValues = folds ? Array.from({ length: folds }, () => base + 0.02 * (rng.uniform() - 0.5)) : [];
    const failed = trial === 5;
    const value = failed ? null : folds ? foldValues.reduce((a, b) => a + b, 0) / folds : base;
    const std = folds && !failed ? Math.sqrt(foldValues.reduce((a, v) => a + (v - value!) ** 2, 0) / folds) : null;
    const status = failed ? 'failed' : trial % 7 === 3 ? 'stopped-early' : 'finished';
    rows.push([trial, status, lr, batch, optimizer, momentum ?? '', value ?? '', std ?? '', failed ? '' : foldValues.join(';'), failed ? '' : 10, 1.5].join(','));
    if (value !== null && value > best.value) best = { trial, value, params: { 'optimizer.lr': lr, 'train.batchSize': batch, optimizer, 'optimizer[0].momentum': momentum } };
  }
  writeFileSync(join(sweepDir, 'summary.csv'), `trial,status,${params.map((p) => p.id).join(',')},value,std,fold_values,best_epoch,seconds\n${rows.join('\n')}\n`);
  writeFileSync(join(sweepDir, 'best.json'), JSON.stringify({ ...best, runDir: `trials/${best.trial}` }));
  writeFileSync(join(sweepDir, 'journal.jsonl'), '');
  return sweepDir;
}
