// The optimizer's learning rate at every step.
import * as z from 'zod';
import { strictObject } from '../../common/schema.js';
import type { ScheduleComponent } from './schedule.js';

export const constant = {
  type: 'constant',
  summary: 'the optimizer\'s `lr` throughout',
  schema: strictObject({ type: z.literal('constant') }),
  create: (_c, baseLr) => () => baseLr,
} satisfies ScheduleComponent;
