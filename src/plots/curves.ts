// curves.svg: train and validation curves per epoch, one panel per metric that curve.csv has
// both as train_X and val_X (loss, accuracy, and whatever columns later versions add), with
// the best epoch and the early stop marked.
import type { TopLevelSpec } from 'vega-lite';

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

function markers(marks: CurveMarks) {
  const list = [
    ...(marks.best ? [{ epoch: marks.best.epoch, what: `best (${marks.best.monitor})`, color: '#54a24b' }] : []),
    ...(marks.stoppedEarly !== undefined ? [{ epoch: marks.stoppedEarly, what: 'early stop', color: '#e45756' }] : []),
  ];
  return list;
}

export function curvesSpec(rows: readonly Row[], marks: CurveMarks, title = 'Learning curves'): TopLevelSpec {
  const columns = rows.length > 0 ? Object.keys(rows[0]) : [];
  const points = markers(marks);
  const series = curveMetrics(columns).map((metric) => ({
    metric,
    values: rows.flatMap((r) => (['train', 'val'] as const).flatMap((split) => {
      const v = r[`${split}_${metric}`];
      return v !== undefined && Number.isFinite(v) ? [{ epoch: r.epoch, split, value: v }] : [];
    })),
  }));
  // a metric with no finite value (a column a task leaves empty) gets no panel
  const panels = series.filter((s) => s.values.length > 0).map(({ metric, values }) => {
    return {
      title: metricTitle(metric),
      width: 280,
      height: 180,
      layer: [
        {
          data: { values },
          mark: { type: 'line' as const, point: rows.length <= 40 },
          encoding: {
            x: { field: 'epoch', type: 'quantitative' as const, title: 'epoch', axis: { tickMinStep: 1 } },
            y: { field: 'value', type: 'quantitative' as const, title: metricTitle(metric), scale: { zero: false } },
            color: { field: 'split', type: 'nominal' as const, title: null, scale: { domain: ['train', 'val'], range: ['#4c78a8', '#f58518'] } },
          },
        },
        ...(points.length === 0 ? [] : [{
          data: { values: points },
          mark: { type: 'rule' as const, strokeDash: [4, 3] },
          encoding: {
            x: { field: 'epoch', type: 'quantitative' as const },
            stroke: { field: 'what', type: 'nominal' as const, title: null, scale: { domain: points.map((p) => p.what), range: points.map((p) => p.color) } },
          },
        }]),
      ],
    };
  });
  return { title, hconcat: panels, resolve: { scale: { color: 'shared', stroke: 'shared' } } };
}
