// A kernel thread: runs the same module as the main thread on the shared memory, and waits on
// its slot of the control block for products to compute (pool.ts describes the slot).
import { parentPort, workerData } from 'node:worker_threads';
import { instantiate } from './module.js';
import { ARGS, DONE, FAILED, SEQ, SPIN } from './slots.js';

const { module, memory, control, slot } = workerData as {
  module: WebAssembly.Module; memory: WebAssembly.Memory; control: SharedArrayBuffer; slot: number;
};
const kernels = instantiate(module, memory);
const ctl = new Int32Array(control, slot * 64, 16);
parentPort!.postMessage('ready');

let seen = 0;
for (;;) {
  // spin briefly, then sleep: a round trip costs ~1 µs warm against ~60 µs from a wait
  for (let spins = 0; Atomics.load(ctl, SEQ) === seen; ) {
    if (++spins > SPIN) Atomics.wait(ctl, SEQ, seen);
  }
  seen = Atomics.load(ctl, SEQ);
  if (seen < 0) break;
  try {
    const a = ctl.subarray(ARGS, ARGS + 13);
    kernels.gemm(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12]);
  } catch {
    Atomics.store(ctl, FAILED, 1);
  }
  Atomics.store(ctl, DONE, seen);
  Atomics.notify(ctl, DONE);
}
