// A schedule is a function step → lr (optax in spirit). `per` says whether step counts updates
// or epochs; an optional linear warmup composes in front of any schedule, written once here.
import * as z from 'zod';
import { count, strictObject, type Component } from '../../common/schema.js';

export type Schedule = (step: number) => number;

export const warmupSchema = strictObject({
  /** Warmup length, in the schedule's steps (updates or epochs). */
  steps: count(),
  startFactor: z.number().gt(0).max(1).default(0.1),
});

export function scheduleSchema<T extends string, S extends z.ZodRawShape>(type: T, per: 'update' | 'epoch', shape: S) {
  return strictObject({
    type: z.literal(type),
    ...shape,
    per: z.enum(['update', 'epoch']).default(per),
    warmup: warmupSchema.optional(),
  });
}

export interface ScheduleComponent<S extends z.ZodObject = z.ZodObject> extends Component<S> {
  /** The schedule without warmup, from the optimizer's lr. */
  create(config: z.output<S>, baseLr: number): Schedule;
}

export const defineSchedule = <S extends z.ZodObject>(c: ScheduleComponent<S>) => c;

/**
 * Linear warmup (Goyal et al. 2017, https://arxiv.org/abs/1706.02677) as PyTorch's LinearLR:
 * over the first W steps the factor rises from startFactor to 1 on the main schedule's first
 * value; after them the main schedule runs from its own step 0.
 */
export function withWarmup(main: Schedule, warmup: z.output<typeof warmupSchema> | undefined): Schedule {
  if (!warmup) return main;
  const { steps, startFactor } = warmup;
  return (step) => (step < steps ? main(0) * (startFactor + ((1 - startFactor) * step) / steps) : main(step - steps));
}
