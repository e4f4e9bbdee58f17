// confusion.svg: one heat map per split, rows the true class, columns the predicted one,
// coloured by the share of the true class (the row's recall), counts written in the cells.
import type { TopLevelSpec } from 'vega-lite';

export interface ConfusionMatrix {
  split: string;
  classes: readonly string[];
  /** counts[true][predicted]. */
  counts: readonly (readonly number[])[];
}

/** Cells hold their count as text up to this many classes; beyond, colour alone. */
const MAX_LABELLED = 20;

function panel(m: ConfusionMatrix) {
  const n = m.classes.length;
  const total = m.counts.reduce((s, row, t) => s + row[t], 0);
  const all = m.counts.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  const values = m.counts.flatMap((row, t) => {
    const support = row.reduce((a, b) => a + b, 0);
    return row.map((count, p) => ({ true: m.classes[t], predicted: m.classes[p], count, share: support === 0 ? 0 : count / support }));
  });
  const size = Math.max(160, Math.min(420, n * 28));
  const order = [...m.classes];
  const accuracy = all === 0 ? '' : ` (accuracy ${((100 * total) / all).toFixed(2)} %)`;
  return {
    title: `${m.split}${accuracy}`,
    width: size,
    height: size,
    data: { values },
    encoding: {
      x: { field: 'predicted', type: 'nominal' as const, sort: order, title: 'predicted class', axis: { labelAngle: -40 } },
      y: { field: 'true', type: 'nominal' as const, sort: order, title: 'true class' },
    },
    layer: [
      {
        mark: { type: 'rect' as const },
        encoding: { color: { field: 'share', type: 'quantitative' as const, title: 'share of true class', scale: { domain: [0, 1], scheme: 'blues' } } },
      },
      ...(n > MAX_LABELLED ? [] : [{
        mark: { type: 'text' as const, fontSize: n > 10 ? 8 : 10 },
        encoding: {
          text: { field: 'count', type: 'quantitative' as const },
          color: { condition: { test: 'datum.share > 0.5', value: 'white' }, value: 'black' },
        },
      }]),
    ],
  };
}

export function confusionSpec(matrices: readonly ConfusionMatrix[]): TopLevelSpec {
  return { title: 'Confusion matrix', hconcat: matrices.map(panel), resolve: { scale: { color: 'shared' } } };
}
