// The control block the main thread and each kernel thread share: one 256-byte slot per thread,
// int32 words up front and the kernel's arguments as float64 after them (every i32 offset and
// f32 factor a kernel takes is exact in a float64).
export const SLOT_BYTES = 256;
export const SEQ = 0; // task number, raised by the main thread; negative stops the thread
export const DONE = 1; // the last task number the thread finished
export const FAILED = 2; // 1 when a kernel trapped
export const OP = 3; // index into OPS of the kernel to run
export const ARGS_BYTE = 16; // where the float64 arguments start
export const MAX_ARGS = (SLOT_BYTES - ARGS_BYTE) / 8;
export const SPIN = 20000;

/** The kernels a thread can be handed (exports of the module), by index. */
export const OPS = ['gemm', 'gemmSamples', 'convForward', 'convBackwardData', 'biasGrad',
  'leakyRelu', 'leakyReluBackward', 'squash', 'squashBackward', 'maxpool', 'maxpoolBackward', 'avgpool', 'avgpoolBackward', 'adam',
  'batchnormStats', 'batchnormApply', 'batchnormBackward', 'dropoutBackward', 'winogradConv', 'winogradWeightChunks', 'winogradSumChunks'] as const;
export type Op = (typeof OPS)[number];

/** One kernel call: which export, with which arguments. */
export interface Task {
  op: Op;
  args: number[];
}
