// `dlx compare --plot`: several runs' curves overlaid, one panel per metric, a colour per run,
// solid for validation and dashed for training.
import type { TopLevelSpec } from 'vega-lite';
import { curveMetrics, metricTitle, type Row } from './curves.js';

export interface LabelledCurve {
  label: string;
  rows: readonly Row[];
}

export function overlaySpec(runs: readonly LabelledCurve[]): TopLevelSpec {
  const columns = runs.map((r) => (r.rows.length > 0 ? Object.keys(r.rows[0]) : []));
  // panels for the metrics every run has
  const metrics = curveMetrics(columns[0] ?? []).filter((m) => columns.every((c) => c.includes(`val_${m}`)));
  const labels = runs.map((r) => r.label);
  const panels = metrics.map((metric) => {
    const values = runs.flatMap((run) => run.rows.flatMap((r) => (['train', 'val'] as const).flatMap((split) => {
      const v = r[`${split}_${metric}`];
      return v !== undefined && Number.isFinite(v) ? [{ run: run.label, epoch: r.epoch, split, value: v }] : [];
    })));
    return {
      title: metricTitle(metric),
      width: 300,
      height: 200,
      data: { values },
      mark: { type: 'line' as const },
      encoding: {
        x: { field: 'epoch', type: 'quantitative' as const, title: 'epoch', axis: { tickMinStep: 1 } },
        y: { field: 'value', type: 'quantitative' as const, title: metricTitle(metric), scale: { zero: false } },
        color: { field: 'run', type: 'nominal' as const, title: 'run', sort: labels },
        strokeDash: { field: 'split', type: 'nominal' as const, title: null, scale: { domain: ['val', 'train'], range: [[1, 0], [4, 3]] } },
        detail: { field: 'split', type: 'nominal' as const },
      },
    };
  });
  return { title: 'Learning curves compared', hconcat: panels, resolve: { scale: { color: 'shared' } } };
}
