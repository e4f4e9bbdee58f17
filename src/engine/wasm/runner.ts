// What the wasm backend's layer kernels (wasm-conv.ts, wasm-pooling.ts, wasm-batchnorm.ts) need
// of it: its memory, its kernels, and a way to run tasks on its threads.
import type { Arena } from './arena.js';
import type { KernelExports } from './module.js';
import type { Task } from './slots.js';

/** The backend as its layer kernels see it. */
export interface KernelRunner {
  readonly arena: Arena;
  readonly kernels: KernelExports;
  readonly threads: number;
  readonly panel: { rows: number; cols: number };
  /** One task here, more on the pool. */
  run(tasks: Task[]): void;
  /** `parts` scratch areas of `bytes` each, from `free` on: where the t-th starts. */
  scratch(free: number, parts: number, bytes: number): (t: number) => number;
}
