// Schedules against PyTorch's sequences (golden.json), stepping once per update.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose, golden } from '../../../test/helpers.js';
import { minimalConfig } from '../../../test/minimal-configs.js';
import { createSchedule, schedules, type ScheduleConfig } from './index.js';

const S = golden.schedules.cases;

function sequence(config: Record<string, unknown>, lr: number, n: number): number[] {
  const component = schedules.find((s) => s.type === config.type)!;
  const schedule = createSchedule(component.schema.parse(config) as ScheduleConfig, lr);
  return Array.from({ length: n }, (_, i) => schedule.lr(i));
}

const cases: [string, Record<string, unknown>, number][] = [
  ['exponential', { type: 'exponential', gamma: S.exponential.params.gamma }, S.exponential.params.lr],
  ['step', { type: 'step', every: S.step.params.step_size, gamma: S.step.params.gamma, per: 'update' }, S.step.params.lr],
  ['cosine_warm_restarts', { type: 'cosine-restarts', period: 5, mult: 2, minLr: 0.001 }, 0.1],
  ['cyclic_triangular', { type: 'triangular', maxLr: 0.1, stepSize: 4 }, 0.001],
  ['cyclic_triangular2', { type: 'triangular2', maxLr: 0.1, stepSize: 4 }, 0.001],
  ['linear_warmup', { type: 'constant', warmup: { steps: 5, startFactor: 0.1 } }, 0.1],
  ['inverse_time', { type: 'inverse-time', rate: 0.5, decaySteps: 2 }, 0.1],
  ['keras_legacy_decay', { type: 'inverse-time', rate: 0.01 }, 0.01],
];

for (const [name, config, lr] of cases) {
  test(`${name} matches PyTorch / Keras`, () => {
    assertClose(sequence(config, lr, S[name].lr.length), S[name].lr, 1e-12, 1e-15, name);
  });
}

test('warmup composes in front of any schedule: the main schedule starts after it', () => {
  const warm = sequence({ type: 'exponential', gamma: 0.5, warmup: { steps: 2, startFactor: 0.5 } }, 1, 5);
  assert.deepEqual(warm, [0.5, 0.75, 1, 0.5, 0.25]);
});

test('step decay counts epochs by default; the others count updates', () => {
  assert.equal(schedules.find((s) => s.type === 'step')!.schema.parse({ type: 'step', every: 3 }).per, 'epoch');
  for (const s of schedules.filter((x) => x.type !== 'step')) assert.equal(minimalConfig(s).per, 'update', s.type);
});

for (const component of schedules) {
  test(`${component.type}: finite and positive over 1000 steps, with and without warmup`, () => {
    for (const warmup of [undefined, { steps: 7 }]) {
      const schedule = createSchedule(component.schema.parse({ ...minimalConfig(component), warmup }) as ScheduleConfig, 0.1);
      for (let step = 0; step < 1000; step++) {
        const v = schedule.lr(step);
        assert.ok(Number.isFinite(v) && v > 0, `${component.type} step ${step}: ${v}`);
      }
    }
  });
}
