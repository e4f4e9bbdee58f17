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
import { MIN_FLOPS_PER_THREAD, MIN_VALUES_PER_THREAD, partition, split } from './partition.js';
import { KernelPool } from './pool.js';
import type { Op, Task } from './slots.js';

export interface WasmBackend extends Backend {
  readonly variant: KernelVariant;
  stop(): Promise<void>;
}

class Wasm implements WasmBackend {
  readonly name = 'wasm';
  private readonly arena: Arena;
  private readonly mr: number;
  private readonly nr: number;
  private readonly local: (task: Task) => void;

  constructor(
    readonly variant: KernelVariant,
    memory: WebAssembly.Memory,
    private readonly kernels: KernelExports,
    private readonly pool: KernelPool,
  ) {
    this.arena = new Arena(memory);
    this.mr = kernels.panelRows();
    this.nr = kernels.panelCols();
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
    const parts = partition(m, n, k, this.threads, this.mr, this.nr);
    const scratch = this.scratch(free, parts.length, Math.max(...parts.map(([, , j0, j1]) => j1 - j0)));
    const lda = transA ? m : k;
    const ldb = transB ? k : n;
    this.run(parts.map(([i0, i1, j0, j1], t) => ({
      op: 'gemm',
      args: [i1 - i0, j1 - j0, k, A + 4 * (transA ? i0 : i0 * k), lda, Number(transA),
        B + 4 * (transB ? j0 * k : j0), ldb, Number(transB), C + 4 * (i0 * n + j0), n, Number(accumulate), scratch(t)],
    })));
  }

  /** Reserves `parts` scratch areas for products `cols` wide (plus `extra` bytes each) from `free` on. */
  private scratch(free: number, parts: number, cols: number, extra = 0): (t: number) => number {
    const bytes = align(this.kernels.scratchBytes(cols) + extra);
    this.arena.reserve(free + bytes * parts);
    return (t) => free + t * bytes;
  }

  /** Reserves `parts` scratch areas of `bytes` each from `free` on. */
  private scratchBytes(free: number, parts: number, bytes: number): (t: number) => number {
    const size = align(bytes);
    this.arena.reserve(free + size * parts);
    return (t) => free + t * size;
  }

