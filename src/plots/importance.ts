// Parameter importance by PED-ANOVA (Watanabe, Bansal & Hutter 2023, "PED-ANOVA: Efficiently
// Quantifying Hyperparameter Importance in Arbitrary Subspaces", IJCAI,
// https://arxiv.org/abs/2304.10255): a parameter matters as much as the distribution of its
// values among the top-γ trials differs from its distribution among all trials, measured by
// the Pearson divergence ∫ (p_top/p_all − 1)² p_all. Each marginal is a Gaussian kernel
// density on the parameter's [0, 1] scale (Scott's bandwidth), or smoothed frequencies for a
// categorical one. Shares are the divergences normalized to sum to 1.
import { scored, unitValue, type SweepParam, type Trial } from './sweep-data.js';

export interface Importance {
  id: string;
  /** The Pearson divergence between the top-γ and the global marginal. */
  divergence: number;
  /** divergence / Σ divergences (0 when all are 0). */
  share: number;
  /** Trials it was computed from (those in which the param is present). */
  trials: number;
}

const GRID = 200;
const MIN_BANDWIDTH = 0.02;

function kde(points: readonly number[]): Float64Array {
  const n = points.length;
  const mean = points.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(points.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n - 1));
  const h = Math.max(MIN_BANDWIDTH, 1.06 * sd * n ** -0.2);
  const density = new Float64Array(GRID);
  for (let g = 0; g < GRID; g++) {
    const x = (g + 0.5) / GRID;
    let s = 0;
    for (const p of points) s += Math.exp(-0.5 * ((x - p) / h) ** 2);
    density[g] = s;
  }
  // truncated to [0, 1]: normalized on the grid
  const total = density.reduce((a, b) => a + b, 0) / GRID;
  return density.map((d) => d / total);
}

function numericDivergence(top: readonly number[], all: readonly number[]): number {
  const pt = kde(top);
  const pa = kde(all);
  let s = 0;
  for (let g = 0; g < GRID; g++) s += pa[g] > 0 ? (pt[g] * pt[g]) / pa[g] : 0;
  return Math.max(0, s / GRID - 1);
}

function categoricalDivergence(top: readonly number[], all: readonly number[], k: number): number {
  const freq = (xs: readonly number[]) => {
    const c = new Array<number>(k).fill(1); // add-one smoothing
    for (const x of xs) c[Math.round(x * (k - 1))]++;
    const n = xs.length + k;
    return c.map((v) => v / n);
  };
  const [pt, pa] = [freq(top), freq(all)];
  return Math.max(0, pt.reduce((s, p, i) => s + (p * p) / pa[i], 0) - 1);
}

/** PED-ANOVA importances of the params over the trials with an objective; γ the top fraction. */
export function pedAnova(params: readonly SweepParam[], trials: readonly Trial[], mode: 'min' | 'max', gamma = 0.1): Importance[] {
  const ranked = scored(trials).sort((a, b) => (mode === 'min' ? a.value - b.value : b.value - a.value) || a.trial - b.trial);
  const raw = params.map((p) => {
    const numbers = ranked.map((t) => t.params[p.id]).filter((v): v is number => typeof v === 'number');
    const observed = numbers.length > 0 ? { min: Math.min(...numbers), max: Math.max(...numbers) } : undefined;
    const all = ranked.map((t) => unitValue(p, t.params[p.id], observed)).filter((u): u is number => u !== undefined);
    const top = all.slice(0, Math.max(2, Math.round(gamma * all.length)));
    const k = p.labels?.length ?? 0;
    const divergence = all.length < 4 ? 0 : p.kind === 'categorical' ? (k < 2 ? 0 : categoricalDivergence(top, all, k)) : numericDivergence(top, all);
    return { id: p.id, divergence, trials: all.length };
  });
  const total = raw.reduce((s, r) => s + r.divergence, 0);
  return raw.map((r) => ({ ...r, share: total > 0 ? r.divergence / total : 0 }));
}
