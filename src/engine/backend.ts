// The kernels a backend provides. The reference backend (reference.ts) is the readable
// oracle; faster backends implement the same interface and pass the same test table.
import type { ConvGeometry } from './conv.js';
import type { Rng } from '../random/rng.js';

export interface MatmulArgs {
  /** a is m×k (or k×m when transA), b is k×n (or n×k when transB), out is m×n. */
  m: number;
  k: number;
  n: number;
  transA?: boolean;
  transB?: boolean;
  /** out = a·b + (accumulate ? out : 0) */
  accumulate?: boolean;
}

/** Max pooling over `planes` H×W planes, kh×kw windows at strides sh, sw, no padding. */
export interface PoolGeometry {
  planes: number; H: number; W: number;
  kh: number; kw: number; sh: number; sw: number;
  outH: number; outW: number;
}

/** One Adam step's scalars: w ← w − stepSize·m / (√v / correction2 + eps). */
export interface AdamStep {
  stepSize: number;
  correction2: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/** The smooth activations the backends run: sigmoid 1/(1 + e⁻ˣ), tanh, elu x > 0 ? x : α(eˣ − 1). */
export const SQUASHES = ['sigmoid', 'tanh', 'elu'] as const;
export type Squash = (typeof SQUASHES)[number];

export interface Backend {
  readonly name: string;
  /** Threads the large kernels run on (results do not depend on it). */
  readonly threads: number;
  /** Which kernels run: 'typescript', 'relaxed-simd' (fused multiply-add) or 'simd'. */
  readonly variant: string;
  /**
   * A zeroed buffer for long-lived tensors (parameters, their gradients, optimizer state) that
   * the kernels use in place, without copying; the reference backend returns a plain array.
   */
  alloc(length: number): Float32Array;
  /** Gives back a buffer from alloc() that nothing uses any more. */
  free(buffer: Float32Array): void;
  matmul(a: Float32Array, b: Float32Array, out: Float32Array, args: MatmulArgs): void;
  /**
   * A mini-batch's samples in the epoch's order: out[i·width …] = src[rows[i]·width …] for each
   * i < rows.length; every row must lie inside src (a RangeError names the first that does not).
   */
  gatherRows(src: Float32Array, width: number, rows: Int32Array, out: Float32Array): void;
  /**
   * A hint, no effect on any result: the next batch's rows (as gatherRows takes them), which a
   * backend may start loading from memory while the current step runs (native: its idle threads).
   */
  prefetchRows?(src: Float32Array, width: number, rows: Int32Array): void;
  /** out[i, j] += bias[j] over rows of length bias.length. */
  addRowVector(out: Float32Array, bias: Float32Array): void;
  /** out[j] = Σ_i x[i, j]: column sums of a rows×bias.length matrix (bias gradients). */
  sumRows(x: Float32Array, cols: number, out: Float32Array): void;
  /** y = f(x) for a smooth activation (alpha: elu's; the others ignore it). */
  squash(kind: Squash, x: Float32Array, y: Float32Array, alpha: number): void;
  /** dx = dy · f′(x), with f′ written from x and y = f(x). */
  squashBackward(kind: Squash, x: Float32Array, y: Float32Array, dy: Float32Array, dx: Float32Array, alpha: number): void;
  /** y = x > 0 ? x : alpha·x (relu when alpha is 0, mapping NaN to 0). */
  leakyRelu(x: Float32Array, y: Float32Array, alpha: number): void;
  /** dx = dy · (x > 0 ? 1 : alpha). */
  leakyReluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, alpha: number): void;
  /** y = the max of each window; argmax = the flat index in x of each window's first maximum. */
  maxpool(x: Float32Array, y: Float32Array, argmax: Int32Array, g: PoolGeometry): void;
  /** dx = 0, then dx[argmax[o]] += dy[o]: each window's gradient to its maximum (g as in maxpool). */
  maxpoolBackward(dy: Float32Array, argmax: Int32Array, dx: Float32Array, g: PoolGeometry): void;
  /** Average pooling (g as in maxpool, planes of x to planes of y): y = the mean of each window. */
  avgpool(x: Float32Array, y: Float32Array, g: PoolGeometry): void;
  /** dx = 0, then each window's dy / (kh·kw) added onto its cells. */
  avgpoolBackward(dy: Float32Array, dx: Float32Array, g: PoolGeometry): void;
  /**
   * Batch normalization's statistics over x[n][C][S] (S = 1 for dense input, H·W for images):
   * per channel the mean and m2 = Σ (x − mean)², in float64 (C = mean.length).
   */
  batchnormStats(x: Float32Array, n: number, S: number, mean: Float64Array, m2: Float64Array): void;
  /** y = γ·x̂ + β with x̂ = (x − mean)·inv per channel; x̂ is also written when given. */
  batchnormApply(x: Float32Array, y: Float32Array, xhat: Float32Array | undefined, mean: Float32Array, inv: Float32Array,
    gamma: Float32Array, beta: Float32Array, n: number, S: number): void;
  /** dγ = Σ dy·x̂, dβ = Σ dy, dx = γ·inv·(dy − dβ/count − x̂·dγ/count) per channel (count = n·S). */
  batchnormBackward(dy: Float32Array, xhat: Float32Array, dx: Float32Array, gamma: Float32Array, inv: Float32Array,
    dGamma: Float32Array, dBeta: Float32Array, n: number, S: number): void;
  /** Inverted dropout: mask = u < keep ? 1/keep : 0 with u = rng.uniform() per value in order, y = x·mask. */
  dropout(x: Float32Array, y: Float32Array, mask: Float32Array, keep: number, rng: Rng): void;
  /** dx = dy·mask. */
  dropoutBackward(dy: Float32Array, mask: Float32Array, dx: Float32Array): void;
  /** Adam's update of w, m, v in place from g (Kingma & Ba 2015, PyTorch's arithmetic). */
  adam(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, step: AdamStep): void;
  /**
   * One penalized parameter's share of the weight penalty (REFERENCE.md §4), in one pass over w:
   * sums[0] += Σ|w| and sums[1] += Σw² (float64), and L2's gradient g += 2·l2·w when l2 ≠ 0.
   */
  penalize(w: Float32Array, g: Float32Array, l2: number, sums: Float64Array): void;
  /**
   * A batch of n NCHW images through a convolution: y[s, f, ·] = W[f]·im2col(x_s) + b[f]. `cols`
   * (n·K·P values) keeps what this backend's backward pass needs: each sample's im2col columns
   * (K × P, sample after sample) on the reference backend; Winograd tiles (wasm) or a copy of x
   * (native) where those serve.
   */
  conv2dForward(x: Float32Array, weight: Float32Array, bias: Float32Array, y: Float32Array, cols: Float32Array, g: ConvGeometry, n: number): void;
  /** The convolution's weight and bias gradients, and its input gradient when dx is given, from the forward pass's `cols`. */
  conv2dBackward(cols: Float32Array, weight: Float32Array, dy: Float32Array, dWeight: Float32Array, dBias: Float32Array,
    dx: Float32Array | undefined, g: ConvGeometry, n: number): void;
}
