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

const TILE_COLUMNS = 256; // tiles per product: a chunk of samples whose V and M stay in cache

// @ts-ignore: decorator
@inline function align64(x: usize): usize { return (x + 63) & ~(<usize>63); }

// @ts-ignore: decorator
@inline function tap(w: usize, base: i32, i: i32, j: i32, rotate: bool): f32 {
  return load<f32>(f32At(w, base + (rotate ? (2 - i) * 3 + (2 - j) : i * 3 + j)));
}

/** U[4r + 0…3][o][i] = [a, (a + b + c)/2, (a − b + c)/2, c] for row r = (a, b, c) of G·g. */
// @ts-ignore: decorator
@inline function filterRow(U: usize, r: i32, o: i32, i: i32, outs: i32, ins: i32, a: f32, b: f32, c: f32): void {
  const stride = outs * ins;
  const at = (4 * r * outs + o) * ins + i;
  store<f32>(f32At(U, at), a);
  store<f32>(f32At(U, at + stride), (a + b + c) * 0.5);
  store<f32>(f32At(U, at + 2 * stride), (a - b + c) * 0.5);
  store<f32>(f32At(U, at + 3 * stride), c);
}

/**
 * The transformed filters U[ξ][o][i] = (G g Gᵀ)[ξ] of w [F][C][3][3]: o = f, i = c; or, when
 * `transposed`, for the input gradient: o = c, i = f and g rotated by 180°.
 */
export function winogradFilter(w: usize, U: usize, F: i32, C: i32, transposed: i32): void {
  const rotate = transposed != 0;
  const outs = rotate ? C : F, ins = rotate ? F : C;
  for (let f = 0; f < F; f++) for (let c = 0; c < C; c++) {
    const base = (f * C + c) * 9;
    const o = rotate ? c : f, i = rotate ? f : c;
    const a0 = tap(w, base, 0, 0, rotate), a1 = tap(w, base, 0, 1, rotate), a2 = tap(w, base, 0, 2, rotate);
    const b0 = tap(w, base, 1, 0, rotate), b1 = tap(w, base, 1, 1, rotate), b2 = tap(w, base, 1, 2, rotate);
    const c0 = tap(w, base, 2, 0, rotate), c1 = tap(w, base, 2, 1, rotate), c2 = tap(w, base, 2, 2, rotate);
    // G·g: rows g0, (g0 + g1 + g2)/2, (g0 − g1 + g2)/2, g2; then each row times Gᵀ
    filterRow(U, 0, o, i, outs, ins, a0, a1, a2);
    filterRow(U, 1, o, i, outs, ins, (a0 + b0 + c0) * 0.5, (a1 + b1 + c1) * 0.5, (a2 + b2 + c2) * 0.5);
    filterRow(U, 2, o, i, outs, ins, (a0 - b0 + c0) * 0.5, (a1 - b1 + c1) * 0.5, (a2 - b2 + c2) * 0.5);
    filterRow(U, 3, o, i, outs, ins, c0, c1, c2);
  }
}

// The scratch layout for outputs outH × outW: tiles per row and column, samples per chunk, the
// row length of V and M (a group of four tiles may run 3 past a chunk's end), the padded plane.
// @ts-ignore: decorator
@inline function tilesOf(size: i32): i32 { return (size + 1) >> 1; }
// @ts-ignore: decorator
@inline function chunkOf(tiles: i32): i32 { return max(1, TILE_COLUMNS / tiles); }
// @ts-ignore: decorator
@inline function rowOf(tiles: i32): i32 { return chunkOf(tiles) * tiles + 4; }
// @ts-ignore: decorator
@inline function planeWidth(tilesW: i32): i32 { return 2 * (((tilesW + 3) >> 2) << 2) + 4; } // loads reach 2·tx + 9
// @ts-ignore: decorator
@inline function planeBytes(tilesH: i32, tilesW: i32): usize { return align64(<usize>(planeWidth(tilesW) * (2 * tilesH + 2)) << 2); }

/** Bytes of scratch winogradConv needs for C input and F output channels. */
export function winogradScratch(C: i32, F: i32, outH: i32, outW: i32): usize {
  const tilesH = tilesOf(outH), tilesW = tilesOf(outW);
  const ld = rowOf(tilesH * tilesW);
  return 256 + planeBytes(tilesH, tilesW) + align64(<usize>(16 * C * ld) << 2) + align64(<usize>(16 * F * ld) << 2) + scratchBytes(ld);
}

/** The first `lanes` of v at `at`: a group of tiles at the end of a row writes only its own. */
// @ts-ignore: decorator
@inline function storeLanes(at: usize, v: v128, lanes: i32): void {
  if (lanes >= 4) {
    v128.store(at, v);
    return;
  }
  store<f32>(at, f32x4.extract_lane(v, 0));
  if (lanes > 1) store<f32>(at, f32x4.extract_lane(v, 1), 4);
  if (lanes > 2) store<f32>(at, f32x4.extract_lane(v, 2), 8);
}

/**
 * V[ξ][c][col…col+3] for the four tiles (ty, tx…tx+3) of the padded plane p (rows `pw` long),
 * V[ξ] `plane` values apart; tmp holds 16 vectors.
 */
