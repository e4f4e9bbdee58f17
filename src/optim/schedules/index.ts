// Every learning-rate schedule a spec's `schedule` may name.
import { componentSchema, type ComponentConfig } from '../../common/schema.js';
import { constant } from './constant.js';
import { cosineRestarts } from './cosine-restarts.js';
import { triangular, triangular2 } from './cyclic.js';
import { exponential, inverseTime, stepDecay } from './decay.js';
import { withWarmup, type Schedule, type ScheduleComponent } from './schedule.js';

export const schedules: readonly ScheduleComponent[] = [constant, exponential, stepDecay, inverseTime, triangular, triangular2, cosineRestarts];
export const scheduleSchema = componentSchema(schedules);

export function findSchedule(type: string): ScheduleComponent {
  const component = schedules.find((c) => c.type === type);
  if (!component) throw new Error(`no schedule '${type}'`);
  return component;
}

export interface PlannedSchedule {
  lr: Schedule;
  per: 'update' | 'epoch';
}

export function createSchedule(config: ComponentConfig, baseLr: number): PlannedSchedule {
  const main = findSchedule(config.type).create(config as never, baseLr);
  return { lr: withWarmup(main, config.warmup as never), per: config.per as 'update' | 'epoch' };
}
