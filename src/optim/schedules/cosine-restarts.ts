// Cosine annealing with warm restarts (SGDR, Loshchilov & Hutter 2017,
// https://arxiv.org/abs/1608.03983): lr = minLr + (lr − minLr)(1 + cos(π·Tcur/Ti))/2, the
// period starting at `period` and multiplied by `mult` after each restart.
import * as z from 'zod';
import { count } from '../../common/schema.js';
import { defineSchedule, scheduleSchema } from './schedule.js';

export const cosineRestarts = defineSchedule({
  type: 'cosine-restarts',
  summary: 'cosine from `lr` down to `minLr` over `period` steps, then restart with the period × `mult`',
  schema: scheduleSchema('cosine-restarts', 'update', {
    period: count(),
    mult: z.number().int().min(1).default(1),
    minLr: z.number().min(0).default(0),
  }),
  create: ({ period, mult, minLr }, lr) => (step) => {
    // walk the periods in integers, so restarts land exactly where PyTorch's do
    let start = 0;
    let length = period;
    while (step >= start + length) {
      start += length;
      length *= mult;
    }
    return minLr + ((lr - minLr) * (1 + Math.cos((Math.PI * (step - start)) / length))) / 2;
  },
});
