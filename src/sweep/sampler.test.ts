import assert from 'node:assert/strict';
import { test } from 'node:test';
import { suggest, trialSeed, type TrialView } from './sampler.js';
import { parseSpace, readable, type Assignment } from './space.js';

const simple = parseSpace({ 'optimizer.lr': { 'log-uniform': [1e-4, 1] }, 'model.layers.0.units': { int: [8, 64], step: 8 } }, []);

test('random: trial n draws the same values whatever was asked before, and different trials differ', () => {
  const ask = (trial: number, seed = 7) => suggest({ method: 'random', space: simple, seed, trial, history: [] });
  assert.deepEqual(ask(5), ask(5));
  const five = ask(5);
  for (let t = 0; t < 5; t++) ask(t);
  assert.deepEqual(ask(5), five);
  assert.notDeepEqual(ask(4), ask(5));
  assert.notDeepEqual(ask(5, 8), ask(5, 7));
  for (let t = 0; t < 50; t++) {
    const v = readable(simple, ask(t));
    assert.ok((v['optimizer.lr'] as number) >= 1e-4 && (v['optimizer.lr'] as number) <= 1);
    assert.ok([8, 16, 24, 32, 40, 48, 56, 64].includes(v['model.layers.0.units'] as number));
  }
});

test('random on a log scale: about as many draws per decade', () => {
  const decades = [0, 0, 0, 0];
  for (let t = 0; t < 4000; t++) {
    const lr = readable(simple, suggest({ method: 'random', space: simple, seed: 1, trial: t, history: [] }))['optimizer.lr'] as number;
    decades[Math.min(3, Math.floor(-Math.log10(lr)))]++;
  }
  for (const d of decades) assert.ok(d > 850 && d < 1150, `decade counts ${decades}`);
});

test('trial seeds derive from the sweep seed and the trial number', () => {
  assert.equal(trialSeed(3, 4), trialSeed(3, 4));
  assert.notEqual(trialSeed(3, 4), trialSeed(3, 5));
  assert.notEqual(trialSeed(3, 4), trialSeed(4, 4));
});

test('TPE on a conditional space: a branch param is modelled only from trials that chose its branch', () => {
  const tree = parseSpace({
    optimizer: { choice: [{ type: 'sgd', lr: { 'log-uniform': [1e-3, 1] } }, { type: 'adam', lr: { 'log-uniform': [1e-4, 1e-2] } }] },
  }, []);
  // 20 trials: sgd always good at lr ≈ 0.1, adam always bad
  const history: TrialView[] = Array.from({ length: 20 }, (_, n) => {
    const sgd = n % 2 === 0;
    // sgd's lrs spread over its range, best at 0.1; adam's all bad
    const lr = sgd ? 10 ** (-3 + (3 * ((n * 7) % 20)) / 19) : 1e-3;
    const assignment: Assignment = sgd ? { optimizer: 0, 'optimizer[0].lr': lr } : { optimizer: 1, 'optimizer[1].lr': lr };
    return { number: n, assignment, state: 'complete', value: sgd ? Math.abs(Math.log10(lr) + 1) : 5, step: 1 };
  });
  let sgd = 0;
  let near = 0;
  for (let t = 20; t < 60; t++) {
    const a = suggest({ method: 'tpe', space: tree, seed: 1, trial: t, history });
    if (a.optimizer === 0) {
      sgd++;
      assert.ok(!('optimizer[1].lr' in a));
      if (a['optimizer[0].lr'] > 0.02 && a['optimizer[0].lr'] < 0.5) near++;
    } else assert.ok(!('optimizer[0].lr' in a));
  }
  assert.ok(sgd >= 30, `TPE prefers the good branch: ${sgd} of 40`);
  // uniform on the log scale would put 43 % of sgd's lrs in [0.02, 0.5]
  assert.ok(near / sgd > 0.7, `sgd's lr concentrates near 0.1: ${near} of ${sgd}`);
});
