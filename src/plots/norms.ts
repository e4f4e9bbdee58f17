// norms.svg: per-layer gradient and weight L2 norms per epoch (curve.csv's grad_norm_<i> and
// weight_norm_<i> columns, with train.log.norms), one line per layer: vanishing gradients in
// deep sigmoid nets (Glorot & Bengio 2010, https://proceedings.mlr.press/v9/glorot10a.html)
// show as first layers' gradient norms orders of magnitude below the last layer's.
import type { TopLevelSpec } from 'vega-lite';
import type { Row } from './curves.js';

export const normPrefixes = { grad: 'grad_norm_', weight: 'weight_norm_' } as const;

/** The layer indices that have norm columns, in column order. */
export function normLayers(columns: readonly string[], prefix: string): string[] {
  return columns.filter((c) => c.startsWith(prefix)).map((c) => c.slice(prefix.length));
}

function panel(rows: readonly Row[], prefix: string, title: string) {
  const columns = rows.length > 0 ? Object.keys(rows[0]) : [];
  const layers = normLayers(columns, prefix);
  const values = rows.flatMap((r) => layers.flatMap((l) => {
    const v = r[prefix + l];
    return Number.isFinite(v) && v > 0 ? [{ epoch: r.epoch, layer: `layer ${l}`, value: v }] : [];
  }));
  return {
    title,
    width: 280,
    height: 200,
    data: { values },
    mark: { type: 'line' as const, point: rows.length <= 40 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative' as const, title: 'epoch', axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative' as const, title: 'L2 norm (log)', scale: { type: 'log' as const } },
      color: { field: 'layer', type: 'nominal' as const, title: 'layer', sort: layers.map((l) => `layer ${l}`) },
    },
  };
}

/** Whether rows carry norm columns at all. */
export const hasNorms = (columns: readonly string[]) => columns.some((c) => c.startsWith(normPrefixes.grad));

export function normsSpec(rows: readonly Row[]): TopLevelSpec {
  return {
    title: 'Per-layer norms',
    hconcat: [panel(rows, normPrefixes.grad, 'gradient norm (mean over the epoch\'s batches)'), panel(rows, normPrefixes.weight, 'weight norm (end of epoch)')],
    resolve: { scale: { color: 'shared' } },
  };
}
