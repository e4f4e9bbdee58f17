// confusion.svg: one heat map per split, rows the true class, columns the predicted one,
// coloured by the share of the true class (the row's recall), counts written in the cells.
import type { TopLevelSpec } from 'vega-lite';
import { panelFacet, type TemplatePlot } from './template.js';

export interface ConfusionMatrix {
  split: string;
  classes: readonly string[];
  /** counts[true][predicted]. */
  counts: readonly (readonly number[])[];
}

/** Cells hold their count as text up to this many classes; beyond, colour alone. */
const MAX_LABELLED = 20;

/**
 * The template: a panel per value of `panel` (in `order`), classes in the order of their indices
 * (`t`, `p`), coloured by `share`; counts as text in the cells marked `labelled`. The panel size
 * comes in as the signals child_width and child_height (Vega-Lite's names for a facet's cell).
 */
export const confusionTemplate: TopLevelSpec = {
  title: 'Confusion matrix',
  params: [{ name: 'cellFont', value: 10 }],
  data: { name: 'cells' },
  facet: panelFacet(),
  columns: 16,
  spec: {
    width: 160,
    height: 160,
    encoding: {
      x: { field: 'predicted', type: 'nominal', sort: { field: 'p' }, title: 'predicted class', axis: { labelAngle: -40 } },
      y: { field: 'true', type: 'nominal', sort: { field: 't' }, title: 'true class' },
    },
    layer: [
      {
        mark: { type: 'rect' },
        encoding: { color: { field: 'share', type: 'quantitative', title: 'share of true class', scale: { domain: [0, 1], scheme: 'blues' } } },
      },
      {
        transform: [{ filter: 'datum.labelled' }],
        mark: { type: 'text', fontSize: { expr: 'cellFont' } },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: 'datum.share > 0.5', value: 'white' }, value: 'black' },
        },
      },
    ],
  },
  resolve: { scale: { x: 'independent', y: 'independent', color: 'shared' } },
};

function cells(m: ConfusionMatrix, order: number) {
  const total = m.counts.reduce((s, row, t) => s + row[t], 0);
  const all = m.counts.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  const panel = `${m.split}${all === 0 ? '' : ` (accuracy ${((100 * total) / all).toFixed(2)} %)`}`;
  const labelled = m.classes.length <= MAX_LABELLED;
  return m.counts.flatMap((row, t) => {
    const support = row.reduce((a, b) => a + b, 0);
    return row.map((count, p) => ({ panel, order, true: m.classes[t], predicted: m.classes[p], t, p, count, share: support === 0 ? 0 : count / support, labelled }));
  });
}

/** confusion.svg for these matrices (one class list, as a run's splits share it): the template and its data. */
export function confusionSpec(matrices: readonly ConfusionMatrix[]): TemplatePlot {
  const n = Math.max(0, ...matrices.map((m) => m.classes.length));
  const size = Math.max(160, Math.min(420, n * 28));
  return {
    template: 'confusion',
    data: { cells: matrices.flatMap(cells) },
    signals: { cellFont: n > 10 ? 8 : 10, child_width: size, child_height: size },
  };
}
