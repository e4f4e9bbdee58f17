// The pieces of Winograd's F(2×2, 3×3) that winograd.ts's kernels share (not kernels
// themselves, so index.ts does not export them): the scratch layout, the padded planes, and the
// input and output transforms of four tiles at a time (SIMD lanes along a row of tiles).
import { f32At } from './im2col';

export const TILE_COLUMNS = 256; // tiles per product: a chunk of samples whose V and M stay in cache

// @ts-ignore: decorator
@inline export function align64(x: usize): usize { return (x + 63) & ~(<usize>63); }

// The scratch layout for outputs outH × outW: tiles per row and column, samples per chunk, the
// row length of V and M (a group of four tiles may run 3 past a chunk's end), the padded plane.
// @ts-ignore: decorator
@inline export function tilesOf(size: i32): i32 { return (size + 1) >> 1; }
// @ts-ignore: decorator
@inline export function chunkOf(tiles: i32): i32 { return max(1, TILE_COLUMNS / tiles); }
// @ts-ignore: decorator
@inline export function rowOf(tiles: i32): i32 { return chunkOf(tiles) * tiles + 4; }
// @ts-ignore: decorator
@inline export function planeWidth(tilesW: i32): i32 { return 2 * (((tilesW + 3) >> 2) << 2) + 4; } // loads reach 2·tx + 9
// @ts-ignore: decorator
@inline export function planeBytes(tilesH: i32, tilesW: i32): usize { return align64(<usize>(planeWidth(tilesW) * (2 * tilesH + 2)) << 2); }

/** The first `lanes` of v at `at`: a group of tiles at the end of a row writes only its own. */
// @ts-ignore: decorator
@inline export function storeLanes(at: usize, v: v128, lanes: i32): void {
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
@inline export function inputTiles(p: usize, pw: i32, ty: i32, tx: i32, V: usize, plane: usize, col: i32, lanes: i32, tmp: usize): void {
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
@inline export function storeRow(at: usize, lo: v128, hi: v128, count: i32): void {
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
@inline export function outputTiles(M: usize, plane: usize, col: i32, bias: f32, y: usize, outH: i32, outW: i32, ty: i32, tx: i32, tmp: usize): void {
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
@inline export function padPlane(p: usize, pw: i32, rows: i32, src: usize, h: i32, w: i32, top: i32, left: i32): void {
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

/** Row i of (A dY) Aᵀ from its two entries (p, q): Z[4i + 0…3] = p, p + q, p − q, −q. */
// @ts-ignore: decorator
@inline export function zRow(at: usize, step: usize, i: i32, p: v128, q: v128): void {
  const row = at + <usize>(4 * i) * step;
  v128.store(row, p);
  v128.store(row + step, f32x4.add(p, q));
  v128.store(row + 2 * step, f32x4.sub(p, q));
  v128.store(row + 3 * step, f32x4.neg(q));
}