// @ts-ignore: decorator
@inline function inputTiles(p: usize, pw: i32, ty: i32, tx: i32, V: usize, plane: usize, col: i32, lanes: i32, tmp: usize): void {
  // row r of the four 4×4 tiles as d_r0…d_r3, each a vector over the tiles, times B
  for (let r = 0; r < 4; r++) {
    const row = f32At(p, (2 * ty + r) * pw + 2 * tx);
    const u0 = v128.load(row), u1 = v128.load(row, 16), w0 = v128.load(row, 8), w1 = v128.load(row, 24);
    const d0 = v128.shuffle<f32>(u0, u1, 0, 2, 4, 6), d1 = v128.shuffle<f32>(u0, u1, 1, 3, 5, 7);
    const d2 = v128.shuffle<f32>(w0, w1, 0, 2, 4, 6), d3 = v128.shuffle<f32>(w0, w1, 1, 3, 5, 7);
    const h = tmp + (<usize>r << 6);
    v128.store(h, f32x4.sub(d0, d2));
    v128.store(h, f32x4.add(d1, d2), 16);
    v128.store(h, f32x4.sub(d2, d1), 32);
    v128.store(h, f32x4.sub(d1, d3), 48);
  }
  // Bᵀ on the columns: rows h0 − h2, h1 + h2, h2 − h1, h1 − h3, stored at V[4i + j]
  const at = f32At(V, col);
  const step = plane << 2;
  for (let j = 0; j < 4; j++) {
    const o = <usize>j << 4;
    const h0 = v128.load(tmp + o), h1 = v128.load(tmp + 64 + o), h2 = v128.load(tmp + 128 + o), h3 = v128.load(tmp + 192 + o);
    storeLanes(at + <usize>j * step, f32x4.sub(h0, h2), lanes);
    storeLanes(at + <usize>(4 + j) * step, f32x4.add(h1, h2), lanes);
    storeLanes(at + <usize>(8 + j) * step, f32x4.sub(h2, h1), lanes);
    storeLanes(at + <usize>(12 + j) * step, f32x4.sub(h1, h3), lanes);
  }
}

/** Up to 8 values of one output row: `count` of lo's then hi's lanes. */
// @ts-ignore: decorator
@inline function storeRow(at: usize, lo: v128, hi: v128, count: i32): void {
  if (count >= 8) {
    v128.store(at, lo);
    v128.store(at, hi, 16);
    return;
  }
  if (count >= 4) {
    v128.store(at, lo);
    if (count > 4) storeLanes(at + 16, hi, count - 4);
  } else {
    storeLanes(at, lo, count);
  }
}

/** The 2×2 outputs of four tiles from M[ξ][col…col+3] (rows `plane` apart), plus bias, into y at (2ty, 2tx); tmp holds 8 vectors. */
// @ts-ignore: decorator
@inline function outputTiles(M: usize, plane: usize, col: i32, bias: f32, y: usize, outH: i32, outW: i32, ty: i32, tx: i32, tmp: usize): void {
  const at = f32At(M, col);
  const step = plane << 2;
  // Aᵀ on the rows: q0 = m0 + m1 + m2, q1 = m1 − m2 − m3 (m_i the rows of ξ = 4i + j)
  for (let j = 0; j < 4; j++) {
    const m0 = v128.load(at + <usize>j * step), m1 = v128.load(at + <usize>(4 + j) * step);
    const m2 = v128.load(at + <usize>(8 + j) * step), m3 = v128.load(at + <usize>(12 + j) * step);
    v128.store(tmp + (<usize>j << 4), f32x4.add(f32x4.add(m0, m1), m2));
    v128.store(tmp + 64 + (<usize>j << 4), f32x4.sub(f32x4.sub(m1, m2), m3));
  }
  const q00 = v128.load(tmp), q01 = v128.load(tmp, 16), q02 = v128.load(tmp, 32), q03 = v128.load(tmp, 48);
  const q10 = v128.load(tmp, 64), q11 = v128.load(tmp, 80), q12 = v128.load(tmp, 96), q13 = v128.load(tmp, 112);
  const bv = f32x4.splat(bias);
  // … and on the columns: y_r0 = q_r0 + q_r1 + q_r2, y_r1 = q_r1 − q_r2 − q_r3
  const y00 = f32x4.add(f32x4.add(f32x4.add(q00, q01), q02), bv), y01 = f32x4.add(f32x4.sub(f32x4.sub(q01, q02), q03), bv);
  const y10 = f32x4.add(f32x4.add(f32x4.add(q10, q11), q12), bv), y11 = f32x4.add(f32x4.sub(f32x4.sub(q11, q12), q13), bv);
  const count = min(8, outW - 2 * tx);
  const row = f32At(y, 2 * ty * outW + 2 * tx);
  storeRow(row, v128.shuffle<f32>(y00, y01, 0, 4, 1, 5), v128.shuffle<f32>(y00, y01, 2, 6, 3, 7), count);
  if (2 * ty + 1 < outH) storeRow(row + (<usize>outW << 2), v128.shuffle<f32>(y10, y11, 0, 4, 1, 5), v128.shuffle<f32>(y10, y11, 2, 6, 3, 7), count);
}

