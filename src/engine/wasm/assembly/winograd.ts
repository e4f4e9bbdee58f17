// 3×3 convolutions at stride 1 by Winograd's minimal filtering F(2×2, 3×3) (Lavin & Gray 2016,
// "Fast algorithms for convolutional neural networks", https://arxiv.org/abs/1509.09308): each
// 2×2 block of outputs from a 4×4 input tile with 16 products per channel pair instead of 36.
//   Y = Aᵀ[U ⊙ V]A,  U = G g Gᵀ (the filter),  V = Bᵀ d B (the tile)
// The 16 element-wise products, summed over input channels, are 16 matrix products
// M[ξ] = U[ξ] (F × C) · V[ξ] (C × tiles). Tiles are transformed four at a time (SIMD lanes along
// a row of tiles). The same kernel computes a 3×3 convolution's input gradient: a convolution of
// dy with the filters rotated by 180° and their channels swapped (winogradFilter's `transposed`).
// Every output is computed from its own tile in a fixed order, whichever samples a call covers.
import { gemm, scratchBytes } from './gemm';
import { f32At } from './im2col';
import { align64, chunkOf, inputTiles, outputTiles, padPlane, planeBytes, planeWidth, rowOf, tilesOf, zRow } from './winograd-tiles';

/** Bytes of scratch winogradConv needs for C input and F output channels. */
export function winogradScratch(C: i32, F: i32, outH: i32, outW: i32): usize {
  const tilesH = tilesOf(outH), tilesW = tilesOf(outW);
  const ld = rowOf(tilesH * tilesW);
  return 256 + planeBytes(tilesH, tilesW) + align64(<usize>(16 * C * ld) << 2) + align64(<usize>(16 * F * ld) << 2) + scratchBytes(ld);
}

/**
 * Samples [s0, s1) of x [n][C][H][W] through the 3×3 stride-1 convolution whose transformed
 * filters are U (winogradFilter): y [n][F][outH][outW] (+ bias b unless b is 0). With Vg not 0
 * the transformed tiles are kept there (winogradKept bytes), chunk after chunk as in scratch, for the
 * weight gradient (winogradWeightChunks); else they live in scratch.
 */
export function winogradConv(x: usize, U: usize, b: usize, y: usize, Vg: usize, s0: i32, s1: i32, C: i32, H: i32, W: i32,
  F: i32, outH: i32, outW: i32, padTop: i32, padLeft: i32, scratch: usize): void {
  const tilesH = tilesOf(outH), tilesW = tilesOf(outW), tiles = tilesH * tilesW;
  const ld = rowOf(tiles);
  const pw = planeWidth(tilesW);
  const tmp = scratch;
  const p = tmp + 256;
  const Vs = p + planeBytes(tilesH, tilesW);
  const M = Vs + align64(<usize>(16 * C * ld) << 2);
  const rest = M + align64(<usize>(16 * F * ld) << 2);
  const inSize = C * H * W, P = outH * outW;
  const chunk = chunkOf(tiles);
  // chunks start at multiples of `chunk` (a thread's first and last may be partial), so that
  // kept tiles sit where the weight gradient reads them whatever the threads' shares
  for (let sa = s0; sa < s1; sa = (sa / chunk + 1) * chunk) {
    const sb = min(s1, (sa / chunk + 1) * chunk);
    const width = (sb - sa) * tiles;
    const V = Vg ? Vg + (<usize>(sa / chunk) * <usize>(16 * C * ld) << 2) : Vs;
    const col0 = Vg ? (sa % chunk) * tiles : 0; // this call's first column in the chunk's V
    for (let c = 0; c < C; c++) {
      for (let s = sa; s < sb; s++) {
        padPlane(p, pw, 2 * tilesH + 2, f32At(x, s * inSize + c * H * W), H, W, padTop, padLeft);
        const first = col0 + (s - sa) * tiles;
        for (let ty = 0; ty < tilesH; ty++) {
          for (let tx = 0; tx < tilesW; tx += 4) {
            // a group past the row's end spills onto tiles written after it, but in kept tiles
            // not past the sample's last row (the next sample may be another thread's)
            const lanes = Vg && ty == tilesH - 1 ? min(4, tilesW - tx) : 4;
            inputTiles(p, pw, ty, tx, f32At(V, c * ld), C * ld, first + ty * tilesW + tx, lanes, tmp);
          }
        }
      }
    }
    for (let xi = 0; xi < 16; xi++) {
      gemm(F, width, C, f32At(U, xi * F * C), C, 0, f32At(V, xi * C * ld + col0), ld, 0, f32At(M, xi * F * ld), ld, 0, rest);
    }
    for (let s = sa; s < sb; s++) {
      const first = (s - sa) * tiles;
      for (let f = 0; f < F; f++) {
        const bias = b ? load<f32>(f32At(b, f)) : 0;
        const yf = f32At(y, (s * F + f) * P);
        for (let ty = 0; ty < tilesH; ty++) {
          for (let tx = 0; tx < tilesW; tx += 4) outputTiles(f32At(M, f * ld), F * ld, first + ty * tilesW + tx, bias, yf, outH, outW, ty, tx, tmp);
        }
      }
    }
  }
}

