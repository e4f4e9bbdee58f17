// zod helpers shared by every component schema: strict objects whose unknown-key errors
// carry a did-you-mean, and the shorthand that lets a bare string stand for {type: …}.
import * as z from 'zod';
import { didYouMean } from './suggest.js';

export function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  return `unknown key '${key}'${didYouMean(key, allowed)}`;
}

/**
 * A strict object. An unrecognized_keys issue gets one message line per key, in the order of
 * the issue's `keys`, so that config/errors.ts can place each key at its own line.
 */
export function strictObject<T extends z.ZodRawShape>(shape: T) {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((k: string) => unknownKeyMessage(k, allowed)).join('\n')
        : undefined,
  });
}

/** A positive finite number. */
export const positive = () => z.number().positive().finite();

/** A whole number ≥ 1. */
export const count = () => z.number().int().min(1);

/** What every component (layer, optimizer, schedule, dataset, …) has in common. */
export interface Component<S extends z.ZodType = z.ZodType> {
  /** The `type` value that selects it in a spec. */
  readonly type: string;
  /** One line for the README and `dlx schema`. */
  readonly summary: string;
  /** Its options, with defaults; `type` is a literal. */
  readonly schema: S;
}
