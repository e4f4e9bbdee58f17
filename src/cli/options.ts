// Option parsing shared by commands; commander parses, zod checks values.
import { availableParallelism } from 'node:os';
import * as z from 'zod';
import { line, type Io } from './io.js';
import { SpecError } from '../common/errors.js';
import { parseOverride, type Override } from '../config/overrides.js';

export function overridesFrom(sets: string[] | undefined, extra: Record<string, string | undefined> = {}): Override[] {
  const list = (sets ?? []).map(parseOverride);
  for (const [key, value] of Object.entries(extra)) {
    if (value !== undefined) list.push(parseOverride(`${key}=${value}`));
  }
  return list;
}

export function checked<T>(schema: z.ZodType<T>, value: unknown, option: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new SpecError([`${option} ${String(value)}: ${r.error.issues[0]?.message ?? 'invalid'}`]);
  return r.data;
}

export const splitOption = z.enum(['train', 'val', 'test'], { message: 'expected train, val or test' });

const threadsSchema = z.coerce.number().int({ message: 'expected a whole number ≥ 1' }).min(1, { message: 'expected a whole number ≥ 1' });

/** --threads N: undefined (one per core, at most 8) when absent. */
export const threadsFrom = (value: string | undefined): number | undefined =>
  value === undefined ? undefined : checked(threadsSchema, value, '--threads');

/**
 * --threads, capped at the machine's cores (os.availableParallelism()) with a warning: more
 * threads than cores only wait for each other, and results do not depend on the count.
 */
export function threadsFor(io: Io, value: string | undefined): number | undefined {
  const threads = threadsFrom(value);
  const cores = availableParallelism();
  if (threads === undefined || threads <= cores) return threads;
  line(io.err, `${io.color.yellow('warning')} --threads ${threads}: this machine has ${cores} core${cores === 1 ? '' : 's'}; using ${cores}`);
  return cores;
}
