// The default backend: matrix products (and so dense, maxout and convolution) and the
// element-wise kernels (activations, pooling, Adam) in WebAssembly SIMD, split across a pool of
// threads over shared memory when large enough to gain from it. Parameters, gradients, optimizer
// state and the layers' outputs live in the module's memory (alloc) and are used in place; other
// operands (a batch's inputs) are copied in and results out (arena.ts).
import { SQUASHES, type AdamStep, type Backend, type MatmulArgs, type PoolGeometry, type Squash } from '../backend.js';
import type { ConvGeometry } from '../conv.js';
import type { Rng } from '../../random/rng.js';
import { align, Arena } from './arena.js';
import { kernelModule, instantiate, newMemory, type KernelExports, type KernelVariant } from './module.js';
import { MIN_VALUES_PER_THREAD, partition, split } from './partition.js';
import { KernelPool } from './pool.js';
import type { Op, Task } from './slots.js';
import { batchnormApply, batchnormBackward, batchnormStats } from './wasm-batchnorm.js';
import { gatherRows, penalize } from '../reference.js';
import type { KernelRunner } from './runner.js';
import { conv2dBackward, conv2dForward } from './wasm-conv.js';
import { avgpool, avgpoolBackward, maxpool, maxpoolBackward } from './wasm-pooling.js';

export interface WasmBackend extends Backend {
  readonly variant: KernelVariant;
  stop(): Promise<void>;
  /** Every resident buffer given back at once (Arena.reset): between two trials of one process. */
  releaseAll(): void;
}

class Wasm implements WasmBackend, KernelRunner {
  readonly name = 'wasm';
  readonly arena: Arena;
  readonly panel: { rows: number; cols: number };
  private readonly local: (task: Task) => void;

  constructor(
    readonly variant: KernelVariant,
    memory: WebAssembly.Memory,
    readonly kernels: KernelExports,
    private readonly pool: KernelPool,
  ) {
    this.arena = new Arena(memory);
    this.panel = { rows: kernels.panelRows(), cols: kernels.panelCols() };
    const calls = kernels as unknown as Record<Op, (...args: number[]) => void>;
    this.local = ({ op, args }) => calls[op](...args);
  }

  get threads(): number {
    return this.pool.size + 1;
  }

  alloc(length: number): Float32Array {
    return this.arena.alloc(length);
  }

  free(buffer: Float32Array): void {
    this.arena.free(buffer);
  }

  releaseAll(): void {
    this.arena.reset();
  }

  matmul(a: Float32Array, b: Float32Array, out: Float32Array, { m, k, n, transA = false, transB = false, accumulate = false }: MatmulArgs): void {
    if (m === 0 || n === 0) return;
    const c = out.subarray(0, m * n);
    const { at: [A, B, C], end } = this.arena.place([a.subarray(0, m * k), b.subarray(0, k * n), accumulate || this.arena.resident(c) ? c : m * n]);
    this.gemm({ m, k, n, transA, transB, accumulate }, A, B, C, end);
    this.arena.fetch(C, c);
  }

  /** C (=|+=) op(A)·op(B) on operands already in memory (byte offsets); scratch from `free` on. */
  private gemm({ m, k, n, transA = false, transB = false, accumulate = false }: MatmulArgs, A: number, B: number, C: number, free: number): void {
    const parts = partition(m, n, k, this.threads, this.panel.rows, this.panel.cols);
    const scratch = this.scratch(free, parts.length, this.kernels.scratchBytes(Math.max(...parts.map(([, , j0, j1]) => j1 - j0))));
    const lda = transA ? m : k;
    const ldb = transB ? k : n;
    this.run(parts.map(([i0, i1, j0, j1], t) => ({
      op: 'gemm',
      args: [i1 - i0, j1 - j0, k, A + 4 * (transA ? i0 : i0 * k), lda, Number(transA),
        B + 4 * (transB ? j0 * k : j0), ldb, Number(transB), C + 4 * (i0 * n + j0), n, Number(accumulate), scratch(t)],
    })));
  }

