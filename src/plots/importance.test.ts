import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../random/rng.js';
import { pedAnova } from './importance.js';
import type { SweepParam, Trial } from './sweep-data.js';

function trials(n: number, objective: (x: number, y: number, c: string) => number): Trial[] {
  const rng = Rng.stream(7, 'importance-test');
  const labels = ['a', 'b', 'c'];
  return Array.from({ length: n }, (_, trial) => {
    const x = 10 ** (-4 + 4 * rng.uniform());
    const y = rng.uniform();
    const c = labels[rng.int(3)];
    return { trial, status: 'finished', params: { lr: x, y, c }, value: objective(x, y, c), std: null, foldValues: [], bestEpoch: null, seconds: null };
  });
}

const params: SweepParam[] = [
  { id: 'lr', kind: 'float', low: 1e-4, high: 1, log: true },
  { id: 'y', kind: 'float', low: 0, high: 1 },
  { id: 'c', kind: 'categorical', labels: ['a', 'b', 'c'] },
];

test('PED-ANOVA: the one parameter that matters (on a log scale) takes nearly all the importance', () => {
  // the objective depends on log10(lr) alone, best near lr = 1e-2
  const result = pedAnova(params, trials(300, (lr) => (Math.log10(lr) + 2) ** 2), 'min');
  const share = Object.fromEntries(result.map((r) => [r.id, r.share]));
  assert.ok(share.lr > 0.8, `lr ${share.lr}`);
  assert.ok(share.y < 0.1 && share.c < 0.1, `y ${share.y}, c ${share.c}`);
  assert.ok(Math.abs(result.reduce((s, r) => s + r.share, 0) - 1) < 1e-12);
  assert.deepEqual(result.map((r) => r.trials), [300, 300, 300]);
});

test('PED-ANOVA: a categorical parameter that matters, when maximizing; failed trials are left out', () => {
  const data = trials(300, (_lr, _y, c) => (c === 'b' ? 1 : 0));
  data[0].value = null;
  const share = Object.fromEntries(pedAnova(params, data, 'max').map((r) => [r.id, r.share]));
  assert.ok(share.c > 0.8, `c ${share.c}`);
});

test('PED-ANOVA: with too few trials every share is 0', () => {
  assert.deepEqual(pedAnova(params, trials(3, (x) => x), 'min').map((r) => r.share), [0, 0, 0]);
});