/**
 * The weight gradient in tile space, chunk by chunk: for the chunks [k0, k1) of samples (as
 * winogradConv keeps their tiles V at Vg), dUc[chunk][ξ] = Z[ξ]·V[ξ]ᵀ over the chunk's tiles, with
 * Z = A dY Aᵀ from the 2×2 blocks dY of dy [n][F][outH][outW] (zero past the edges). Then
 * winogradSumChunks adds the chunks up in order, and dW = Gᵀ dU G (winogradFilterGrad): the same
 * sums whichever thread took which chunk.
 */
export function winogradWeightChunks(dy: usize, V: usize, dUc: usize, k0: i32, k1: i32, n: i32, F: i32, C: i32, outH: i32, outW: i32,
  scratch: usize): void {
  const tilesH = tilesOf(outH), tilesW = tilesOf(outW), tiles = tilesH * tilesW;
  const ld = rowOf(tiles);
  const chunk = chunkOf(tiles);
  const pw = planeWidth(tilesW);
  const p = scratch;
  const Z = p + planeBytes(tilesH, tilesW);
  const rest = Z + align64(<usize>(16 * F * ld) << 2);
  const step = <usize>(F * ld) << 2;
  for (let k = k0; k < k1; k++) {
    const sa = k * chunk, sb = min(n, sa + chunk);
    for (let s = sa; s < sb; s++) {
      for (let f = 0; f < F; f++) {
        padPlane(p, pw, 2 * tilesH, f32At(dy, (s * F + f) * outH * outW), outH, outW, 0, 0);
        for (let ty = 0; ty < tilesH; ty++) {
          for (let tx = 0; tx < tilesW; tx += 4) {
            const top = f32At(p, 2 * ty * pw + 2 * tx), bottom = top + (<usize>pw << 2);
            const u0 = v128.load(top), u1 = v128.load(top, 16), w0 = v128.load(bottom), w1 = v128.load(bottom, 16);
            // dY = [[a, b], [c, d]] per tile; A dY has rows (a, b), (a + c, b + d), (a − c, b − d), (−c, −d)
            const a = v128.shuffle<f32>(u0, u1, 0, 2, 4, 6), b = v128.shuffle<f32>(u0, u1, 1, 3, 5, 7);
            const c = v128.shuffle<f32>(w0, w1, 0, 2, 4, 6), d = v128.shuffle<f32>(w0, w1, 1, 3, 5, 7);
            // Z is this thread's: a group past the row's end spills onto tiles written after it
            const at = f32At(Z, f * ld + (s - sa) * tiles + ty * tilesW + tx);
            zRow(at, step, 0, a, b);
            zRow(at, step, 1, f32x4.add(a, c), f32x4.add(b, d));
            zRow(at, step, 2, f32x4.sub(a, c), f32x4.sub(b, d));
            zRow(at, step, 3, f32x4.neg(c), f32x4.neg(d));
          }
        }
      }
    }
    const Vc = V + (<usize>k * <usize>(16 * C * ld) << 2);
    for (let xi = 0; xi < 16; xi++) {
      gemm(F, C, (sb - sa) * tiles, f32At(Z, xi * F * ld), ld, 0, f32At(Vc, xi * C * ld), ld, 1,
        f32At(dUc, (k * 16 + xi) * F * C), C, 0, rest);
    }
  }
}

/** dU[i] = Σ over the chunks, in order, of dUc[chunk][i], for i in [from, to) of the 16·F·C values. */
export function winogradSumChunks(dUc: usize, dU: usize, chunks: i32, size: i32, from: i32, to: i32): void {
  let i = from;
  for (; i + 4 <= to; i += 4) {
    let sum = v128.load(f32At(dUc, i));
    for (let k = 1; k < chunks; k++) sum = f32x4.add(sum, v128.load(f32At(dUc, k * size + i)));
    v128.store(f32At(dU, i), sum);
  }
  for (; i < to; i++) {
    let sum = load<f32>(f32At(dUc, i));
    for (let k = 1; k < chunks; k++) sum += load<f32>(f32At(dUc, k * size + i));
    store<f32>(f32At(dU, i), sum);
  }
}

/** Chunks of samples winogradConv keeps tiles for, for n samples. */
export function winogradChunks(n: i32, outH: i32, outW: i32): i32 {
  const chunk = chunkOf(tilesOf(outH) * tilesOf(outW));
  return (n + chunk - 1) / chunk;
}

/** Bytes of scratch winogradWeightChunks needs. */
export function winogradWeightScratch(F: i32, C: i32, outH: i32, outW: i32): usize {
  const tilesH = tilesOf(outH), tilesW = tilesOf(outW);
  return planeBytes(tilesH, tilesW) + align64(<usize>(16 * F * rowOf(tilesH * tilesW)) << 2) + scratchBytes(C);
}

/** Bytes winogradConv keeps at Vg for n samples: the tiles of every chunk. */
export function winogradKept(n: i32, C: i32, outH: i32, outW: i32): usize {
  const tiles = tilesOf(outH) * tilesOf(outW);
  return <usize>((n + chunkOf(tiles) - 1) / chunkOf(tiles)) * <usize>(16 * C * rowOf(tiles)) << 2;
}
