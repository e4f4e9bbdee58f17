// The wasm backend's convolutions: one sample at a time, each thread a run of whole samples.
// 3×3 stride-1 convolutions deep enough for it go through Winograd's F(2×2, 3×3)
// (assembly/winograd.ts): forward, input gradient and weight gradient, with the forward pass's
// transformed tiles kept in `cols` for the weight gradient. Others use im2col and products
// (assembly/conv.ts), the columns kept in `cols`. Either way `cols` stays in the module's memory
// between forward and backward when it is resident.
import type { ConvGeometry } from '../conv.js';
import { MIN_FLOPS_PER_THREAD, MIN_VALUES_PER_THREAD, partition, split } from './partition.js';
import type { KernelRunner } from './runner.js';

const sizes = (g: ConvGeometry, F: number) => ({ F, K: g.inC * g.kh * g.kw, P: g.outH * g.outW, inSize: g.inC * g.inH * g.inW });

const geometryArgs = (g: ConvGeometry) =>
  [g.inC, g.inH, g.inW, g.kh, g.kw, g.sh, g.sw, g.outH, g.outW, g.padTop, g.padLeft] as const;

const threeByThree = (g: ConvGeometry) => g.kh === 3 && g.kw === 3 && g.sh === 1 && g.sw === 1;

/**
 * Winograd pays when its products are deep enough (8 or more channels summed over); the forward
 * pass takes it when the transformed tiles it keeps (16 per tile and channel) fit where im2col's
 * columns (9 per output and channel) would go, which holds for all but outputs a few pixels wide.
 */
const winogradForward = (r: KernelRunner, g: ConvGeometry, n: number) =>
  threeByThree(g) && g.inC >= 8 && r.kernels.winogradKept(n, g.inC, g.outH, g.outW) <= 4 * n * g.inC * 9 * g.outH * g.outW;
const winogradInputGrad = (g: ConvGeometry, F: number) => threeByThree(g) && F >= 8;

/** y[s] = W·im2col(x[s]) + b for n samples; cols keeps what the backward pass needs. */
export function conv2dForward(r: KernelRunner, x: Float32Array, weight: Float32Array, bias: Float32Array, y: Float32Array, cols: Float32Array,
  g: ConvGeometry, n: number): void {
  const { F, K, P, inSize } = sizes(g, bias.length);
  const c = cols.subarray(0, n * K * P);
  const out = y.subarray(0, n * F * P);
  const winograd = winogradForward(r, g, n);
  const { at: [px, pw, pb, pc, py, pu], end } = r.arena.place([x.subarray(0, n * inSize), weight, bias, r.arena.out(c), r.arena.out(out),
    winograd ? 16 * F * g.inC : 0]);
  const samples = split(n, r.threads, Math.ceil(MIN_FLOPS_PER_THREAD / (2 * F * K * P)));
  if (winograd) {
    r.kernels.winogradFilter(pw, pu, F, g.inC, 0);
    const scratch = r.scratch(end, samples.length, r.kernels.winogradScratch(g.inC, F, g.outH, g.outW));
    r.run(samples.map(([s0, s1], t) => ({
      op: 'winogradConv', args: [px, pu, pb, py, pc, s0, s1, g.inC, g.inH, g.inW, F, g.outH, g.outW, g.padTop, g.padLeft, scratch(t)],
    })));
  } else {
    const scratch = r.scratch(end, samples.length, r.kernels.scratchBytes(P));
    r.run(samples.map(([s0, s1], t) => ({ op: 'convForward', args: [px, pw, pb, py, pc, s0, s1, F, ...geometryArgs(g), scratch(t)] })));
  }
  r.arena.fetch(py, out);
  r.arena.fetch(pc, c);
}

