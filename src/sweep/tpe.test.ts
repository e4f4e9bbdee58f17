import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../random/rng.js';
import { sampleUniform, type Distribution, type FloatDist, type IntDist } from './distribution.js';
import { buildEstimator, logPdf, type NumericalEstimator } from './parzen-estimator.js';
import { defaultGamma, defaultWeights, splitHistory, tpeDefaults, tpeSuggest, type TpeObservation } from './tpe.js';

const done = (x: number, value: number): TpeObservation => ({ x, state: 'complete', value, step: 0 });
const close = (actual: number, expected: number, tol = 1e-4) =>
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${actual} ≠ ${expected}`);

// x in [0, 10]; five finished trials; γ = 2 so l(x) has two observations.
const unit: FloatDist = { kind: 'float', low: 0, high: 10, log: false };
const tiny = [done(1, 0.5), done(4, 0.2), done(6, 0.1), done(9, 0.8), done(7, 0.9)];
const tinyOptions = { ...tpeDefaults, gamma: () => 2 };

test('l(x) and g(x) of a tiny 1-D history, checked by hand', () => {
  // below: the two best values, 0.1 (x = 6) and 0.2 (x = 4), oldest first; above: the rest
  const { below, above } = splitHistory(tiny, tinyOptions);
  assert.deepEqual(below, [4, 6]);
  assert.deepEqual(above, [1, 9, 7]);

  // l: components at 4, 6 and the prior at the middle 5. Sorted with the ends: 0 | 4 5 6 | 10.
  // Outermost look inward only: σ(4) = 5 − 4 = 1, σ(6) = 6 − 5 = 1; clipped up to
  // 10 / min(100, 1 + 3) = 2.5. The prior's σ is the range, 10. Weights flat: 1/3 each.
  const l = buildEstimator(unit, below, tinyOptions) as NumericalEstimator;
  assert.deepEqual(l.mus, [4, 6, 5]);
  assert.deepEqual(l.sigmas, [2.5, 2.5, 10]);
  l.weights.forEach((w) => close(w, 1 / 3, 1e-12));

  // g: components at 1, 9, 7, prior 5. Sorted: 0 | 1 5 7 9 | 10. σ(1) = 5 − 1 = 4 (inward),
  // σ(7) = max(7 − 5, 9 − 7) = 2, σ(9) = 9 − 7 = 2 (inward); the floor 10 / 5 = 2 changes nothing.
  const g = buildEstimator(unit, above, tinyOptions) as NumericalEstimator;
  assert.deepEqual(g.mus, [1, 9, 7, 5]);
  assert.deepEqual(g.sigmas, [4, 2, 2, 10]);
  g.weights.forEach((w) => close(w, 1 / 4, 1e-12));

  // Densities at x = 5, each kernel φ(z) / (σ·(Φ(b) − Φ(a))) on [0, 10], from a Φ table:
  //   l: μ 4, σ 2.5: z 0.4, φ 0.368270, mass Φ(2.4) − Φ(−1.6) = 0.991802 − 0.054799 = 0.937003 → 0.157212
  //      μ 6, σ 2.5: the mirror image → 0.157212
  //      μ 5, σ 10:  z 0,   φ 0.398942, mass Φ(0.5) − Φ(−0.5) = 0.382925            → 0.104183
  //      l(5) = (0.157212 + 0.157212 + 0.104183) / 3 = 0.139536
  //   g: μ 1, σ 4: z 1,  φ 0.241971, mass Φ(2.25) − Φ(−0.25) = 0.987776 − 0.401294 = 0.586482 → 0.103145
  //      μ 9, σ 2: z −2, φ 0.053991, mass Φ(0.5) − Φ(−4.5) = 0.691462 − 0.000003 = 0.691459  → 0.039041
  //      μ 7, σ 2: z −1, φ 0.241971, mass Φ(1.5) − Φ(−3.5) = 0.933193 − 0.000233 = 0.932960  → 0.129679
  //      prior → 0.104183;  g(5) = (0.103145 + 0.039041 + 0.129679 + 0.104183) / 4 = 0.094012
  close(Math.exp(logPdf(l, unit, 5, true)), 0.139536);
  close(Math.exp(logPdf(g, unit, 5, true)), 0.094012);

  // TPE scores as Optuna 3.1, each kernel without its 1/σ: φ(z) / mass
  //   l: 0.368270 / 0.937003 = 0.393030 (twice), prior 0.398942 / 0.382925 = 1.041829
  //      l̃(5) = (0.393030 + 0.393030 + 1.041829) / 3 = 0.609296
  //   g: 0.241971 / 0.586482 = 0.412580, 0.053991 / 0.691459 = 0.078083,
  //      0.241971 / 0.932960 = 0.259358, prior 1.041829;  g̃(5) = 1.791850 / 4 = 0.447962
  //   score log(0.609296 / 0.447962) = 0.307595
  close(Math.exp(logPdf(l, unit, 5)), 0.609296);
  close(Math.exp(logPdf(g, unit, 5)), 0.447962);
  close(logPdf(l, unit, 5) - logPdf(g, unit, 5), 0.307595);
});

test('the estimators equal Optuna 3.1’s (values printed by optuna 3.1.0’s _ParzenEstimator)', () => {
  const float: FloatDist = { kind: 'float', low: -5, high: 10, log: false };
  const f = buildEstimator(float, [1, 2.5, -3, 9, 2.6], tpeDefaults) as NumericalEstimator;
  assert.deepEqual(f.sigmas, [4, 2.142857142857143, 4, 6.4, 6.4, 15]);
  [-0.7478058986295884, -0.6832888776588029, -0.9938027304699247].forEach((v, i) => close(logPdf(f, float, [0, 2.5, 7.7][i]), v, 1e-13));
  const logInt: IntDist = { kind: 'int', low: 1, high: 1000, log: true, step: 1 };
  const li = buildEstimator(logInt, [2, 30, 400], tpeDefaults) as NumericalEstimator;
  [2.414406806171976, 2.5902671654458262, 2.5902671654458262, 7.601402334583733].forEach((v, i) => close(li.sigmas[i], v, 1e-13));
  [-0.834503107807908, -0.6031384548135826, -0.8450667609130612].forEach((v, i) => close(logPdf(li, logInt, [1, 31, 1000][i]), v, 1e-13));
  // 40 observations: the weights ramp for the oldest 15; the bandwidth floor is 1 / min(100, 1 + 41)
  const many = buildEstimator({ kind: 'float', low: 0, high: 1, log: false }, Array.from({ length: 40 }, (_, i) => (i / 39) ** 2), tpeDefaults) as NumericalEstimator;
  close(many.weights[0], 0.0007421150278293136, 1e-13);
  close(many.weights[1], 0.002809435462496687, 1e-13);
  close(many.sigmas[0], 1 / 42, 1e-13);
  close(logPdf(many, { kind: 'float', low: 0, high: 1, log: false }, 0.1), -2.7027182818192887, 1e-13);
  close(logPdf(many, { kind: 'float', low: 0, high: 1, log: false }, 0.5), -2.7965196934495857, 1e-13);
});

test('a continuous mixture (normalized) integrates to 1 on its range; a stepped one sums to 1 over its grid', () => {
  const l = buildEstimator(unit, [4, 6], tpeDefaults);
  let integral = 0;
  const m = 2000;
  for (let i = 0; i < m; i++) integral += (Math.exp(logPdf(l, unit, ((i + 0.5) / m) * 10, true)) * 10) / m; // midpoint rule
  close(integral, 1, 1e-5);
  const stepped: FloatDist = { kind: 'float', low: 0, high: 1, log: false, step: 0.25 };
  const ints: IntDist = { kind: 'int', low: 1, high: 10, log: false, step: 1 };
  const cases: [Distribution, number[], number[]][] = [
    [stepped, [0.25, 0.5], [0, 0.25, 0.5, 0.75, 1]],
    [ints, [3, 3, 7], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
  ];
  for (const [dist, obs, grid] of cases) {
    const est = buildEstimator(dist, obs, tpeDefaults);
    close(grid.reduce((s, x) => s + Math.exp(logPdf(est, dist, x)), 0), 1, 1e-9);
  }
});

test('Optuna’s γ and weights: γ(n) = min(⌈0.1·n⌉, 25); flat below 25 observations, then a ramp', () => {
  assert.deepEqual([0, 1, 10, 11, 30, 31, 250, 1000].map(defaultGamma), [0, 1, 1, 2, 3, 4, 25, 25]);
  assert.deepEqual(defaultWeights(3), [1, 1, 1]);
  assert.deepEqual(defaultWeights(25), new Array(25).fill(1));
  assert.deepEqual(defaultWeights(26), [1 / 26, ...new Array(25).fill(1)]);
  const w = defaultWeights(30); // numpy.linspace(1/30, 1, 5), then 25 ones
  assert.equal(w.length, 30);
  [1 / 30, 0.275, 0.5166666666666667, 0.7583333333333333, 1].forEach((v, i) => close(w[i], v, 1e-12));
});

test('ranking: complete trials by value, then pruned by step (later first) and value, then pending; n counts no pending', () => {
  const history: TpeObservation[] = [
    { x: 0, state: 'pruned', value: -100, step: 3 }, // pruned early: after every complete trial
    { x: 1, state: 'complete', value: 5, step: 0 },
    { x: 2, state: 'pending', value: -1e9, step: 0 }, // a constant liar: worst of all
    { x: 3, state: 'pruned', value: 7, step: 8 },
    { x: 4, state: 'complete', value: 9, step: 0 },
    { x: 5, state: 'pruned', value: 1, step: 8 },
  ];
  const seen: number[] = [];
  const split = (k: number, constantLiar: boolean) =>
    splitHistory(history, { ...tpeDefaults, constantLiar, gamma: (n) => (seen.push(n), k) });
  // order: 1 (5), 4 (9), 5 (step 8, value 1), 3 (step 8, value 7), 0 (step 3), 2 (pending)
  assert.deepEqual(split(3, true), { below: [1, 4, 5], above: [0, 2, 3] });
  assert.deepEqual(split(5, true), { below: [0, 1, 3, 4, 5], above: [2] });
  assert.deepEqual(split(5, false), { below: [0, 1, 3, 4, 5], above: [] });
  assert.deepEqual(seen, [5, 5, 5]);
});

test('start-up: fewer than 10 finished trials (pending ones not counted) draw uniformly from the same stream', () => {
  const history = [...Array.from({ length: 9 }, (_, i) => done(i, i)), { x: 3, state: 'pending' as const, value: 0, step: 0 }];
  const a = Rng.stream(1, 'sampler/9');
  const b = Rng.stream(1, 'sampler/9');
  assert.equal(tpeSuggest(unit, history, a), sampleUniform(unit, b));
  assert.deepEqual(a.state, b.state);
  // the tenth finished trial ends the start-up
  const c = Rng.stream(1, 'sampler/10');
  const d = Rng.stream(1, 'sampler/10');
  assert.notEqual(tpeSuggest(unit, [...history, done(9, 9)], c), sampleUniform(unit, d));
});

test('edge cases: no history without a start-up, only pending trials, a single possible value', () => {
  const r = Rng.stream(1, 'edge');
  const x = tpeSuggest(unit, [], r, { startupTrials: 0 });
  assert.ok(x >= 0 && x <= 10);
  const pending: TpeObservation[] = [{ x: 2, state: 'pending', value: 0, step: 0 }];
  const y = tpeSuggest(unit, pending, r, { startupTrials: 0 });
  assert.ok(y >= 0 && y <= 10);
  const before = r.state;
  assert.equal(tpeSuggest({ kind: 'int', low: 3, high: 3, log: false, step: 1 }, [done(3, 1)], r, { startupTrials: 0 }), 3);
  assert.equal(tpeSuggest({ kind: 'float', low: 0.5, high: 0.7, log: false, step: 0.5 }, [], r), 0.5);
  assert.equal(tpeSuggest({ kind: 'categorical', choices: ['only'] }, [], r), 0);
  assert.deepEqual(r.state, before);
});

test('reproducible: the same rng state gives the same suggestion, for every kind of distribution', () => {
  const dists: Distribution[] = [
    unit,
    { kind: 'float', low: 1e-4, high: 1, log: true },
    { kind: 'int', low: 1, high: 64, log: true, step: 1 },
    { kind: 'categorical', choices: ['sgd', 'adam', 'rmsprop'] },
  ];
  for (const dist of dists) {
    const history = Array.from({ length: 15 }, (_, i) => done(sampleUniform(dist, Rng.stream(3, `h/${i}`)), Math.sin(i)));
    const r = Rng.stream(5, 'sampler/15');
    const first = tpeSuggest(dist, history, r);
    const again = new Rng([1, 2, 3, 4]);
    again.setState(Rng.stream(5, 'sampler/15').state);
    assert.equal(tpeSuggest(dist, history, again), first);
    assert.deepEqual(r.state, again.state);
  }
});

test('constant liar: with pending trials at the best point, the next suggestion moves away', () => {
  const history = Array.from({ length: 12 }, (_, i) => {
    const x = sampleUniform(unit, Rng.stream(9, `h/${i}`));
    return done(x, (x - 3) ** 2);
  });
  const state = Rng.stream(2, 'sampler/12').state;
  const suggest = (h: TpeObservation[], constantLiar?: boolean) =>
    tpeSuggest(unit, h, new Rng(state), constantLiar === undefined ? {} : { constantLiar });
  const first = suggest(history);
  const pending = Array.from({ length: 3 }, () => ({ x: first, state: 'pending' as const, value: NaN, step: 0 }));
  const second = suggest([...history, ...pending]);
  assert.notEqual(second, first);
  // l(x) is unchanged (the liars are in g), so only g's new mass at `first` moved the choice
  assert.equal(suggest([...history, ...pending], false), first);
});

test('log, step and int parameters: suggestions on the grid and in range; log kernels live on the log scale', () => {
  const logFloat: FloatDist = { kind: 'float', low: 1e-4, high: 1, log: true };
  const est = buildEstimator(logFloat, [1e-3, 1e-2], tpeDefaults) as NumericalEstimator;
  close(est.low, Math.log(1e-4), 1e-12);
  close(est.high, 0, 1e-12);
  assert.deepEqual(est.mus.slice(0, 2), [Math.log(1e-3), Math.log(1e-2)]);
  const cases: [Distribution, (x: number) => boolean][] = [
    [logFloat, (x) => x >= 1e-4 && x <= 1],
    [{ kind: 'float', low: 0, high: 1, log: false, step: 0.3 }, (x) => [0, 0.3, 0.6, 0.9].some((g) => Math.abs(x - g) < 1e-12)],
    [{ kind: 'int', low: -3, high: 12, log: false, step: 3 }, (x) => Number.isInteger(x) && x % 3 === 0 && x >= -3 && x <= 12],
    [{ kind: 'int', low: 1, high: 1000, log: true, step: 1 }, (x) => Number.isInteger(x) && x >= 1 && x <= 1000],
  ];
  for (const [dist, ok] of cases) {
    const history: TpeObservation[] = [];
    for (let t = 0; t < 25; t++) {
      const x = tpeSuggest(dist, history, Rng.stream(4, `sampler/${t}`));
      assert.ok(ok(x), `${JSON.stringify(dist)}: ${x}`);
      history.push(done(x, Math.abs(Math.log(x > 0 ? x : 1e-3) - Math.log(0.01))));
    }
  }
  // a log parameter whose best values sit at 1e-3 is searched there, on the log scale
  const near = Array.from({ length: 20 }, (_, i) => done(10 ** (-4 + (4 * i) / 19), Math.abs(-4 + (4 * i) / 19 + 3)));
  const picks = Array.from({ length: 9 }, (_, s) => tpeSuggest(logFloat, near, Rng.stream(s, 'sampler/20'))).sort((a, b) => a - b);
  assert.ok(picks[4] > 2e-4 && picks[4] < 5e-3, `median suggestion ${picks[4]}`);
});

test('categorical: weighted counts plus the prior, checked by hand; the best choice is favoured', () => {
  const opt = { kind: 'categorical' as const, choices: ['sgd', 'adam', 'rmsprop'] };
  // observations [0, 2, 2]: each row starts at prior_weight / (n + 1) = 1/4 per choice, its own
  // choice +1, normalized by 1.75; the prior row is 1/3 each. Weights 1/4 each, so
  // p(2) = (0.25/1.75 + 2 · 1.25/1.75 + 1/3) / 4 = 0.476190, p(1) = (3 · 0.25/1.75 + 1/3) / 4 = 0.190476
  const est = buildEstimator(opt, [0, 2, 2], tpeDefaults);
  close(Math.exp(logPdf(est, opt, 2)), 0.476190);
  close(Math.exp(logPdf(est, opt, 1)), 0.190476);
  close(Math.exp(logPdf(est, opt, 0)), 1 - 0.476190 - 0.190476);
  // adam (1) is always best: after the start-up most suggestions are adam
  const history: TpeObservation[] = [];
  for (let t = 0; t < 30; t++) {
    const x = tpeSuggest(opt, history, Rng.stream(8, `sampler/${t}`));
    history.push(done(x, x === 1 ? 0.1 : 1));
  }
  assert.ok(history.slice(10).filter((o) => o.x === 1).length >= 15, history.map((o) => o.x).join(''));
});

test('on a 2-D objective TPE finds better values than random search, over several seeds', () => {
  const dist: FloatDist = { kind: 'float', low: -5, high: 5, log: false };
  const f = (x: number, y: number) => (x - 1.5) ** 2 + 2 * (y + 2) ** 2;
  const best = (useTpe: boolean, seed: number) => {
    const hx: TpeObservation[] = [];
    const hy: TpeObservation[] = [];
    let b = Infinity;
    for (let t = 0; t < 30; t++) {
      const rng = Rng.stream(seed, `sampler/${t}`);
      const x = useTpe ? tpeSuggest(dist, hx, rng) : sampleUniform(dist, rng);
      const y = useTpe ? tpeSuggest(dist, hy, rng) : sampleUniform(dist, rng);
      const v = f(x, y);
      hx.push(done(x, v));
      hy.push(done(y, v));
      b = Math.min(b, v);
    }
    return b;
  };
  const seeds = [1, 2, 3, 4, 5, 6];
  const tpe = seeds.map((s) => best(true, s)).sort((a, b) => a - b);
  const random = seeds.map((s) => best(false, s)).sort((a, b) => a - b);
  const median = (xs: number[]) => (xs[2] + xs[3]) / 2;
  assert.ok(median(tpe) < median(random) / 2, `TPE ${tpe} vs random ${random}`);
  assert.ok(tpe.filter((v, i) => v < random[i]).length >= 5, `TPE ${tpe} vs random ${random}`);
});
