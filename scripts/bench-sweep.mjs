// The search benchmark (a measurement, not a test): dlx's TPE and random search on Branin (2-D)
// and Hartmann-6, `trials` trials × `seeds` seeds, the best value found per seed, beside Optuna
// 3.1's TPESampler and RandomSampler on the same functions and budget (bench/optuna_peer.py).
// `npm run bench -- --only sweep` calls sweepSearchBench; alone: node scripts/bench-sweep.mjs
// [--json] [--trials 50] [--seeds 25].
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

// https://www.sfu.ca/~ssurjano/branin.html; minimum 0.397887
function branin([x1, x2]) {
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
}

// https://www.sfu.ca/~ssurjano/hart6.html; minimum −3.32237
const alpha = [1.0, 1.2, 3.0, 3.2];
const A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]];
const P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991], [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]];
function hartmann6(x) {
  let total = 0;
  for (let i = 0; i < 4; i++) {
    let inner = 0;
    for (let j = 0; j < 6; j++) inner += A[i][j] * (x[j] - P[i][j] * 1e-4) ** 2;
    total += alpha[i] * Math.exp(-inner);
  }
  return -total;
}

const float = (low, high) => ({ kind: 'float', low, high, log: false });
export const functions = {
  branin: { f: branin, space: [float(-5, 10), float(0, 15)], minimum: 0.397887 },
  hartmann6: { f: hartmann6, space: Array.from({ length: 6 }, () => float(0, 1)), minimum: -3.32237 },
};

/** numpy.percentile's default (linear interpolation between order statistics). */
function quantile(sorted, p) {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

export function summarize(bests) {
  const s = [...bests].sort((a, b) => a - b);
  return { q1: quantile(s, 0.25), median: quantile(s, 0.5), q3: quantile(s, 0.75) };
}

/** The best value of one dlx search: each trial's draws come from the stream sampler/<trial> of the seed. */
async function dlxSearch(method, fn, seed, trials) {
  const { Rng } = await import(join(root, 'dist/src/random/rng.js'));
  const { sampleUniform } = await import(join(root, 'dist/src/sweep/distribution.js'));
  const { tpeSuggest } = await import(join(root, 'dist/src/sweep/tpe.js'));
  const histories = fn.space.map(() => []);
  let best = Infinity;
  for (let t = 0; t < trials; t++) {
    const rng = Rng.stream(seed, `sampler/${t}`);
    const x = fn.space.map((dist, j) => (method === 'tpe' ? tpeSuggest(dist, histories[j], rng) : sampleUniform(dist, rng)));
    const value = fn.f(x);
    x.forEach((v, j) => histories[j].push({ x: v, state: 'complete', value, step: 0 }));
    best = Math.min(best, value);
  }
  return best;
}

/**
 * The Mann–Whitney U test (normal approximation with the tie correction), two-sided: whether
 * the best values of two samplers over the same seeds differ by more than chance. Returns the
 * probability that a value of a is below one of b (0.5: neither is better) and the p-value.
 */
export function mannWhitney(a, b) {
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  const ranks = new Array(all.length);
  let ties = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && all[j + 1].v === all[i].v) j++;
    for (let k = i; k <= j; k++) ranks[k] = (i + j) / 2 + 1;
    const t = j - i + 1;
    ties += t ** 3 - t;
    i = j + 1;
  }
  const n1 = a.length, n2 = b.length, n = n1 + n2;
  const r1 = all.reduce((acc, e, i) => acc + (e.g === 0 ? ranks[i] : 0), 0);
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1))));
  const z = sd === 0 ? 0 : (Math.abs(u1 - mean) - 0.5) / sd;
  return { pBelow: 1 - u1 / (n1 * n2), p: Math.min(1, 2 * (1 - normalCdf(Math.max(0, z)))) };
}

/** Φ(x), by the Abramowitz–Stegun 7.1.26 erf approximation (|error| < 1.5e-7). */
function normalCdf(x) {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Runs both sides; returns {trials, seeds, rows: [{function, sampler, bests, q1, median, q3}], peer}. */
export async function sweepSearchBench({ trials = 50, seeds = 25, python = process.env.DLX_PYTHON ?? '/usr/bin/python3' } = {}) {
  const rows = [];
  const peer = spawnSync(python, [join(root, 'bench/optuna_peer.py'), '--trials', String(trials), '--seeds', String(seeds)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const optuna = peer.status === 0 ? JSON.parse(peer.stdout) : null;
  for (const [name, fn] of Object.entries(functions)) {
    for (const method of ['tpe', 'random']) {
      const bests = [];
      for (let seed = 0; seed < seeds; seed++) bests.push(await dlxSearch(method, fn, seed, trials));
      rows.push({ function: name, sampler: `dlx ${method}`, bests, ...summarize(bests) });
    }
    for (const method of ['tpe', 'random']) {
      if (optuna) rows.push({ function: name, sampler: `optuna ${method}`, bests: optuna[name][method], ...summarize(optuna[name][method]) });
    }
  }
  return { trials, seeds, optuna: optuna?.optuna ?? null, peerError: optuna ? undefined : (peer.error?.message ?? peer.stderr.trim().split('\n').pop()), rows };
}

/** The table's lines. */
export function formatSweepSearch(result) {
  const lines = [`search    ${result.trials} trials × ${result.seeds} seeds, best value found: median [q1, q3]${result.optuna ? ` (peer: optuna ${result.optuna})` : ''}`];
  for (const r of result.rows) {
    const f = (v) => v.toFixed(4).padStart(8);
    lines.push(`search    ${r.function.padEnd(10)} ${r.sampler.padEnd(14)} ${f(r.median)}  [${f(r.q1)}, ${f(r.q3)}]   (minimum ${functions[r.function].minimum})`);
  }
  for (const name of Object.keys(functions)) {
    const of = (sampler) => result.rows.find((r) => r.function === name && r.sampler === sampler)?.bests;
    for (const [a, b] of [['dlx tpe', 'optuna tpe'], ['dlx tpe', 'dlx random']]) {
      if (!of(a) || !of(b)) continue;
      const t = mannWhitney(of(a), of(b));
      lines.push(`search    ${name.padEnd(10)} ${a} vs ${b}: P(${a} lower) = ${t.pBelow.toFixed(2)}, Mann–Whitney two-sided p = ${t.p.toFixed(3)}`);
    }
  }
  if (result.peerError) lines.push(`search    optuna peer not run: ${result.peerError}`);
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => Number(process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
  const result = await sweepSearchBench({ trials: arg('--trials', 50), seeds: arg('--seeds', 25) });
  if (process.argv.includes('--json')) console.log(JSON.stringify(result));
  else console.log(formatSweepSearch(result).join('\n'));
}
