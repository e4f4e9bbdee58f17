// Decay schedules: exponential lr·γ^step; step lr·γ^⌊step/every⌋ (per epoch by default);
// inverse-time lr/(1 + rate·step/decaySteps), the deck's "fractional" decay and Keras's
// InverseTimeDecay — the old Keras SGD(decay=d) is rate d with decaySteps 1.
import * as z from 'zod';
import { count, positive } from '../../common/schema.js';
import { defineSchedule, scheduleSchema } from './schedule.js';

export const exponential = defineSchedule({
  type: 'exponential',
  summary: 'lr·γ^step',
  schema: scheduleSchema('exponential', 'update', { gamma: z.number().gt(0).max(1) }),
  create: ({ gamma }, lr) => (step) => lr * gamma ** step,
});

export const stepDecay = defineSchedule({
  type: 'step',
  summary: 'lr·γ^⌊step/every⌋, stepping per epoch by default',
  schema: scheduleSchema('step', 'epoch', { every: count(), gamma: z.number().gt(0).max(1).default(0.1) }),
  create: ({ every, gamma }, lr) => (step) => lr * gamma ** Math.floor(step / every),
});

export const inverseTime = defineSchedule({
  type: 'inverse-time',
  summary: 'lr/(1 + rate·step/decaySteps) (`staircase` floors step/decaySteps); Keras `decay: d` is `rate: d`',
  schema: scheduleSchema('inverse-time', 'update', { rate: positive(), decaySteps: count().default(1), staircase: z.boolean().default(false) }),
  create: ({ rate, decaySteps, staircase }, lr) => (step) => {
    const p = step / decaySteps;
    return lr / (1 + rate * (staircase ? Math.floor(p) : p));
  },
});