  /** One task here, more on the pool. */
  private run(tasks: Task[]): void {
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

  // Convolution one sample at a time (assembly/conv.ts), each thread a run of whole samples; the
  // columns stay in the module's memory between forward and backward when `cols` is resident.
  conv2dForward(x: Float32Array, weight: Float32Array, bias: Float32Array, y: Float32Array, cols: Float32Array, g: ConvGeometry, n: number): void {
    const { F, K, P, inSize } = convSizes(g, bias.length, n);
    const c = cols.subarray(0, n * K * P);
    const out = y.subarray(0, n * F * P);
    const { at: [px, pw, pb, pc, py, pu], end } = this.arena.place([x.subarray(0, n * inSize), weight, bias, this.arena.out(c), this.arena.out(out),
      winograd(g, g.inC) ? 16 * F * g.inC : 0]);
    const samples = split(n, this.threads, Math.ceil(MIN_FLOPS_PER_THREAD / (2 * F * K * P)));
    if (winograd(g, g.inC)) {
      this.kernels.winogradFilter(pw, pu, F, g.inC, 0);
      const scratch = this.scratchBytes(end, samples.length, this.kernels.winogradScratch(g.inC, F, g.outH, g.outW));
      this.run(samples.map(([s0, s1], t) => ({
        op: 'winogradConv', args: [px, pu, pb, py, pc, s0, s1, g.inC, g.inH, g.inW, F, g.outH, g.outW, g.padTop, g.padLeft, scratch(t)],
      })));
    } else {
      const scratch = this.scratch(end, samples.length, P);
      this.run(samples.map(([s0, s1], t) => ({ op: 'convForward', args: [px, pw, pb, py, pc, s0, s1, F, ...geometryArgs(g), scratch(t)] })));
    }
    this.arena.fetch(py, out);
    this.arena.fetch(pc, c);
  }

  conv2dBackward(cols: Float32Array, weight: Float32Array, dy: Float32Array, dWeight: Float32Array, dBias: Float32Array,
    dx: Float32Array | undefined, g: ConvGeometry, n: number): void {
    const { F, K, P, inSize } = convSizes(g, dBias.length, n);
    const { at: [pc, pw, pdy, pdw, pdb, pdx], end } = this.arena.place([
      cols.subarray(0, n * K * P), weight, dy.subarray(0, n * F * P), this.arena.out(dWeight), this.arena.out(dBias),
      dx ? this.arena.out(dx.subarray(0, n * inSize)) : 0]);
    // dW[F, K] = Σ_s dy_s[F, P]·cols_sᵀ, split over dW like any product
    const parts = partition(F, K, n * P, this.threads, this.mr, this.nr);
    const scratch = this.scratch(end, parts.length, Math.max(...parts.map(([, , j0, j1]) => j1 - j0)));
    this.run(parts.map(([i0, i1, j0, j1], t) => ({
      op: 'gemmSamples',
      args: [n, i1 - i0, j1 - j0, P, pdy + 4 * i0 * P, P, F * P, 0, pc + 4 * j0 * P, P, K * P, 1, pdw + 4 * (i0 * K + j0), K, 0, scratch(t)],
    })));
    const filters = split(F, this.threads, Math.ceil(MIN_VALUES_PER_THREAD / (n * P)));
    this.run(filters.map(([f0, f1]) => ({ op: 'biasGrad', args: [pdy, pdb, f0, f1, F, n, P] })));
    this.arena.fetch(pdw, dWeight);
    this.arena.fetch(pdb, dBias);
    if (!dx) return;
    const samples = split(n, this.threads, Math.ceil(MIN_FLOPS_PER_THREAD / (2 * F * K * P)));
    if (winograd(g, F)) {
      // the input gradient is dy through the filters rotated by 180° with their channels swapped
      const pu = end;
      this.arena.reserve(pu + 4 * 16 * F * g.inC);
      this.kernels.winogradFilter(pw, pu, F, g.inC, 1);
      const scratch = this.scratchBytes(align(pu + 4 * 16 * F * g.inC), samples.length, this.kernels.winogradScratch(F, g.inC, g.inH, g.inW));
      this.run(samples.map(([s0, s1], t) => ({
        op: 'winogradConv', args: [pdy, pu, 0, pdx, 0, s0, s1, F, g.outH, g.outW, g.inC, g.inH, g.inW, 2 - g.padTop, 2 - g.padLeft, scratch(t)],
      })));
    } else {
      const dcols = this.scratch(end, samples.length, P, this.kernels.convBackwardScratch(K, P, 0));
      this.run(samples.map(([s0, s1], t) => ({ op: 'convBackwardData', args: [pw, pdy, pdx, s0, s1, F, ...geometryArgs(g), dcols(t)] })));
    }
    this.arena.fetch(pdx, dx.subarray(0, n * inSize));
  }

  stop(): Promise<void> {
    return this.pool.stop();
  }
}

/**
 * 3×3 convolutions at stride 1 go through Winograd's F(2×2, 3×3) (assembly/winograd.ts) when the
 * products it makes are deep enough (`depth` input channels) to run at speed.
 */
const winograd = (g: ConvGeometry, depth: number) => g.kh === 3 && g.kw === 3 && g.sh === 1 && g.sw === 1 && depth >= 8;

const convSizes = (g: ConvGeometry, F: number, n: number) => {
  const P = g.outH * g.outW;
  return { F, K: g.inC * g.kh * g.kw, P, wide: n * P, inSize: g.inC * g.inH * g.inW };
};

const geometryArgs = (g: ConvGeometry) =>
  [g.inC, g.inH, g.inW, g.kh, g.kw, g.sh, g.sw, g.outH, g.outW, g.padTop, g.padLeft] as const;

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