  /** Reserves `parts` scratch areas of `bytes` each from `free` on. */
  scratch(free: number, parts: number, bytes: number): (t: number) => number {
    const size = align(bytes);
    this.arena.reserve(free + size * parts);
    return (t) => free + t * size;
  }

  /** One task here, more on the pool. */
  run(tasks: Task[]): void {
    if (tasks.length === 1) this.local(tasks[0]);
    else this.pool.run(tasks, this.local);
  }

  /** Element-wise work over `count` values in runs of whole cache lines, one per thread. */
  private eachRun(count: number, task: (from: number, to: number) => Task): void {
    this.run(split(count, this.threads, MIN_VALUES_PER_THREAD, 16).map(([from, to]) => task(from, to)));
  }

  /** The dataset lives in JS memory, so the batch is copied there, row by row. */
  gatherRows(src: Float32Array, width: number, rows: Int32Array, out: Float32Array): void {
    gatherRows(src, width, rows, out);
  }

  addRowVector(out: Float32Array, bias: Float32Array): void {
    const { at: [po, pb] } = this.arena.place([out, bias]);
    this.kernels.addRowVector(po, pb, out.length / bias.length, bias.length);
    this.arena.fetch(po, out);
  }

  sumRows(x: Float32Array, cols: number, out: Float32Array): void {
    const { at: [px, po] } = this.arena.place([x, this.arena.out(out.subarray(0, cols))]);
    this.kernels.sumRows(px, x.length / cols, cols, po);
    this.arena.fetch(po, out.subarray(0, cols));
  }

  squash(kind: Squash, x: Float32Array, y: Float32Array, alpha: number): void {
    const { at: [px, py] } = this.arena.place([x, this.arena.out(y)]);
    const k = SQUASHES.indexOf(kind);
    this.eachRun(x.length, (from, to) => ({ op: 'squash', args: [k, px + 4 * from, py + 4 * from, to - from, alpha] }));
    this.arena.fetch(py, y);
  }

  squashBackward(kind: Squash, x: Float32Array, y: Float32Array, dy: Float32Array, dx: Float32Array, alpha: number): void {
    const { at: [px, py, pdy, pdx] } = this.arena.place([x, y, dy, this.arena.out(dx)]);
    const k = SQUASHES.indexOf(kind);
    this.eachRun(x.length, (from, to) => ({ op: 'squashBackward', args: [k, px + 4 * from, py + 4 * from, pdy + 4 * from, pdx + 4 * from, to - from, alpha] }));
    this.arena.fetch(pdx, dx);
  }

  leakyRelu(x: Float32Array, y: Float32Array, alpha: number): void {
    const { at: [px, py] } = this.arena.place([x, this.arena.out(y)]);
    this.eachRun(x.length, (from, to) => ({ op: 'leakyRelu', args: [px + 4 * from, py + 4 * from, to - from, alpha] }));
    this.arena.fetch(py, y);
  }

  leakyReluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, alpha: number): void {
    const { at: [px, pdy, pdx] } = this.arena.place([x, dy, this.arena.out(dx)]);
    this.eachRun(x.length, (from, to) => ({ op: 'leakyReluBackward', args: [px + 4 * from, pdy + 4 * from, pdx + 4 * from, to - from, alpha] }));
    this.arena.fetch(pdx, dx);
  }

  maxpool(x: Float32Array, y: Float32Array, argmax: Int32Array, g: PoolGeometry): void {
    maxpool(this, x, y, argmax, g);
  }

  maxpoolBackward(dy: Float32Array, argmax: Int32Array, dx: Float32Array, g: PoolGeometry): void {
    maxpoolBackward(this, dy, argmax, dx, g);
  }

  avgpool(x: Float32Array, y: Float32Array, g: PoolGeometry): void {
    avgpool(this, x, y, g);
  }

  avgpoolBackward(dy: Float32Array, dx: Float32Array, g: PoolGeometry): void {
    avgpoolBackward(this, dy, dx, g);
  }

  batchnormStats(x: Float32Array, n: number, S: number, mean: Float64Array, m2: Float64Array): void {
    batchnormStats(this, x, n, S, mean, m2);
  }

  batchnormApply(x: Float32Array, y: Float32Array, xhat: Float32Array | undefined, mean: Float32Array, inv: Float32Array,
    gamma: Float32Array, beta: Float32Array, n: number, S: number): void {
    batchnormApply(this, x, y, xhat, mean, inv, gamma, beta, n, S);
  }

  batchnormBackward(dy: Float32Array, xhat: Float32Array, dx: Float32Array, gamma: Float32Array, inv: Float32Array,
    dGamma: Float32Array, dBeta: Float32Array, n: number, S: number): void {
    batchnormBackward(this, dy, xhat, dx, gamma, inv, dGamma, dBeta, n, S);
  }

  dropout(x: Float32Array, y: Float32Array, mask: Float32Array, keep: number, rng: Rng): void {
    const state = new Int32Array(rng.state.buffer);
    const { at: [px, py, pm, ps] } = this.arena.place([x, this.arena.out(y.subarray(0, x.length)), this.arena.out(mask.subarray(0, x.length)), state]);
    this.kernels.dropout(px, py, pm, x.length, keep, ps);
    this.arena.fetchInts(ps, state);
    rng.setState(new Uint32Array(state.buffer));
    this.arena.fetch(py, y.subarray(0, x.length));
    this.arena.fetch(pm, mask.subarray(0, x.length));
  }

  dropoutBackward(dy: Float32Array, mask: Float32Array, dx: Float32Array): void {
    const { at: [pdy, pm, pdx] } = this.arena.place([dy, mask.subarray(0, dy.length), this.arena.out(dx.subarray(0, dy.length))]);
    this.eachRun(dy.length, (from, to) => ({ op: 'dropoutBackward', args: [pdy + 4 * from, pm + 4 * from, pdx + 4 * from, to - from] }));
    this.arena.fetch(pdx, dx.subarray(0, dy.length));
  }

  adam(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, s: AdamStep): void {
    const { at: [pw, pg, pm, pv] } = this.arena.place([w, g, m, v]);
    this.eachRun(w.length, (from, to) => ({
      op: 'adam',
      args: [pw + 4 * from, pg + 4 * from, pm + 4 * from, pv + 4 * from, to - from,
        s.stepSize, s.correction2, s.beta1, s.beta2, 1 - s.beta1, 1 - s.beta2, s.eps],
    }));
    this.arena.fetch(pw, w);
    this.arena.fetch(pm, m);
    this.arena.fetch(pv, v);
  }

  /** In TypeScript: a pass over one parameter costs less than moving it into the arena. */
  penalize(w: Float32Array, g: Float32Array, l2: number, sums: Float64Array): void {
    penalize(w, g, l2, sums);
  }

  conv2dForward(x: Float32Array, weight: Float32Array, bias: Float32Array, y: Float32Array, cols: Float32Array, g: ConvGeometry, n: number): void {
    conv2dForward(this, x, weight, bias, y, cols, g, n);
  }

  conv2dBackward(cols: Float32Array, weight: Float32Array, dy: Float32Array, dWeight: Float32Array, dBias: Float32Array,
    dx: Float32Array | undefined, g: ConvGeometry, n: number): void {
    conv2dBackward(this, cols, weight, dy, dWeight, dBias, dx, g, n);
  }

  stop(): Promise<void> {
    return this.pool.stop();
  }
}

const started = new Map<string, Promise<WasmBackend>>();

/** The WebAssembly backends this process started (for releaseAll between trials). */
export const startedWasmBackends = (): Promise<WasmBackend>[] => [...started.values()];

/** The WebAssembly backend on `threads` threads (this one and threads − 1 workers), started once per process. */
export function wasmBackend(threads: number, prefer: KernelVariant = 'relaxed-simd'): Promise<WasmBackend> {
  const key = `${prefer}/${threads}`;
  let backend = started.get(key);
  if (!backend) {
    backend = (async () => {
      const { module, variant } = kernelModule(prefer);
      const memory = newMemory();
      const pool = await KernelPool.start(module, memory, threads - 1);
      return new Wasm(variant, memory, instantiate(module, memory), pool);
    })();
    started.set(key, backend);
  }
  return backend;
}