/** The weight and bias gradients from the forward pass's `cols`, and the input gradient when dx is given. */
export function conv2dBackward(r: KernelRunner, cols: Float32Array, weight: Float32Array, dy: Float32Array, dWeight: Float32Array,
  dBias: Float32Array, dx: Float32Array | undefined, g: ConvGeometry, n: number): void {
  const { F, K, P, inSize } = sizes(g, dBias.length);
  const winograd = winogradForward(r, g, n);
  const { at: [pc, pw, pdy, pdw, pdb, pdx, pdu], end } = r.arena.place([
    cols.subarray(0, n * K * P), weight, dy.subarray(0, n * F * P), r.arena.out(dWeight), r.arena.out(dBias),
    dx ? r.arena.out(dx.subarray(0, n * inSize)) : 0, winograd ? 16 * F * g.inC : 0]);
  if (winograd) {
    // dU = Σ over chunks of samples of Z·Vᵀ in tile space, chunks shared out among the threads
    // and their sums added up in chunk order; then dW = Gᵀ dU G
    const chunks = r.kernels.winogradChunks(n, g.outH, g.outW);
    const size = 16 * F * g.inC;
    const pdUc = end;
    const free = pdUc + 4 * chunks * size + 64;
    const shares = split(chunks, r.threads, 1);
    const scratch = r.scratch(free, shares.length, r.kernels.winogradWeightScratch(F, g.inC, g.outH, g.outW));
    r.run(shares.map(([k0, k1], t) => ({ op: 'winogradWeightChunks', args: [pdy, pc, pdUc, k0, k1, n, F, g.inC, g.outH, g.outW, scratch(t)] })));
    r.run(split(size, r.threads, MIN_VALUES_PER_THREAD / chunks, 16).map(([from, to]) => ({
      op: 'winogradSumChunks', args: [pdUc, pdu, chunks, size, from, to],
    })));
    r.kernels.winogradFilterGrad(pdu, pdw, F, g.inC);
  } else {
    // dW[F, K] = Σ_s dy_s[F, P]·cols_sᵀ, split over dW like any product
    const parts = partition(F, K, n * P, r.threads, r.panel.rows, r.panel.cols);
    const scratch = r.scratch(end, parts.length, r.kernels.scratchBytes(Math.max(...parts.map(([, , j0, j1]) => j1 - j0))));
    r.run(parts.map(([i0, i1, j0, j1], t) => ({
      op: 'gemmSamples',
      args: [n, i1 - i0, j1 - j0, P, pdy + 4 * i0 * P, P, F * P, 0, pc + 4 * j0 * P, P, K * P, 1, pdw + 4 * (i0 * K + j0), K, 0, scratch(t)],
    })));
  }
  const filters = split(F, r.threads, Math.ceil(MIN_VALUES_PER_THREAD / (n * P)));
  r.run(filters.map(([f0, f1]) => ({ op: 'biasGrad', args: [pdy, pdb, f0, f1, F, n, P] })));
  r.arena.fetch(pdw, dWeight);
  r.arena.fetch(pdb, dBias);
  if (!dx) return;
  const samples = split(n, r.threads, Math.ceil(MIN_FLOPS_PER_THREAD / (2 * F * K * P)));
  if (winogradInputGrad(g, F)) {
    // dy through the filters rotated by 180° with their channels swapped, padded by 2 − pad
    const pu = end;
    const scratch = r.scratch(pu + 4 * 16 * F * g.inC + 64, samples.length, r.kernels.winogradScratch(F, g.inC, g.inH, g.inW));
    r.kernels.winogradFilter(pw, pu, F, g.inC, 1);
    r.run(samples.map(([s0, s1], t) => ({
      op: 'winogradConv', args: [pdy, pu, 0, pdx, 0, s0, s1, F, g.outH, g.outW, g.inC, g.inH, g.inW, 2 - g.padTop, 2 - g.padLeft, scratch(t)],
    })));
  } else {
    const dcols = r.scratch(end, samples.length, r.kernels.scratchBytes(P) + r.kernels.convBackwardScratch(K, P, 0));
    r.run(samples.map(([s0, s1], t) => ({ op: 'convBackwardData', args: [pw, pdy, pdx, s0, s1, F, ...geometryArgs(g), dcols(t)] })));
  }
  r.arena.fetch(pdx, dx.subarray(0, n * inSize));
}
