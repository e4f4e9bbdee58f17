// The native backend: the kernels in C for the CPU's full vector width (AVX-512, AVX2+FMA or
// NEON; c/*.c, built at install by scripts/build-native.mjs), threads inside C, each output
// in fixed runs so results do not depend on the thread count. Operands are the callers' own
// typed arrays (zero copy: N-API hands C their memory), so alloc is a plain array. Every size
// is checked here (checks.ts) before a call crosses into C.
import { SQUASHES, type AdamStep, type Backend, type MatmulArgs, type PoolGeometry, type Squash } from '../backend.js';
import type { ConvGeometry } from '../conv.js';
import type { Rng } from '../../random/rng.js';
import { nativeAddon, type ConvArgs, type Isa, type NativeAddon, type PoolArgs } from './addon.js';
import { convGeometry, holds, poolGeometry, threadCount, whole } from './checks.js';

const poolArgs = (g: PoolGeometry): PoolArgs => [g.planes, g.H, g.W, g.kh, g.kw, g.sh, g.sw, g.outH, g.outW];
const convArgs = (g: ConvGeometry): ConvArgs => [g.inC, g.inH, g.inW, g.kh, g.kw, g.sh, g.sw, g.outH, g.outW, g.padTop, g.padLeft];

export interface NativeBackend extends Backend {
  readonly variant: Isa;
  prefetchRows(src: Float32Array, width: number, rows: Int32Array): void;
}

class Native implements NativeBackend {
  readonly name = 'native';
  readonly variant: Isa;

  constructor(private readonly c: NativeAddon, readonly threads: number) {
    this.variant = c.isa;
  }

  alloc(length: number): Float32Array {
    return new Float32Array(length);
  }

  free(): void {}

  matmul(a: Float32Array, b: Float32Array, out: Float32Array, { m, k, n, transA = false, transB = false, accumulate = false }: MatmulArgs): void {
    whole('matmul', 'm', m);
    whole('matmul', 'k', k);
    whole('matmul', 'n', n);
    holds('matmul', 'a', a, m * k);
    holds('matmul', 'b', b, k * n);
    holds('matmul', 'out', out, m * n);
    this.c.matmul(a, b, out, m, k, n, Number(transA), Number(transB), Number(accumulate), this.threads);
  }

  /** Each row index is checked in C against src's rows before anything is copied (addon.c throws on one outside). */
  gatherRows(src: Float32Array, width: number, rows: Int32Array, out: Float32Array): void {
    whole('gatherRows', 'width', width);
    whole('gatherRows', 'rows·width', rows.length * width);
    holds('gatherRows', 'out', out, rows.length * width);
    if (width === 0) return; // rows of nothing: nothing to copy or check
    this.c.gatherRows(src, Math.floor(src.length / width), width, rows, rows.length, out, this.threads);
  }

  /**
   * Noted in C for idle worker threads to fetch between jobs, while this thread runs the step's
   * serial parts (on 1 thread none is started, and nothing fetches them). Row indices are checked in C.
   */
  prefetchRows(src: Float32Array, width: number, rows: Int32Array): void {
    whole('prefetchRows', 'width', width);
    whole('prefetchRows', 'rows·width', rows.length * width);
    if (width === 0) return;
    this.c.prefetchRows(src, Math.floor(src.length / width), width, rows, rows.length);
  }

  addRowVector(out: Float32Array, bias: Float32Array): void {
    if (bias.length === 0 || out.length % bias.length !== 0) throw new RangeError(`native addRowVector: ${out.length} values are not rows of ${bias.length}`);
    this.c.addRowVector(out, bias, out.length / bias.length, bias.length, this.threads);
  }

  sumRows(x: Float32Array, cols: number, out: Float32Array): void {
    whole('sumRows', 'cols', cols, 1);
    if (x.length % cols !== 0) throw new RangeError(`native sumRows: ${x.length} values are not rows of ${cols}`);
    holds('sumRows', 'out', out, cols);
    this.c.sumRows(x, x.length / cols, cols, out, this.threads);
  }

  squash(kind: Squash, x: Float32Array, y: Float32Array, alpha: number): void {
    holds('squash', 'y', y, x.length);
    this.c.squash(SQUASHES.indexOf(kind), x, y, x.length, alpha, this.threads);
  }

