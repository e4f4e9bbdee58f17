// train.log.norms: per-layer L2 norms of the gradients (each batch's data-loss gradient, averaged
// over the epoch's batches) and of the parameters (at the epoch's end), for curve.csv. They make
// vanishing and exploding gradients visible (Glorot & Bengio 2010,
// https://proceedings.mlr.press/v9/glorot10a.html; Pascanu et al. 2013, https://arxiv.org/abs/1211.5063).
import type { Model } from '../nn/model.js';

export interface NormLog {
  /** Indices of the layers that have parameters. */
  layers: number[];
  /** Per such layer, ‖∇‖₂ over all its parameters now (float64 sums, in a fixed order). */
  gradients(): number[];
  weights(): number[];
}

function norm(tensors: readonly Float32Array[]): number {
  let s = 0;
  for (const t of tensors) for (let i = 0; i < t.length; i++) s += t[i] * t[i];
  return Math.sqrt(s);
}

export function normLog(model: Model): NormLog {
  const layers = model.layers.flatMap((l, i) => (l.params.length > 0 ? [i] : []));
  const params = layers.map((i) => model.layers[i].params);
  return {
    layers,
    gradients: () => params.map((ps) => norm(ps.map((p) => p.grad.data))),
    weights: () => params.map((ps) => norm(ps.map((p) => p.value.data))),
  };
}

/** curve.csv's extra columns: grad_norm_<layer>…, then weight_norm_<layer>…. */
export function normColumns(log: NormLog, gradientMeans: readonly number[], weights: readonly number[]): Record<string, number> {
  return Object.fromEntries([
    ...log.layers.map((l, j) => [`grad_norm_${l}`, gradientMeans[j]] as const),
    ...log.layers.map((l, j) => [`weight_norm_${l}`, weights[j]] as const),
  ]);
}
