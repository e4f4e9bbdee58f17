// The reference backend: plain loops, written to be read, and the oracle the faster backends
// are tested against. Each output element is accumulated in float64 over p = 0…k−1 in order, so
// results are reproducible bit for bit. Loops run i-p-j so the inner loop walks memory in order.
import type { AdamStep, Backend, MatmulArgs, PoolGeometry, Squash } from './backend.js';
import { conv2dBackward, conv2dForward } from './conv.js';
import { allocFloats } from './tensor.js';

type Vec = Float32Array | Float64Array;

/**
 * One parameter's share of the weight penalty in one pass (Backend.penalize): sums[0] += Σ|w|,
 * sums[1] += Σw² in order, and g += 2·l2·w when l2 ≠ 0.
 */
export function penalize(w: Vec, g: Vec, l2: number, sums: Float64Array): void {
  let [abs, sq] = [sums[0], sums[1]];
  // an indexed loop: V8 runs a typed array's iterator several times slower
  for (let i = 0; i < w.length; i++) {
    abs += Math.abs(w[i]);
    sq += w[i] * w[i];
  }
  [sums[0], sums[1]] = [abs, sq];
  if (l2 !== 0) for (let i = 0; i < w.length; i++) g[i] += 2 * l2 * w[i];
}

/** Adam's update in float64 arithmetic; also what the optimizer runs on float64 (golden) weights. */
export function adamUpdate(w: Vec, g: Vec, m: Vec, v: Vec, { stepSize, correction2, beta1, beta2, eps }: AdamStep): void {
  const [k1, k2] = [1 - beta1, 1 - beta2];
  for (let i = 0; i < w.length; i++) {
    const gi = g[i];
    m[i] = beta1 * m[i] + k1 * gi;
    v[i] = beta2 * v[i] + k2 * gi * gi;
    // read back: in float32 training the stored (rounded) moments are the ones used
    w[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) / correction2 + eps);
  }
}

/** The smooth activations in float64: f(x, α), and f′ written from x, y = f(x) and α. */
const squashes: Record<Squash, { f: (x: number, alpha: number) => number; df: (x: number, y: number, alpha: number) => number }> = {
  // no overflow on either side: e⁻ˣ only for x ≥ 0, eˣ below
  sigmoid: { f: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))), df: (_x, y) => y * (1 - y) },
  tanh: { f: Math.tanh, df: (_x, y) => (1 - y) * (1 + y) },
  elu: { f: (x, alpha) => (x > 0 ? x : alpha * Math.expm1(x)), df: (x, y, alpha) => (x > 0 ? 1 : y + alpha) },
};

let rowBuffer = new Float64Array(0);
let transposed = new Float32Array(0);

/** gatherRows in TypeScript: one copy per row (the reference and wasm backends; the dataset lives in JS memory). */
export function gatherRows(src: Float32Array, width: number, rows: Int32Array, out: Float32Array): void {
  if (out.length < rows.length * width) throw new RangeError(`gatherRows: out has ${out.length} values, expected at least ${rows.length * width}`);
  if (width === 0) return; // rows of nothing: nothing to copy or check
  const count = Math.floor(src.length / width);
  // every row before any copy, as the native kernel does
  for (const r of rows) if (!(r >= 0 && r < count)) throw new RangeError(`gatherRows: row ${r} lies outside the ${count} rows`);
  for (let i = 0; i < rows.length; i++) out.set(src.subarray(rows[i] * width, (rows[i] + 1) * width), i * width);
}

