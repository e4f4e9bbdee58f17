// Kernel threads over one shared WebAssembly memory. The main thread hands each worker a part of
// a product through the worker's slot of a shared control block, computes its own part, and
// waits; no messages, no copies. Which thread computes an element never changes how it is
// summed (gemm.ts), so results do not depend on the thread count.
import { Worker } from 'node:worker_threads';
import { ARGS, DONE, FAILED, SEQ, SPIN } from './slots.js';

export type GemmArgs = [m: number, n: number, k: number, a: number, lda: number, transA: number, b: number, ldb: number,
  transB: number, c: number, ldc: number, accumulate: number, scratch: number];

export class KernelPool {
  private seq = 0;

  private constructor(private readonly workers: Worker[], private readonly slots: Int32Array[]) {}

  static async start(module: WebAssembly.Module, memory: WebAssembly.Memory, count: number): Promise<KernelPool> {
    const control = new SharedArrayBuffer(64 * Math.max(count, 1));
    const workers = Array.from({ length: count }, (_, slot) =>
      new Worker(new URL('./worker.js', import.meta.url), { workerData: { module, memory, control, slot } }));
    await Promise.all(workers.map((worker) => new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    })));
    for (const worker of workers) worker.unref(); // an idle pool never keeps the process alive
    return new KernelPool(workers, workers.map((_, slot) => new Int32Array(control, slot * 64, 16)));
  }

  get size(): number {
    return this.workers.length;
  }

  /** Runs parts[0] here via `local` and parts[1…] on the workers; returns when all are done. */
  run(parts: GemmArgs[], local: (args: GemmArgs) => void): void {
    const seq = ++this.seq;
    for (let w = 0; w + 1 < parts.length; w++) {
      const ctl = this.slots[w];
      ctl.set(parts[w + 1], ARGS);
      Atomics.store(ctl, SEQ, seq);
      Atomics.notify(ctl, SEQ);
    }
    local(parts[0]);
    let failed = false;
    for (let w = 0; w + 1 < parts.length; w++) {
      const ctl = this.slots[w];
      for (let spins = 0; Atomics.load(ctl, DONE) !== seq; ) {
        if (++spins > SPIN) Atomics.wait(ctl, DONE, seq - 1, 100);
      }
      if (Atomics.exchange(ctl, FAILED, 0)) failed = true;
    }
    if (failed) throw new Error('a wasm kernel thread trapped');
  }

  async stop(): Promise<void> {
    for (const ctl of this.slots) {
      Atomics.store(ctl, SEQ, -1);
      Atomics.notify(ctl, SEQ);
    }
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