  squashBackward(kind: Squash, x: Float32Array, y: Float32Array, dy: Float32Array, dx: Float32Array, alpha: number): void {
    holds('squashBackward', 'y', y, x.length);
    holds('squashBackward', 'dy', dy, x.length);
    holds('squashBackward', 'dx', dx, x.length);
    this.c.squashBackward(SQUASHES.indexOf(kind), x, y, dy, dx, x.length, alpha, this.threads);
  }

  leakyRelu(x: Float32Array, y: Float32Array, alpha: number): void {
    holds('leakyRelu', 'y', y, x.length);
    this.c.leakyRelu(x, y, x.length, alpha, this.threads);
  }

  leakyReluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, alpha: number): void {
    holds('leakyReluBackward', 'dy', dy, x.length);
    holds('leakyReluBackward', 'dx', dx, x.length);
    this.c.leakyReluBackward(x, dy, dx, x.length, alpha, this.threads);
  }

  maxpool(x: Float32Array, y: Float32Array, argmax: Int32Array, g: PoolGeometry): void {
    poolGeometry('maxpool', g);
    const outs = g.planes * g.outH * g.outW;
    holds('maxpool', 'x', x, g.planes * g.H * g.W);
    holds('maxpool', 'y', y, outs);
    holds('maxpool', 'argmax', argmax, outs);
    this.c.maxpool(x, y, argmax, ...poolArgs(g), this.threads);
  }

  /** Each argmax index is checked against its own plane in C, as it is used (addon.c throws on one outside). */
  maxpoolBackward(dy: Float32Array, argmax: Int32Array, dx: Float32Array, g: PoolGeometry): void {
    poolGeometry('maxpoolBackward', g);
    const outs = g.planes * g.outH * g.outW;
    holds('maxpoolBackward', 'dy', dy, outs);
    holds('maxpoolBackward', 'argmax', argmax, outs);
    holds('maxpoolBackward', 'dx', dx, g.planes * g.H * g.W);
    this.c.maxpoolBackward(dy, argmax, dx, ...poolArgs(g), this.threads);
  }

  avgpool(x: Float32Array, y: Float32Array, g: PoolGeometry): void {
    poolGeometry('avgpool', g);
    holds('avgpool', 'x', x, g.planes * g.H * g.W);
    holds('avgpool', 'y', y, g.planes * g.outH * g.outW);
    this.c.avgpool(x, y, ...poolArgs(g), this.threads);
  }

  avgpoolBackward(dy: Float32Array, dx: Float32Array, g: PoolGeometry): void {
    poolGeometry('avgpoolBackward', g);
    holds('avgpoolBackward', 'dy', dy, g.planes * g.outH * g.outW);
    holds('avgpoolBackward', 'dx', dx, g.planes * g.H * g.W);
    this.c.avgpoolBackward(dy, dx, ...poolArgs(g), this.threads);
  }

  batchnormStats(x: Float32Array, n: number, S: number, mean: Float64Array, m2: Float64Array): void {
    const C = mean.length;
    whole('batchnormStats', 'n', n);
    whole('batchnormStats', 'S', S);
    whole('batchnormStats', 'n·C·S', n * C * S);
    holds('batchnormStats', 'x', x, n * C * S);
    holds('batchnormStats', 'm2', m2, C);
    this.c.batchnormStats(x, n, C, S, mean, m2, this.threads);
  }

  batchnormApply(x: Float32Array, y: Float32Array, xhat: Float32Array | undefined, mean: Float32Array, inv: Float32Array,
    gamma: Float32Array, beta: Float32Array, n: number, S: number): void {
    const C = mean.length;
    const size = n * C * S;
    whole('batchnormApply', 'n', n);
    whole('batchnormApply', 'S', S);
    whole('batchnormApply', 'n·C·S', size);
    holds('batchnormApply', 'x', x, size);
    holds('batchnormApply', 'y', y, size);
    if (xhat) holds('batchnormApply', 'xhat', xhat, size);
    holds('batchnormApply', 'inv', inv, C);
    holds('batchnormApply', 'gamma', gamma, C);
    holds('batchnormApply', 'beta', beta, C);
    this.c.batchnormApply(x, y, xhat ?? null, mean, inv, gamma, beta, n, C, S, this.threads);
  }

  batchnormBackward(dy: Float32Array, xhat: Float32Array, dx: Float32Array, gamma: Float32Array, inv: Float32Array,
    dGamma: Float32Array, dBeta: Float32Array, n: number, S: number): void {
    const C = gamma.length;
    const size = n * C * S;
    whole('batchnormBackward', 'n', n);
    whole('batchnormBackward', 'S', S);
    whole('batchnormBackward', 'n·C·S', size);
    holds('batchnormBackward', 'dy', dy, size);
    holds('batchnormBackward', 'xhat', xhat, size);
    holds('batchnormBackward', 'dx', dx, size);
    holds('batchnormBackward', 'inv', inv, C);
    holds('batchnormBackward', 'dGamma', dGamma, C);
    holds('batchnormBackward', 'dBeta', dBeta, C);
    this.c.batchnormBackward(dy, xhat, dx, gamma, inv, dGamma, dBeta, n, C, S, this.threads);
  }

  dropout(x: Float32Array, y: Float32Array, mask: Float32Array, keep: number, rng: Rng): void {
    holds('dropout', 'y', y, x.length);
    holds('dropout', 'mask', mask, x.length);
    const state = rng.state;
    this.c.dropout(x, y, mask, x.length, keep, state, this.threads);
    rng.setState(state);
  }

  dropoutBackward(dy: Float32Array, mask: Float32Array, dx: Float32Array): void {
    holds('dropoutBackward', 'mask', mask, dy.length);
    holds('dropoutBackward', 'dx', dx, dy.length);
    this.c.dropoutBackward(dy, mask, dx, dy.length, this.threads);
  }

  adam(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, s: AdamStep): void {
    holds('adam', 'g', g, w.length);
    holds('adam', 'm', m, w.length);
    holds('adam', 'v', v, w.length);
    this.c.adam(w, g, m, v, w.length, s.stepSize, s.correction2, s.beta1, s.beta2, s.eps, this.threads);
  }

  penalize(w: Float32Array, g: Float32Array, l2: number, sums: Float64Array): void {
    holds('penalize', 'g', g, w.length);
    holds('penalize', 'sums', sums, 2);
    this.c.penalize(w, g, w.length, l2, sums);
  }

  conv2dForward(x: Float32Array, weight: Float32Array, bias: Float32Array, y: Float32Array, cols: Float32Array, g: ConvGeometry, n: number): void {
    const F = bias.length;
    const { K, P, inSize } = convGeometry('conv2dForward', g, F, n);
    holds('conv2dForward', 'x', x, n * inSize);
    holds('conv2dForward', 'weight', weight, F * K);
    holds('conv2dForward', 'y', y, n * F * P);
    holds('conv2dForward', 'cols', cols, n * K * P);
    this.c.conv2dForward(x, weight, bias, y, cols, ...convArgs(g), F, n, this.threads);
  }

  conv2dBackward(cols: Float32Array, weight: Float32Array, dy: Float32Array, dWeight: Float32Array, dBias: Float32Array,
    dx: Float32Array | undefined, g: ConvGeometry, n: number): void {
    const F = dBias.length;
    const { K, P, inSize } = convGeometry('conv2dBackward', g, F, n);
    holds('conv2dBackward', 'cols', cols, n * K * P);
    holds('conv2dBackward', 'weight', weight, F * K);
    holds('conv2dBackward', 'dy', dy, n * F * P);
    holds('conv2dBackward', 'dWeight', dWeight, F * K);
    if (dx) holds('conv2dBackward', 'dx', dx, n * inSize);
    this.c.conv2dBackward(cols, weight, dy, dWeight, dBias, dx ?? null, ...convArgs(g), F, n, this.threads);
  }
}

const started = new WeakMap<NativeAddon, Map<number, NativeBackend>>();

/** The native backend on `threads` threads; throws when the kernels are not built or this CPU runs none of them. */
export function nativeBackend(threads: number): NativeBackend {
  threadCount(threads);
  const loaded = nativeAddon();
  if ('why' in loaded) throw new Error(`the native kernels are unavailable: ${loaded.why}`);
  let byThreads = started.get(loaded.addon);
  if (!byThreads) started.set(loaded.addon, (byThreads = new Map()));
  let backend = byThreads.get(threads);
  if (!backend) byThreads.set(threads, (backend = new Native(loaded.addon, threads)));
  return backend;
}
