// The optimizer's learning rate at every step.
import { defineSchedule, scheduleSchema } from './schedule.js';

export const constant = defineSchedule({
  type: 'constant',
  summary: "the optimizer's `lr` throughout",
  schema: scheduleSchema('constant', 'update', {}),
  create: (_c, lr) => () => lr,
});
