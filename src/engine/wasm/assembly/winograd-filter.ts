// Winograd's F(2×2, 3×3) on the filter side (Lavin & Gray 2016, https://arxiv.org/abs/1509.09308):
// U = G g Gᵀ for each 3×3 filter g, and back from tile space, dW = Gᵀ dU G.
import { f32At } from './im2col';

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
