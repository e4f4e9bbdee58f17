// A sweep's plots: the objective per trial with the best so far, parallel coordinates of the
// searched values coloured by the objective (Inselberg 1985, https://doi.org/10.1007/BF01898350),
// the objective against each searched value, parameter importance (PED-ANOVA, importance.ts),
// and the spread over folds when the sweep cross-validates.
import type { TopLevelSpec } from 'vega-lite';
import type { Importance } from './importance.js';
import { scored, unitValue, type SweepData } from './sweep-data.js';

const objectiveTitle = (s: SweepData) => `${s.metric} (${s.mode === 'min' ? 'lower' : 'higher'} is better)`;

export function objectiveSpec(s: SweepData): TopLevelSpec {
  const trials = scored(s.trials).sort((a, b) => a.trial - b.trial);
  let best: number | undefined;
  const values = trials.map((t) => {
    best = best === undefined ? t.value : s.mode === 'min' ? Math.min(best, t.value) : Math.max(best, t.value);
    return { trial: t.trial, value: t.value, best, status: t.status };
  });
  const x = { field: 'trial', type: 'quantitative' as const, title: 'trial', axis: { tickMinStep: 1 } };
  return {
    title: `Objective per trial: ${s.name}`,
    width: 480,
    height: 220,
    data: { values },
    layer: [
      { mark: { type: 'point', filled: true }, encoding: { x, y: { field: 'value', type: 'quantitative', title: objectiveTitle(s), scale: { zero: false } }, color: { field: 'status', type: 'nominal', title: 'status' } } },
      { mark: { type: 'line', interpolate: 'step-after', color: '#54a24b' }, encoding: { x, y: { field: 'best', type: 'quantitative' } } },
    ],
  };
}

export function parallelSpec(s: SweepData): TopLevelSpec {
  const trials = scored(s.trials);
  const observed = Object.fromEntries(s.params.map((p) => {
    const nums = trials.map((t) => t.params[p.id]).filter((v): v is number => typeof v === 'number');
    return [p.id, nums.length > 0 ? { min: Math.min(...nums), max: Math.max(...nums) } : undefined];
  }));
  const values = trials.flatMap((t) => s.params.flatMap((p) => {
    const u = unitValue(p, t.params[p.id], observed[p.id]);
    return u === undefined ? [] : [{ trial: t.trial, param: p.id, position: u, raw: String(t.params[p.id]), value: t.value }];
  }));
  // each axis's ends, labelled with the range it spans
  const ends = s.params.flatMap((p) => {
    const lo = p.kind === 'categorical' ? p.labels?.[0] : p.low ?? observed[p.id]?.min;
    const hi = p.kind === 'categorical' ? p.labels?.[p.labels.length - 1] : p.high ?? observed[p.id]?.max;
    return [{ param: p.id, position: 0, text: String(lo ?? '') }, { param: p.id, position: 1, text: String(hi ?? '') }];
  });
  const x = { field: 'param', type: 'nominal' as const, sort: s.params.map((p) => p.id), title: null, axis: { labelAngle: 0 } };
  const y = { field: 'position', type: 'quantitative' as const, title: null, axis: null, scale: { domain: [0, 1] } };
  return {
    title: `Searched values by trial, coloured by ${s.metric}`,
    width: Math.max(240, 140 * s.params.length),
    height: 240,
    layer: [
      { data: { values: s.params.map((p) => ({ param: p.id })) }, mark: { type: 'rule', color: '#999' }, encoding: { x } },
      {
        data: { values },
        mark: { type: 'line', opacity: 0.7, strokeWidth: 1.5 },
        encoding: {
          x, y,
          detail: { field: 'trial', type: 'nominal' },
          color: { field: 'value', type: 'quantitative', title: s.metric, scale: { scheme: 'viridis', reverse: s.mode === 'max' } },
        },
      },
      { data: { values: ends }, mark: { type: 'text', dx: 4, align: 'left', fontSize: 9, color: '#333' }, encoding: { x, y, text: { field: 'text' } } },
    ],
  };
}

export function paramsSpec(s: SweepData): TopLevelSpec {
  const trials = scored(s.trials);
  const panels = s.params.map((p) => {
    const values = trials.flatMap((t) => (t.params[p.id] === null || t.params[p.id] === undefined ? [] : [{ x: t.params[p.id], value: t.value, trial: t.trial }]));
    const x = p.kind === 'categorical'
      ? { field: 'x', type: 'nominal' as const, title: p.id, sort: p.labels, axis: { labelAngle: -30 } }
      : { field: 'x', type: 'quantitative' as const, title: p.id, scale: p.log ? { type: 'log' as const } : { zero: false } };
    return {
      width: 220,
      height: 180,
      data: { values },
      mark: { type: 'point' as const, filled: true, opacity: 0.8 },
      encoding: { x, y: { field: 'value', type: 'quantitative' as const, title: s.metric, scale: { zero: false } } },
    };
  });
  return { title: `${s.metric} against each searched value`, columns: 3, concat: panels };
}

export function importanceSpec(s: SweepData, importances: readonly Importance[]): TopLevelSpec {
  return {
    title: { text: 'Parameter importance (PED-ANOVA)', subtitle: `top 10 % of ${scored(s.trials).length} trials against all; shares sum to 1` },
    width: 360,
    height: Math.max(60, 24 * importances.length),
    data: { values: importances.map((i) => ({ param: i.id, share: i.share })) },
    mark: { type: 'bar', color: '#4c78a8' },
    encoding: {
      y: { field: 'param', type: 'nominal', sort: '-x', title: null },
      x: { field: 'share', type: 'quantitative', title: 'share of importance', scale: { domain: [0, 1] } },
    },
  };
}

export function foldsSpec(s: SweepData): TopLevelSpec {
  const trials = scored(s.trials).filter((t) => t.foldValues.length > 0).sort((a, b) => a.trial - b.trial);
  const folds = trials.flatMap((t) => t.foldValues.map((v, k) => ({ trial: t.trial, fold: k + 1, value: v })));
  const means = trials.map((t) => ({ trial: t.trial, value: t.value, lo: t.value - (t.std ?? 0), hi: t.value + (t.std ?? 0) }));
  const x = { field: 'trial', type: 'quantitative' as const, title: 'trial', axis: { tickMinStep: 1 } };
  return {
    title: { text: `Spread over ${s.folds ?? ''} folds`, subtitle: 'each fold\'s value (dots), the mean ± one standard deviation (bars)' },
    width: 480,
    height: 220,
    layer: [
      { data: { values: means }, mark: { type: 'rule', color: '#4c78a8' }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: s.metric, scale: { zero: false } }, y2: { field: 'hi' } } },
      { data: { values: means }, mark: { type: 'tick', color: '#4c78a8', orient: 'horizontal' }, encoding: { x, y: { field: 'value', type: 'quantitative' } } },
      { data: { values: folds }, mark: { type: 'point', size: 20, opacity: 0.6, color: '#f58518' }, encoding: { x, y: { field: 'value', type: 'quantitative' } } },
    ],
  };
}
