// A schedule is a function step → lr (optax in spirit); `per` says whether step counts updates
// or epochs.
import type * as z from 'zod';
import type { Component } from '../../common/schema.js';

export type Schedule = (step: number) => number;

export interface ScheduleComponent<S extends z.ZodObject = z.ZodObject> extends Component<S> {
  create(config: z.output<S>, baseLr: number): Schedule;
}
