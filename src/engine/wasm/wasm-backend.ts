// The default backend: matrix products (and so dense, maxout and convolution) and the
// element-wise kernels (activations, pooling, Adam) in WebAssembly SIMD, split across a pool of
// threads over shared memory when large enough to gain from it. Parameters, gradients, optimizer
// state and the layers' outputs live in the module's memory (alloc) and are used in place; other
// operands (a batch's inputs) are copied in and results out (arena.ts).
import { SQUASHES, type AdamStep, type Backend, type MatmulArgs, type PoolGeometry, type Squash } from '../backend.js';
import type { ConvGeometry } from '../conv.js';
import type { Rng } from '../rng.js';
import { align, Arena } from './arena.js';
import { kernelModule, instantiate, newMemory, type KernelExports, type KernelVariant } from './module.js';
import { MIN_VALUES_PER_THREAD, partition, split } from './partition.js';
import { KernelPool } from './pool.js';
import type { Op, Task } from './slots.js';
import { conv2dBackward, conv2dForward, type KernelRunner } from './wasm-conv.js';

export interface WasmBackend extends Backend {
  readonly variant: KernelVariant;
  stop(): Promise<void>;
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
    const n = g.planes * g.outH * g.outW;
    const { at: [px, py, pa] } = this.arena.place([x.subarray(0, g.planes * g.H * g.W), this.arena.out(y.subarray(0, n)), this.arena.out(argmax.subarray(0, n))]);
    this.eachPlanes(g, (p0, p1) => ({ op: 'maxpool', args: [px, py, pa, p0, p1, g.H, g.W, g.kh, g.kw, g.sh, g.sw, g.outH, g.outW] }));
    this.arena.fetch(py, y.subarray(0, n));
    this.arena.fetchInts(pa, argmax.subarray(0, n));
  }

  maxpoolBackward(dy: Float32Array, argmax: Int32Array, dx: Float32Array, g: PoolGeometry): void {
    const [outs, ins] = [g.outH * g.outW, g.H * g.W];
    const n = g.planes * outs;
    const { at: [pdy, pa, pdx] } = this.arena.place([dy.subarray(0, n), argmax.subarray(0, n), this.arena.out(dx.subarray(0, g.planes * ins))]);
    this.eachPlanes(g, (p0, p1) => ({ op: 'maxpoolBackward', args: [pdy, pa, pdx, p0, p1, outs, ins] }));
    this.arena.fetch(pdx, dx.subarray(0, g.planes * ins));
  }

  avgpool(x: Float32Array, y: Float32Array, g: PoolGeometry): void {
    const [ins, outs] = [g.planes * g.H * g.W, g.planes * g.outH * g.outW];
    const { at: [px, py] } = this.arena.place([x.subarray(0, ins), this.arena.out(y.subarray(0, outs))]);
    this.eachPlanes(g, (p0, p1) => ({ op: 'avgpool', args: [px, py, p0, p1, g.H, g.W, g.kh, g.kw, g.sh, g.sw, g.outH, g.outW] }));
    this.arena.fetch(py, y.subarray(0, outs));
  }

  avgpoolBackward(dy: Float32Array, dx: Float32Array, g: PoolGeometry): void {
    const [ins, outs] = [g.planes * g.H * g.W, g.planes * g.outH * g.outW];
    const { at: [pdy, pdx] } = this.arena.place([dy.subarray(0, outs), this.arena.out(dx.subarray(0, ins))]);
    this.eachPlanes(g, (p0, p1) => ({ op: 'avgpoolBackward', args: [pdy, pdx, p0, p1, g.H, g.W, g.kh, g.kw, g.sh, g.sw, g.outH, g.outW] }));
    this.arena.fetch(pdx, dx.subarray(0, ins));
  }

  /** Pooling work in runs of whole planes, one per thread. */
  private eachPlanes(g: PoolGeometry, task: (p0: number, p1: number) => Task): void {
    this.run(split(g.planes, this.threads, Math.ceil(MIN_VALUES_PER_THREAD / (g.H * g.W))).map(([p0, p1]) => task(p0, p1)));
  }

  batchnormStats(x: Float32Array, n: number, S: number, mean: Float64Array, m2: Float64Array): void {
    const C = mean.length;
    const { at: [px, pm, pm2] } = this.arena.place([x.subarray(0, n * C * S), 2 * C, 2 * C]);
    this.eachChannels(n, C, S, (c0, c1) => ({ op: 'batchnormStats', args: [px, n, C, S, c0, c1, pm, pm2] }));
    this.arena.fetchFloat64(pm, mean);
    this.arena.fetchFloat64(pm2, m2);
  }

  batchnormApply(x: Float32Array, y: Float32Array, xhat: Float32Array | undefined, mean: Float32Array, inv: Float32Array,
    gamma: Float32Array, beta: Float32Array, n: number, S: number): void {
    const C = mean.length;
    const size = n * C * S;
    const { at: [px, py, pxhat, pmean, pinv, pg, pb] } = this.arena.place([x.subarray(0, size), this.arena.out(y.subarray(0, size)),
      xhat ? this.arena.out(xhat.subarray(0, size)) : 0, mean, inv, gamma, beta]);
    this.eachChannels(n, C, S, (c0, c1) => ({ op: 'batchnormApply', args: [px, py, xhat ? pxhat : 0, pmean, pinv, pg, pb, n, C, S, c0, c1] }));
    this.arena.fetch(py, y.subarray(0, size));
    if (xhat) this.arena.fetch(pxhat, xhat.subarray(0, size));
  }

  batchnormBackward(dy: Float32Array, xhat: Float32Array, dx: Float32Array, gamma: Float32Array, inv: Float32Array,
    dGamma: Float32Array, dBeta: Float32Array, n: number, S: number): void {
    const C = gamma.length;
    const size = n * C * S;
    const { at: [pdy, pxhat, pdx, pg, pinv, pdg, pdb] } = this.arena.place([dy.subarray(0, size), xhat.subarray(0, size),
      this.arena.out(dx.subarray(0, size)), gamma, inv, this.arena.out(dGamma), this.arena.out(dBeta)]);
    this.eachChannels(n, C, S, (c0, c1) => ({ op: 'batchnormBackward', args: [pdy, pxhat, pdx, pg, pinv, pdg, pdb, n, C, S, c0, c1] }));
    this.arena.fetch(pdx, dx.subarray(0, size));
    this.arena.fetch(pdg, dGamma);
    this.arena.fetch(pdb, dBeta);
  }

  /** Per-channel work over x[n][C][S] in runs of whole channels, one per thread. */
  private eachChannels(n: number, C: number, S: number, task: (c0: number, c1: number) => Task): void {
    this.run(split(C, this.threads, Math.ceil(MIN_VALUES_PER_THREAD / (n * S))).map(([c0, c1]) => task(c0, c1)));
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
