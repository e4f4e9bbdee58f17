// weights.svg: a histogram of each layer's weights (biases aside, masked-out cells of a sparse
// layer aside). Exact zeros are their own bar, so that L1's proximal step (exact zeros, Tibshirani
// 1996, https://doi.org/10.1111/j.2517-6161.1996.tb02080.x) stands apart from L2's many small
// weights; the count axis is symmetric-log so the zero spike and the tails both show.
import type { TopLevelSpec } from 'vega-lite';
import { panelFacet, type TemplatePlot } from './template.js';

export interface LayerWeights {
  /** The tensor's name, e.g. layers.0.weight. */
  name: string;
  shape: readonly number[];
  values: ArrayLike<number>;
  /** 1 where a weight exists (pre-defined sparsity), 0 where it is masked out. */
  mask?: ArrayLike<number>;
}

export interface Histogram {
  /** Bin edges: bins + 1 numbers, symmetric around 0. */
  edges: number[];
  /** Non-zero weights per bin. */
  counts: number[];
  zeros: number;
  total: number;
}

/** An odd number of bins symmetric about 0, so that 0 sits in the middle of one. */
export function histogram(values: ArrayLike<number>, mask?: ArrayLike<number>, bins = 41): Histogram {
  let max = 0;
  for (let i = 0; i < values.length; i++) if ((!mask || mask[i] !== 0) && Number.isFinite(values[i])) max = Math.max(max, Math.abs(values[i]));
  const half = max === 0 ? 1 : max;
  const width = (2 * half) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => -half + i * width);
  const counts = new Array<number>(bins).fill(0);
  let zeros = 0;
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    if (mask && mask[i] === 0) continue;
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    total++;
    if (v === 0) zeros++;
    else counts[Math.min(bins - 1, Math.max(0, Math.floor((v + half) / width)))]++;
  }
  return { edges, counts, zeros, total };
}

const percent = (part: number, whole: number) => (whole === 0 ? '0' : ((100 * part) / whole).toFixed(1));

/**
 * The template: a panel per value of `panel` (in `order`, three to a row), each with its own weight
 * and count scales, its bars (`lo`–`hi`, `count`, `kind`) and a line of counts (`note`) under
 * its title.
 */
export const weightsTemplate: TopLevelSpec = {
  title: { text: { expr: 'plotTitle' } },
  params: [{ name: 'plotTitle', value: '' }],
  data: { name: 'bars' },
  facet: panelFacet({ labelPadding: 14 }),
  columns: 3,
  spec: {
    width: 220,
    height: 140,
    layer: [
      {
        transform: [{ filter: 'datum.kind != null' }],
        mark: { type: 'bar' },
        encoding: {
          x: { field: 'lo', type: 'quantitative', title: 'weight', scale: { zero: false, nice: false } },
          x2: { field: 'hi' },
          y: { field: 'count', type: 'quantitative', title: 'count', scale: { type: 'symlog' }, stack: null },
          y2: { datum: 0 },
          color: { field: 'kind', type: 'nominal', title: null, scale: { domain: ['non-zero', 'exactly 0'], range: ['#4c78a8', '#e45756'] } },
        },
      },
      {
        transform: [{ filter: 'datum.note != null' }],
        mark: { type: 'text', align: 'left', baseline: 'bottom', dy: -6, fontSize: 10, color: '#444' },
        encoding: { text: { field: 'note' }, x: { value: 0 }, y: { value: 0 } },
      },
    ],
  },
  resolve: { scale: { x: 'independent', y: 'independent', color: 'shared' } },
};

function panelRows(layer: LayerWeights, order: number) {
  const h = histogram(layer.values, layer.mask);
  const panel = `${layer.name} [${layer.shape.join('×')}]`;
  const bars = h.counts.map((count, i) => ({ panel, order, lo: h.edges[i], hi: h.edges[i + 1], count, kind: 'non-zero' }));
  const mid = (h.edges.length - 1) >> 1;
  const zeroBar = { panel, order, lo: h.edges[mid], hi: h.edges[mid + 1], count: h.zeros, kind: 'exactly 0' };
  const note = { panel, order, note: `${h.total} weights, ${percent(h.zeros, h.total)} % exactly 0` };
  return [...bars, ...(h.zeros > 0 ? [zeroBar] : []), note];
}

/** weights.svg for these layers: the template and its data. */
export function weightsSpec(layers: readonly LayerWeights[], title = 'Weights'): TemplatePlot {
  return { template: 'weights', data: { bars: layers.flatMap(panelRows) }, signals: { plotTitle: title } };
}
