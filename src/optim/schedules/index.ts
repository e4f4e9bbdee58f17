// Every learning-rate schedule a spec's `schedule` may name.
import type * as z from 'zod';
import { registry } from '../../common/registry.js';
import { constant } from './constant.js';
import { cosineRestarts } from './cosine-restarts.js';
import { triangular, triangular2 } from './cyclic.js';
import { exponential, inverseTime, stepDecay } from './decay.js';
import { withWarmup, type Schedule, type ScheduleComponent } from './schedule.js';

export const scheduleRegistry = registry<ScheduleComponent>()('schedule', [constant, exponential, stepDecay, inverseTime, triangular, triangular2, cosineRestarts]);
export const schedules = scheduleRegistry.components;
export const scheduleSchema = scheduleRegistry.schema;
export type ScheduleConfig = z.output<typeof scheduleSchema>;
export const findSchedule = scheduleRegistry.find;

export interface PlannedSchedule {
  lr: Schedule;
  per: 'update' | 'epoch';
}

export function createSchedule(config: ScheduleConfig, baseLr: number): PlannedSchedule {
  const main = findSchedule(config.type).create(config, baseLr);
  return { lr: withWarmup(main, config.warmup), per: config.per };
}
