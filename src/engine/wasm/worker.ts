// A kernel thread: runs the same module as the main thread on the shared memory, and waits on
// its slot of the control block for kernel calls (pool.ts describes the slot).
import { parentPort, workerData } from 'node:worker_threads';
import { instantiate } from './module.js';
import { ARGS_BYTE, DONE, FAILED, MAX_ARGS, OP, OPS, SEQ, SLOT_BYTES, SPIN } from './slots.js';

const { module, memory, control, slot } = workerData as {
  module: WebAssembly.Module; memory: WebAssembly.Memory; control: SharedArrayBuffer; slot: number;
};
const kernels = instantiate(module, memory) as unknown as Record<string, (...args: number[]) => void>;
const calls = OPS.map((name) => kernels[name]);
const ctl = new Int32Array(control, slot * SLOT_BYTES, ARGS_BYTE / 4);
const args = new Float64Array(control, slot * SLOT_BYTES + ARGS_BYTE, MAX_ARGS);
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
    const call = calls[ctl[OP]];
    call(...args.subarray(0, call.length));
  } catch {
    Atomics.store(ctl, FAILED, 1);
  }
  Atomics.store(ctl, DONE, seen);
  Atomics.notify(ctl, DONE);
}
