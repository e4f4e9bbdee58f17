// Small specs of the kinds the run and sweep plots draw. The plot worker (src/run/plotter.ts)
// renders them while a run trains or a sweep searches, so that V8 has compiled vega's and
// vega-lite's code paths before the real plots are asked for: drawing cold code costs about
// twice drawing warm code. norms.svg (opt-in) is left out: it shares curves.svg's code,
// and each warm-up plot costs CPU. Pure: made-up numbers, no files.
import type { TopLevelSpec } from 'vega-lite';
import type { Drawable } from './template.js';
import { confusionSpec } from './confusion.js';
import { curvesSpec } from './curves.js';
import { importanceSpec, foldsSpec, objectiveSpec, paramsSpec, parallelSpec } from './sweep.js';
import { lrSpec } from './lr.js';
import type { SweepData } from './sweep-data.js';
import { weightsSpec } from './weights.js';

export type WarmupKind = 'run' | 'sweep';

function runSpecs(): Drawable[] {
  const rows = [1, 2, 3].map((epoch) => ({ epoch, lr: 0.1, train_loss: 1 / epoch, train_acc: 0.5 + epoch / 10, val_loss: 1.2 / epoch, val_acc: 0.4 + epoch / 10}));
  const counts = [[3, 1], [0, 4]];
  const weights = Float32Array.from([-0.5, 0, 0.25, 0.5, 0, -0.1]);
  return [
    curvesSpec(rows, { best: { epoch: 2, monitor: 'val_loss' }, stoppedEarly: 3 }),
    lrSpec([0, 1, 2, 3].map((step) => ({ step, lr: 0.1 / (step + 1) })), 'update'),
    confusionSpec([{ split: 'val', classes: ['a', 'b'], counts }, { split: 'test', classes: ['a', 'b'], counts }]),
    weightsSpec([{ name: 'layer 0 (dense)', shape: [2, 3], values: weights }]),
  ];
}

function sweepSpecs(): TopLevelSpec[] {
  const trials = [0, 1, 2, 3].map((trial) => ({
    trial, status: 'finished', params: { lr: 10 ** -(trial + 1), act: trial % 2 === 0 ? 'relu' : 'tanh' }, value: 0.5 + trial / 10, std: 0.01, foldValues: [0.49 + trial / 10, 0.51 + trial / 10], bestEpoch: 3, seconds: 1,
  }));
  const s: SweepData = {
    name: 'warmup', method: 'random', metric: 'val_acc', mode: 'max', folds: 2, trials,
    params: [{ id: 'lr', kind: 'float', low: 1e-4, high: 1e-1, log: true }, { id: 'act', kind: 'categorical', labels: ['relu', 'tanh'] }],
  };
  return [objectiveSpec(s), parallelSpec(s), paramsSpec(s), importanceSpec(s, [{ id: 'lr', divergence: 0.7, share: 0.7, trials: 4 }, { id: 'act', divergence: 0.3, share: 0.3, trials: 4 }]), foldsSpec(s)];
}

export const warmupSpecs = (kind: WarmupKind): Drawable[] => (kind === 'run' ? runSpecs() : sweepSpecs());
