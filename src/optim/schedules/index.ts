// Every learning-rate schedule a spec's `schedule` may name.
import { componentSchema } from '../../common/schema.js';
import { constant } from './constant.js';
import type { ScheduleComponent } from './schedule.js';

export const schedules: readonly ScheduleComponent[] = [constant];
export const scheduleSchema = componentSchema(schedules);

export function findSchedule(type: string): ScheduleComponent {
  const component = schedules.find((c) => c.type === type);
  if (!component) throw new Error(`no schedule '${type}'`);
  return component;
}