export const referenceBackend: Backend = {
  name: 'reference',
  threads: 1,
  variant: 'typescript',

  alloc: (length) => allocFloats(length),
  free: () => {},

  matmul(a, b, out, { m, k, n, transA = false, transB = false, accumulate = false }: MatmulArgs) {
    // b as k×n row-major: transpose it once when it comes as n×k
    let bk = b;
    if (transB) {
      if (transposed.length < k * n) transposed = new Float32Array(k * n);
      for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) transposed[p * n + j] = b[j * k + p];
      bk = transposed;
    }
    if (rowBuffer.length < n) rowBuffer = new Float64Array(n);
    const acc = rowBuffer;
    for (let i = 0; i < m; i++) {
      acc.fill(0, 0, n);
      for (let p = 0; p < k; p++) {
        const av = transA ? a[p * m + i] : a[i * k + p];
        if (av === 0) continue;
        const row = p * n;
        for (let j = 0; j < n; j++) acc[j] += av * bk[row + j];
      }
      const o = i * n;
      if (accumulate) for (let j = 0; j < n; j++) out[o + j] += acc[j];
      else for (let j = 0; j < n; j++) out[o + j] = acc[j];
    }
  },

  gatherRows,

  addRowVector(out, bias) {
    const n = bias.length;
    for (let i = 0; i < out.length; i += n) {
      for (let j = 0; j < n; j++) out[i + j] += bias[j];
    }
  },

  sumRows(x, cols, out) {
    out.fill(0);
    for (let i = 0; i < x.length; i += cols) {
      for (let j = 0; j < cols; j++) out[j] += x[i + j];
    }
  },

  squash(kind, x, y, alpha) {
    const { f } = squashes[kind];
    for (let i = 0; i < x.length; i++) y[i] = f(x[i], alpha);
  },

  squashBackward(kind, x, y, dy, dx, alpha) {
    const { df } = squashes[kind];
    for (let i = 0; i < x.length; i++) dx[i] = dy[i] * df(x[i], y[i], alpha);
  },

  leakyRelu(x, y, alpha) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      y[i] = v > 0 ? v : alpha === 0 ? 0 : alpha * v;
    }
  },

  leakyReluBackward(x, dy, dx, alpha) {
    for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? dy[i] : dy[i] * alpha;
  },

  maxpool(x, y, argmax, { planes, H, W, kh, kw, sh, sw, outH, outW }: PoolGeometry) {
    let o = 0;
    for (let plane = 0; plane < planes; plane++) {
      for (let oy = 0; oy < outH; oy++) for (let ox = 0; ox < outW; ox++, o++) {
        const corner = plane * H * W + oy * sh * W + ox * sw;
        let at = corner;
        for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) if (x[corner + i * W + j] > x[at]) at = corner + i * W + j;
        y[o] = x[at];
        argmax[o] = at;
      }
    }
  },

  maxpoolBackward(dy, argmax, dx, g) {
    dx.subarray(0, g.planes * g.H * g.W).fill(0);
    for (let o = 0; o < g.planes * g.outH * g.outW; o++) dx[argmax[o]] += dy[o];
  },

  avgpool(x, y, { planes, H, W, kh, kw, sh, sw, outH, outW }) {
    let o = 0;
    for (let plane = 0; plane < planes; plane++) {
      for (let oy = 0; oy < outH; oy++) for (let ox = 0; ox < outW; ox++, o++) {
        const corner = plane * H * W + oy * sh * W + ox * sw;
        let sum = 0;
        for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) sum += x[corner + i * W + j];
        y[o] = sum / (kh * kw);
      }
    }
  },

  avgpoolBackward(dy, dx, { planes, H, W, kh, kw, sh, sw, outH, outW }) {
    dx.subarray(0, planes * H * W).fill(0);
    let o = 0;
    for (let plane = 0; plane < planes; plane++) {
      for (let oy = 0; oy < outH; oy++) for (let ox = 0; ox < outW; ox++, o++) {
        const corner = plane * H * W + oy * sh * W + ox * sw;
        const share = dy[o] / (kh * kw);
        for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) dx[corner + i * W + j] += share;
      }
    }
  },

  batchnormStats(x, n, S, mean, m2) {
    const C = mean.length;
    for (let c = 0; c < C; c++) {
      let [sum, squares] = [0, 0];
      for (let i = 0; i < n; i++) for (let k = 0; k < S; k++) sum += x[(i * C + c) * S + k];
      mean[c] = sum / (n * S);
      for (let i = 0; i < n; i++) for (let k = 0; k < S; k++) squares += (x[(i * C + c) * S + k] - mean[c]) ** 2;
      m2[c] = squares;
    }
  },

  batchnormApply(x, y, xhat, mean, inv, gamma, beta, n, S) {
    const C = mean.length;
    for (let i = 0; i < n; i++) for (let c = 0; c < C; c++) for (let k = 0; k < S; k++) {
      const at = (i * C + c) * S + k;
      const h = (x[at] - mean[c]) * inv[c];
      if (xhat) xhat[at] = h;
      y[at] = gamma[c] * h + beta[c];
    }
  },

  batchnormBackward(dy, xhat, dx, gamma, inv, dGamma, dBeta, n, S) {
    const C = gamma.length;
    const count = n * S;
    for (let c = 0; c < C; c++) {
      let [sumDy, sumDyXhat] = [0, 0];
      for (let i = 0; i < n; i++) for (let k = 0; k < S; k++) {
        const at = (i * C + c) * S + k;
        sumDy += dy[at];
        sumDyXhat += dy[at] * xhat[at];
      }
      [dGamma[c], dBeta[c]] = [sumDyXhat, sumDy];
      const scale = gamma[c] * inv[c];
      for (let i = 0; i < n; i++) for (let k = 0; k < S; k++) {
        const at = (i * C + c) * S + k;
        dx[at] = scale * (dy[at] - sumDy / count - (xhat[at] * sumDyXhat) / count);
      }
    }
  },

  dropout(x, y, mask, keep, rng) {
    for (let i = 0; i < x.length; i++) {
      mask[i] = rng.uniform() < keep ? 1 / keep : 0;
      y[i] = x[i] * mask[i];
    }
  },

  dropoutBackward(dy, mask, dx) {
    for (let i = 0; i < dy.length; i++) dx[i] = dy[i] * mask[i];
  },

  adam: adamUpdate,
  penalize,

  conv2dForward(x, weight, bias, y, cols, g, n) {
    conv2dForward(referenceBackend.matmul, x, weight, bias, y, cols, g, n);
  },

  conv2dBackward(cols, weight, dy, dWeight, dBias, dx, g, n) {
    conv2dBackward(referenceBackend.matmul, cols, weight, dy, dWeight, dBias, dx, g, n);
  },
};
