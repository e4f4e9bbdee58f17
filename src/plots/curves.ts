// curves.svg: train and validation curves per epoch, one panel per metric that curve.csv has
// both as train_X and val_X (loss, accuracy, and whatever columns later versions add), with
// the best epoch and the early stop marked.
import type { TopLevelSpec } from 'vega-lite';
import { panelFacet, type TemplatePlot } from './template.js';

/** One curve.csv row: column name → number. */
export type Row = Readonly<Record<string, number>>;

export interface CurveMarks {
  /** The best epoch of the monitored column, and that column's name. */
  best?: { epoch: number; monitor: string };
  /** The epoch early stopping ended the run at. */
  stoppedEarly?: number;
}

const titles: Record<string, string> = { loss: 'loss', acc: 'accuracy' };

/** The metrics drawn, in panel order: loss, then accuracy, then the rest in column order. */
export function curveMetrics(columns: readonly string[]): string[] {
  const metrics = columns.filter((c) => c.startsWith('val_')).map((c) => c.slice(4));
  const rank = (m: string) => (m === 'loss' ? 0 : m === 'acc' ? 1 : 2);
  return metrics.sort((a, b) => rank(a) - rank(b) || metrics.indexOf(a) - metrics.indexOf(b));
}

export const metricTitle = (m: string) => titles[m] ?? m;

const markColors = { best: '#54a24b', stop: '#e45756' } as const;

/**
 * The template: one panel per value of `panel` (in `order`), lines per split, a point per epoch
 * where the `points` signal says so (up to 40 epochs), and dashed rules at the marked epochs
 * (`what`: best or early stop), the legend listing those the run has.
 */
export const curvesTemplate: TopLevelSpec = {
  title: { text: { expr: 'plotTitle' } },
  params: [{ name: 'plotTitle', value: '' }, { name: 'points', value: true }, { name: 'markNames', value: [] }, { name: 'bestLabel', value: '' }],
  data: { name: 'curves' },
  facet: panelFacet(),
  // one row, as many panels as metrics (a run has 1 to 3 today)
  columns: 16,
  spec: {
    width: 280,
    height: 180,
    layer: [
      {
        transform: [{ filter: 'datum.split != null' }],
        mark: { type: 'line' },
        encoding: {
          x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
          y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
          color: { field: 'split', type: 'nominal', title: null, scale: { domain: ['train', 'val'], range: ['#4c78a8', '#f58518'] } },
        },
      },
      {
        transform: [{ filter: 'points && datum.split != null' }],
        mark: { type: 'point', filled: true },
        encoding: {
          x: { field: 'epoch', type: 'quantitative' },
          y: { field: 'value', type: 'quantitative' },
          color: { field: 'split', type: 'nominal' },
        },
      },
      {
        transform: [{ filter: 'datum.what != null' }],
        mark: { type: 'rule', strokeDash: [4, 3] },
        encoding: {
          x: { field: 'epoch', type: 'quantitative' },
          stroke: {
            field: 'what',
            type: 'nominal',
            scale: { domain: ['best', 'early stop'], range: [markColors.best, markColors.stop] },
            // the legend lists the marks this run has (markNames), the best one with its column
            legend: { title: null, values: { expr: 'markNames' }, labelExpr: "datum.label == 'best' ? bestLabel : datum.label" },
          },
        },
      },
    ],
  },
  resolve: { scale: { y: 'independent', color: 'shared', stroke: 'shared' } },
};

/** curves.svg for these rows: the template and its data. */
export function curvesSpec(rows: readonly Row[], marks: CurveMarks, title = 'Learning curves'): TemplatePlot {
  const columns = rows.length > 0 ? Object.keys(rows[0]) : [];
  const markers = [
    ...(marks.best ? [{ epoch: marks.best.epoch, what: 'best' }] : []),
    ...(marks.stoppedEarly !== undefined ? [{ epoch: marks.stoppedEarly, what: 'early stop' }] : []),
  ];
  const series = curveMetrics(columns).map((metric) => ({
    metric,
    values: rows.flatMap((r) => (['train', 'val'] as const).flatMap((split) => {
      const v = r[`${split}_${metric}`];
      return v !== undefined && Number.isFinite(v) ? [{ epoch: r.epoch, split, value: v }] : [];
    })),
  }));
  // a metric with no finite value (a column a task leaves empty) gets no panel
  const values = series.filter((s) => s.values.length > 0).flatMap(({ metric, values: v }, order) => {
    const panel = metricTitle(metric);
    return [...v.map((p) => ({ panel, order, ...p })), ...markers.map((m) => ({ panel, order, ...m }))];
  });
  return { template: 'curves', data: { curves: values }, signals: {
    plotTitle: title,
    points: rows.length <= 40,
    markNames: markers.map((m) => m.what),
    bestLabel: marks.best ? `best (${marks.best.monitor})` : 'best',
  } };
}
