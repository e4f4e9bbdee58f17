// Kernel threads over one shared WebAssembly memory. The main thread hands each worker a kernel
// call through the worker's slot of a shared control block, makes its own call, and waits; no
// messages, no copies. Callers split work so that which thread computes an element never
// changes how it is computed (gemm.ts, partition.ts), so results do not depend on the thread count.
import { Worker } from 'node:worker_threads';
import { ARGS_BYTE, DONE, FAILED, MAX_ARGS, OP, OPS, SEQ, SLOT_BYTES, SPIN, type Task } from './slots.js';

const OP_INDEX = new Map(OPS.map((op, i) => [op, i]));

export class KernelPool {
  private seq = 0;

  private constructor(
    private readonly workers: Worker[],
    private readonly slots: Int32Array[],
    private readonly args: Float64Array[],
  ) {}

  static async start(module: WebAssembly.Module, memory: WebAssembly.Memory, count: number): Promise<KernelPool> {
    const control = new SharedArrayBuffer(SLOT_BYTES * Math.max(count, 1));
    const workers = Array.from({ length: count }, (_, slot) =>
      new Worker(new URL('./worker.js', import.meta.url), { workerData: { module, memory, control, slot } }));
    await Promise.all(workers.map((worker) => new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    })));
    for (const worker of workers) worker.unref(); // an idle pool never keeps the process alive
    return new KernelPool(workers,
      workers.map((_, slot) => new Int32Array(control, slot * SLOT_BYTES, ARGS_BYTE / 4)),
      workers.map((_, slot) => new Float64Array(control, slot * SLOT_BYTES + ARGS_BYTE, MAX_ARGS)));
  }

  get size(): number {
    return this.workers.length;
  }

  /** Runs tasks[0] here via `local` and tasks[1…] on the workers; returns when all are done. */
  run(tasks: Task[], local: (task: Task) => void): void {
    if (tasks.length - 1 > this.workers.length) throw new Error(`${tasks.length} tasks for ${this.workers.length + 1} threads`);
    const seq = ++this.seq;
    for (let w = 0; w + 1 < tasks.length; w++) {
      const { op, args } = tasks[w + 1];
      const ctl = this.slots[w];
      ctl[OP] = OP_INDEX.get(op)!;
      this.args[w].set(args);
      Atomics.store(ctl, SEQ, seq);
      Atomics.notify(ctl, SEQ);
    }
    local(tasks[0]);
    let failed = false;
    for (let w = 0; w + 1 < tasks.length; w++) {
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