/**
 * Fills the padded plane p (pw wide, `rows` tall, pw a multiple of 4) with plane src (h × w) at
 * (top, left), zeros elsewhere. Rows are a few vectors long: plain SIMD loops beat bulk-memory
 * calls, whose call overhead would dominate.
 */
// @ts-ignore: decorator
@inline function padPlane(p: usize, pw: i32, rows: i32, src: usize, h: i32, w: i32, top: i32, left: i32): void {
  const zero = f32x4.splat(0);
  const from = max(0, -left), to = min(w, pw - left); // the source columns that land in the plane
  for (let pr = 0; pr < rows; pr++) {
    const row = f32At(p, pr * pw);
    for (let q = 0; q < pw; q += 4) v128.store(row + (<usize>q << 2), zero);
    const r = pr - top;
    if (r < 0 || r >= h || to <= from) continue;
    const at = row + (<usize>(left + from) << 2), line = f32At(src, r * w + from);
    let q = 0;
    for (; q + 4 <= to - from; q += 4) v128.store(at + (<usize>q << 2), v128.load(line + (<usize>q << 2)));
    for (; q < to - from; q++) store<f32>(at + (<usize>q << 2), load<f32>(line + (<usize>q << 2)));
  }
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

/** Row i of (A dY) Aᵀ from its two entries (p, q): Z[4i + 0…3] = p, p + q, p − q, −q. */
// @ts-ignore: decorator
@inline function zRow(at: usize, step: usize, i: i32, p: v128, q: v128): void {
  const row = at + <usize>(4 * i) * step;
  v128.store(row, p);
  v128.store(row + step, f32x4.add(p, q));
  v128.store(row + 2 * step, f32x4.sub(p, q));
  v128.store(row + 3 * step, f32x4.neg(q));
}

/** Bytes of scratch winogradWeightChunks needs. */
export function winogradWeightScratch(F: i32, C: i32, outH: i32, outW: i32): usize {
  const tilesH = tilesOf(outH), tilesW = tilesOf(outW);
  return planeBytes(tilesH, tilesW) + align64(<usize>(16 * F * rowOf(tilesH * tilesW)) << 2) + scratchBytes(C);
}

/** Row i of dW's 3×3 from row i of Gᵀ dU (a, b, c, d): a + (b + c)/2, (b − c)/2, (b + c)/2 + d. */
// @ts-ignore: decorator
@inline function gradRow(out: usize, i: i32, a: f32, b: f32, c: f32, d: f32): void {
  const row = out + (<usize>(3 * i) << 2);
  store<f32>(row, a + (b + c) * 0.5);
  store<f32>(row, (b - c) * 0.5, 4);
  store<f32>(row, (b + c) * 0.5 + d, 8);
}

/** dW[f][c] = Gᵀ dU[·][f][c] G, the 3×3 weight gradient from the tile-space one. */
export function winogradFilterGrad(dU: usize, dW: usize, F: i32, C: i32): void {
  const plane = <usize>(F * C) << 2;
  for (let f = 0; f < F; f++) for (let c = 0; c < C; c++) {
    const u = f32At(dU, f * C + c);
    const out = f32At(dW, (f * C + c) * 9);
    // Gᵀ on the columns of the 4×4 dU: rows u0 + (u1 + u2)/2, (u1 − u2)/2, (u1 + u2)/2 + u3
    let r00: f32 = 0, r01: f32 = 0, r02: f32 = 0, r03: f32 = 0, r10: f32 = 0, r11: f32 = 0, r12: f32 = 0, r13: f32 = 0;
    let r20: f32 = 0, r21: f32 = 0, r22: f32 = 0, r23: f32 = 0;
    for (let j = 0; j < 4; j++) {
      const u0 = load<f32>(u + <usize>j * plane), u1 = load<f32>(u + <usize>(4 + j) * plane);
      const u2 = load<f32>(u + <usize>(8 + j) * plane), u3 = load<f32>(u + <usize>(12 + j) * plane);
      const a = u0 + (u1 + u2) * 0.5, b = (u1 - u2) * 0.5, c2 = (u1 + u2) * 0.5 + u3;
      if (j == 0) { r00 = a; r10 = b; r20 = c2; }
      else if (j == 1) { r01 = a; r11 = b; r21 = c2; }
      else if (j == 2) { r02 = a; r12 = b; r22 = c2; }
      else { r03 = a; r13 = b; r23 = c2; }
    }
    gradRow(out, 0, r00, r01, r02, r03);
    gradRow(out, 1, r10, r11, r12, r13);
    gradRow(out, 2, r20, r21, r22, r23);
  }
}


/** Bytes winogradConv keeps at Vg for n samples: the tiles of every chunk. */
export function winogradKept(n: i32, C: i32, outH: i32, outW: i32): usize {
  const tiles = tilesOf(outH) * tilesOf(outW);
  return <usize>((n + chunkOf(tiles) - 1) / chunkOf(tiles)) * <usize>(16 * C * rowOf(tiles)) << 2;
}
