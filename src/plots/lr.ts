// lr.svg: the learning rate at every update (or every epoch for per-epoch schedules), so that
// warmup, decay, restarts (Loshchilov & Hutter 2017, https://arxiv.org/abs/1608.03983) and
// cyclic triangles (Smith 2017, https://arxiv.org/abs/1506.01186) are visible.
import type { TopLevelSpec } from 'vega-lite';
import type { TemplatePlot } from './template.js';

export interface LrPoint {
  /** Updates done before this one (0-based), or the epoch. */
  step: number;
  lr: number;
}

/** The template for a schedule per update (linear) or per epoch (steps): one line. */
export function lrTemplate(per: 'update' | 'epoch'): TopLevelSpec {
  return {
    title: 'Learning rate',
    width: 480,
    height: 180,
    data: { name: 'points' },
    mark: { type: 'line', interpolate: per === 'epoch' ? 'step-after' : 'linear' },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: per === 'epoch' ? 'epoch' : 'update' },
      y: { field: 'lr', type: 'quantitative', title: 'learning rate', scale: { zero: true } },
    },
  };
}

/** lr.svg for these points: the template and its data. */
export function lrSpec(points: readonly LrPoint[], per: 'update' | 'epoch'): TemplatePlot {
  return { template: per === 'epoch' ? 'lr-epoch' : 'lr-update', data: { points: points.filter((p) => Number.isFinite(p.lr)) }, signals: {} };
}
