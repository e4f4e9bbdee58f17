// The default backend: matrix products (and so dense, maxout and im2col convolution) in
// WebAssembly SIMD on a pool of threads over shared memory, and the element-wise kernels
// (relu, max pooling, Adam) in SIMD on this thread. Parameters, gradients and optimizer state
// live in the module's memory (alloc) and are used in place; other operands (activations, which
// the layers keep as plain Float32Arrays) are copied in and results out (arena.ts), which costs
// 3–9 % of a product's time (KERNELS.md) and still leaves SIMD 2–4× ahead of a JavaScript loop.
// Row-vector loops stay in TypeScript, where a copy in and out would cost more than the loop.
import type { AdamStep, Backend, MatmulArgs, PoolGeometry } from '../backend.js';
import type { ConvGeometry } from '../conv.js';
import { referenceBackend } from '../reference.js';
import { align, Arena } from './arena.js';
import { kernelModule, instantiate, newMemory, type KernelExports, type KernelVariant } from './module.js';
import { partition } from './partition.js';
import { KernelPool, type GemmArgs } from './pool.js';

export interface WasmBackend extends Backend {
  readonly variant: KernelVariant;
  stop(): Promise<void>;
}

class Wasm implements WasmBackend {
  readonly name = 'wasm';
  private readonly arena: Arena;
  private readonly mr: number;
  private readonly nr: number;
  private readonly local: (args: GemmArgs) => void;

  constructor(
    readonly variant: KernelVariant,
    memory: WebAssembly.Memory,
    private readonly kernels: KernelExports,
    private readonly pool: KernelPool,
  ) {
    this.arena = new Arena(memory);
    this.mr = kernels.panelRows();
    this.nr = kernels.panelCols();
    this.local = (a) => kernels.gemm(...a);
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
    const scratch = align(this.kernels.scratchBytes(Math.max(...parts.map(([, , j0, j1]) => j1 - j0))));
    this.arena.reserve(free + scratch * parts.length);
    const lda = transA ? m : k;
    const ldb = transB ? k : n;
    const args = parts.map(([i0, i1, j0, j1], t): GemmArgs => [
      i1 - i0, j1 - j0, k,
      A + 4 * (transA ? i0 : i0 * k), lda, Number(transA),
      B + 4 * (transB ? j0 * k : j0), ldb, Number(transB),
      C + 4 * (i0 * n + j0), n, Number(accumulate), free + t * scratch,
    ]);
    if (args.length === 1) this.local(args[0]);
    else this.pool.run(args, this.local);
  }

  addRowVector(out: Float32Array, bias: Float32Array): void {
    referenceBackend.addRowVector(out, bias);
  }

  sumRows(x: Float32Array, cols: number, out: Float32Array): void {
    referenceBackend.sumRows(x, cols, out);
  }

  leakyRelu(x: Float32Array, y: Float32Array, alpha: number): void {
    const { at: [px, py] } = this.arena.place([x, this.arena.out(y)]);
    this.kernels.leakyRelu(px, py, x.length, alpha);
    this.arena.fetch(py, y);
  }

  leakyReluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, alpha: number): void {
    const { at: [px, pdy, pdx] } = this.arena.place([x, dy, this.arena.out(dx)]);
    this.kernels.leakyReluBackward(px, pdy, pdx, x.length, alpha);
    this.arena.fetch(pdx, dx);
  }

  maxpool(x: Float32Array, y: Float32Array, argmax: Int32Array, g: PoolGeometry): void {
    const n = g.planes * g.outH * g.outW;
    const { at: [px, py, pa] } = this.arena.place([x.subarray(0, g.planes * g.H * g.W), this.arena.out(y.subarray(0, n)), n]);
    this.kernels.maxpool(px, py, pa, g.planes, g.H, g.W, g.kh, g.kw, g.sh, g.sw, g.outH, g.outW);
    this.arena.fetch(py, y.subarray(0, n));
    this.arena.fetchInts(pa, argmax.subarray(0, n));
  }

  maxpoolBackward(dy: Float32Array, argmax: Int32Array, dx: Float32Array): void {
    const { at: [pdy, pa, pdx] } = this.arena.place([dy, argmax.subarray(0, dy.length), this.arena.out(dx)]);
    this.kernels.maxpoolBackward(pdy, pa, pdx, dy.length, dx.length);
    this.arena.fetch(pdx, dx);
  }

  adam(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, s: AdamStep): void {
    const { at: [pw, pg, pm, pv] } = this.arena.place([w, g, m, v]);
    this.kernels.adam(pw, pg, pm, pv, w.length, s.stepSize, s.correction2, s.beta1, s.beta2, 1 - s.beta1, 1 - s.beta2, s.eps);
    this.arena.fetch(pw, w);
    this.arena.fetch(pm, m);
    this.arena.fetch(pv, v);
  }

  // Convolution: the gathers and both products run in the module's memory, so the im2col
  // columns (9 times the input for a 3×3 kernel) are never copied out.
  conv2dForward(x: Float32Array, weight: Float32Array, bias: Float32Array, y: Float32Array, cols: Float32Array, g: ConvGeometry, n: number): void {
    const { F, K, P, wide, inSize } = convSizes(g, bias.length, n);
    const c = cols.subarray(0, K * wide);
    const { at: [px, pw, pb, pc, product, py], end } = this.arena.place([
      x.subarray(0, n * inSize), weight, bias, this.arena.out(c), F * wide, this.arena.out(y.subarray(0, n * F * P))]);
    this.kernels.im2col(px, pc, n, ...geometryArgs(g));
    this.gemm({ m: F, k: K, n: wide }, pw, pc, product, end);
    this.kernels.unfold(product, pb, py, F, n, P);
    this.arena.fetch(py, y.subarray(0, n * F * P));
    this.arena.fetch(pc, c);
  }

  conv2dBackward(cols: Float32Array, weight: Float32Array, dy: Float32Array, dWeight: Float32Array, dBias: Float32Array,
    dx: Float32Array | undefined, g: ConvGeometry, n: number): void {
    const { F, K, P, wide, inSize } = convSizes(g, dBias.length, n);
    const { at: [pc, pw, pdy, dyT, pdw, pdb, dcols, pdx], end } = this.arena.place([
      cols.subarray(0, K * wide), weight, dy.subarray(0, n * F * P), F * wide, this.arena.out(dWeight), this.arena.out(dBias),
      dx ? K * wide : 0, dx ? this.arena.out(dx.subarray(0, n * inSize)) : 0]);
    this.kernels.fold(pdy, dyT, pdb, F, n, P);
    this.gemm({ m: F, k: wide, n: K, transB: true }, dyT, pc, pdw, end);
    this.arena.fetch(pdw, dWeight);
    this.arena.fetch(pdb, dBias);
    if (!dx) return;
    this.gemm({ m: K, k: F, n: wide, transA: true }, pw, dyT, dcols, end);
    this.kernels.col2im(dcols, pdx, n, ...geometryArgs(g));
    this.arena.fetch(pdx, dx.subarray(0, n * inSize));
  }

  stop(): Promise<void> {
    return this.pool.stop();
  }
}

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
