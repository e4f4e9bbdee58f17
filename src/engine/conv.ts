// Convolution as im2col + matrix product, one sample at a time (Chellapilla et al. 2006,
// https://hal.inria.fr/inria-00112631): the gather, its adjoint, and the reference backend's
// convolution, whose columns are K × P per sample, sample after sample (as wasm/assembly/conv.ts).
import type { MatmulArgs } from './backend.js';

export interface ConvGeometry {
  inC: number; inH: number; inW: number;
  kh: number; kw: number; sh: number; sw: number;
  outH: number; outW: number; padTop: number; padLeft: number;
}

/** The output columns ox whose input column ox·sw + j − padLeft lies inside [0, inW). */
function validColumns(g: ConvGeometry, j: number): [number, number] {
  const first = Math.max(0, Math.ceil((g.padLeft - j) / g.sw));
  const end = Math.min(g.outW, Math.floor((g.inW - 1 + g.padLeft - j) / g.sw) + 1);
  return [first, Math.max(first, end)];
}

/**
 * Visits the runs of the im2col matrix: for input channel c, kernel offset (i, j) and output row
 * oy, the run of outW columns starting at `run` (rows P = outH·outW long), the
 * input row's index shifted so that output column ox reads `input + ox·sw` (undefined when the
 * row lies in the padding), and the output columns [first, end) that read inside the image.
 */
function eachRun(g: ConvGeometry, visit: (run: number, input: number | undefined, first: number, end: number) => void): void {
  const { inC, inH, inW, kh, kw, sh, outH, outW, padTop, padLeft } = g;
  let row = 0;
  for (let c = 0; c < inC; c++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++, row++) {
    const [first, end] = validColumns(g, j);
    for (let oy = 0; oy < outH; oy++) {
      const y = oy * sh + i - padTop;
      visit(row * outH * outW + oy * outW, y < 0 || y >= inH ? undefined : (c * inH + y) * inW + j - padLeft, first, end);
    }
  }
}

/** cols[(c·kh + i)·kw + j][oy·outW + ox] = x[c][oy·sh + i − padTop][ox·sw + j − padLeft], 0 outside. */
export function im2col(x: Float32Array, g: ConvGeometry, cols: Float32Array): void {
  const { outW, sw } = g;
  eachRun(g, (run, input, first, end) => {
    if (input === undefined) [first, end] = [0, 0];
    for (let ox = 0; ox < first; ox++) cols[run + ox] = 0;
    for (let ox = first; ox < end; ox++) cols[run + ox] = x[input! + ox * sw];
    for (let ox = end; ox < outW; ox++) cols[run + ox] = 0;
  });
}

/** The adjoint of im2col: adds each column entry back to its input pixel. */
export function col2im(cols: Float32Array, g: ConvGeometry, dx: Float32Array): void {
  const { sw } = g;
  eachRun(g, (run, input, first, end) => {
    if (input !== undefined) for (let ox = first; ox < end; ox++) dx[input + ox * sw] += cols[run + ox];
  });
}

type Matmul = (a: Float32Array, b: Float32Array, out: Float32Array, args: MatmulArgs) => void;

const sizes = (g: ConvGeometry) => ({ K: g.inC * g.kh * g.kw, P: g.outH * g.outW, inSize: g.inC * g.inH * g.inW });

/** y[s, f, p] = Σ_k W[f, k]·cols_s[k, p] + b[f]. */
export function conv2dForward(matmul: Matmul, x: Float32Array, weight: Float32Array, bias: Float32Array, y: Float32Array, cols: Float32Array,
  g: ConvGeometry, n: number): void {
  const { K, P, inSize } = sizes(g);
  const F = bias.length;
  for (let s = 0; s < n; s++) {
    const [cs, ys] = [cols.subarray(s * K * P, (s + 1) * K * P), y.subarray(s * F * P, (s + 1) * F * P)];
    im2col(x.subarray(s * inSize, (s + 1) * inSize), g, cs);
    matmul(weight, cs, ys, { m: F, k: K, n: P });
    for (let f = 0; f < F; f++) for (let p = 0; p < P; p++) ys[f * P + p] += bias[f];
  }
}

/** dW = Σ_s dY_s·cols_sᵀ, db = Σ dY over samples and positions, and dx_s = col2im(Wᵀ·dY_s) when dx is given. */
export function conv2dBackward(matmul: Matmul, cols: Float32Array, weight: Float32Array, dy: Float32Array, dWeight: Float32Array, dBias: Float32Array,
  dx: Float32Array | undefined, g: ConvGeometry, n: number): void {
  const { K, P, inSize } = sizes(g);
  const F = dBias.length;
  for (let f = 0; f < F; f++) {
    let sum = 0;
    for (let s = 0; s < n; s++) for (let p = 0; p < P; p++) sum += dy[(s * F + f) * P + p];
    dBias[f] = sum;
  }
  dWeight.fill(0);
  const dcols = new Float32Array(K * P);
  for (let s = 0; s < n; s++) {
    const [cs, dys] = [cols.subarray(s * K * P, (s + 1) * K * P), dy.subarray(s * F * P, (s + 1) * F * P)];
    matmul(dys, cs, dWeight, { m: F, k: P, n: K, transB: true, accumulate: true });
    if (!dx) continue;
    matmul(weight, dys, dcols, { m: K, k: F, n: P, transA: true });
    const dxs = dx.subarray(s * inSize, (s + 1) * inSize);
    dxs.fill(0);
    col2im(dcols, g, dxs);
  }
}
