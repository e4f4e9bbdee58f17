// An initializer fills a parameter tensor given its fans (REFERENCE.md §5), drawing from the
// run's seeded init stream.
import type { Rng } from '../../random/rng.js';
import type { Component } from '../../common/schema.js';
import type * as z from 'zod';

export interface Fans {
  fanIn: number;
  fanOut: number;
}

export type Fill = (data: Float32Array, fans: Fans, rng: Rng) => void;

export interface InitializerComponent<S extends z.ZodObject = z.ZodObject> extends Component<S> {
  create(config: z.output<S>): Fill;
}

export function fillNormal(data: Float32Array, sd: number, rng: Rng): void {
  for (let i = 0; i < data.length; i++) data[i] = sd * rng.normal();
}

export function fillUniform(data: Float32Array, limit: number, rng: Rng): void {
  for (let i = 0; i < data.length; i++) data[i] = limit * (2 * rng.uniform() - 1);
}

/** Checks a component against the interface with its own config type, which it keeps (registry.ts). */
export const defineInitializer = <S extends z.ZodObject>(c: InitializerComponent<S>) => c;
