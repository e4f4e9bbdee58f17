// Cyclical learning rates (Smith 2017, https://arxiv.org/abs/1506.01186) as PyTorch's CyclicLR:
// from the optimizer's lr up to `maxLr` over `stepSize` steps and back; triangular2 halves the
// amplitude every cycle.
import { count, positive } from '../../common/schema.js';
import { defineSchedule, scheduleSchema, type Schedule } from './schedule.js';

function cyclic(baseLr: number, maxLr: number, stepSize: number, scale: (cycle: number) => number): Schedule {
  return (step) => {
    const cycle = Math.floor(1 + step / (2 * stepSize));
    const x = Math.abs(step / stepSize - 2 * cycle + 1);
    return baseLr + (maxLr - baseLr) * Math.max(0, 1 - x) * scale(cycle);
  };
}

const shape = { maxLr: positive(), stepSize: count() };

export const triangular = defineSchedule({
  type: 'triangular',
  summary: 'from `lr` up to `maxLr` in `stepSize` steps and back down, repeated',
  schema: scheduleSchema('triangular', 'update', shape),
  create: ({ maxLr, stepSize }, lr) => cyclic(lr, maxLr, stepSize, () => 1),
});

export const triangular2 = defineSchedule({
  type: 'triangular2',
  summary: 'triangular with the amplitude halved every cycle',
  schema: scheduleSchema('triangular2', 'update', shape),
  create: ({ maxLr, stepSize }, lr) => cyclic(lr, maxLr, stepSize, (cycle) => 1 / 2 ** (cycle - 1)),
});
