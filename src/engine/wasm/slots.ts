// The control block the main thread and each kernel thread share: 16 int32 per thread.
export const SEQ = 0; // task number, raised by the main thread; negative stops the thread
export const DONE = 1; // the last task number the thread finished
export const FAILED = 2; // 1 when a kernel trapped
export const ARGS = 3; // 13 gemm arguments
export const SPIN = 20000;
