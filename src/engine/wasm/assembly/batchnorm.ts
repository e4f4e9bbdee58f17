// Batch normalization's loops over x[n][C][S] (S = 1 for dense input, H·W for images), each for
// the channels [c0, c1) so that a channel's sums are formed by one thread in one order. Sums run
// in float64 (float32 lanes promoted in pairs), the per-value work in float32 SIMD along S.
// The TypeScript twins are in ../../reference.ts.

// @ts-ignore: decorator
@inline function f32At(base: usize, i: i32): usize { return base + (<usize>i << 2); }

const SUM = 0; // Σ a
const DOT = 1; // Σ a·b (products in float32, as x̂ and dy are)
const SQUARES = 2; // Σ (a − shift)², in float64

/** A sum over channel c's runs of a (and b), in float64, in a fixed order. */
// @ts-ignore: decorator
@inline function channelSum(mode: i32, a: usize, b: usize, shift: f64, n: i32, C: i32, S: i32, c: i32): f64 {
  let lo = f64x2.splat(0), hi = f64x2.splat(0);
  const m = f64x2.splat(shift);
  let tail: f64 = 0;
  for (let i = 0; i < n; i++) {
    const at = (i * C + c) * S;
    let k = 0;
    for (; k + 4 <= S; k += 4) {
      let v = v128.load(f32At(a, at + k));
      if (mode == DOT) v = f32x4.mul(v, v128.load(f32At(b, at + k)));
      let l = f64x2.promote_low_f32x4(v);
      let h = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
      if (mode == SQUARES) {
        l = f64x2.sub(l, m);
        h = f64x2.sub(h, m);
        l = f64x2.mul(l, l);
        h = f64x2.mul(h, h);
      }
      lo = f64x2.add(lo, l);
      hi = f64x2.add(hi, h);
    }
    for (; k < S; k++) {
      const v = load<f32>(f32At(a, at + k));
      if (mode == DOT) tail += <f64>(v * load<f32>(f32At(b, at + k)));
      else if (mode == SQUARES) tail += (<f64>v - shift) * (<f64>v - shift);
      else tail += <f64>v;
    }
  }
  const sum = f64x2.add(lo, hi);
  return f64x2.extract_lane(sum, 0) + f64x2.extract_lane(sum, 1) + tail;
}

/** mean[c] and m2[c] = Σ (x − mean)² (float64 arrays), two passes over the channel. */
export function batchnormStats(x: usize, n: i32, C: i32, S: i32, c0: i32, c1: i32, mean: usize, m2: usize): void {
  for (let c = c0; c < c1; c++) {
    const mu = channelSum(SUM, x, 0, 0, n, C, S, c) / <f64>(n * S);
    store<f64>(mean + (<usize>c << 3), mu);
    store<f64>(m2 + (<usize>c << 3), channelSum(SQUARES, x, 0, mu, n, C, S, c));
  }
}

/** y = γ·x̂ + β with x̂ = (x − mean)·inv per channel; x̂ kept when xhat is not 0. */
export function batchnormApply(x: usize, y: usize, xhat: usize, mean: usize, inv: usize, gamma: usize, beta: usize,
  n: i32, C: i32, S: i32, c0: i32, c1: i32): void {
  for (let c = c0; c < c1; c++) {
    const m = load<f32>(f32At(mean, c)), s = load<f32>(f32At(inv, c)), g = load<f32>(f32At(gamma, c)), b = load<f32>(f32At(beta, c));
    const mv = f32x4.splat(m), sv = f32x4.splat(s), gv = f32x4.splat(g), bv = f32x4.splat(b);
    for (let i = 0; i < n; i++) {
      const at = (i * C + c) * S;
      let k = 0;
      for (; k + 4 <= S; k += 4) {
        const h = f32x4.mul(f32x4.sub(v128.load(f32At(x, at + k)), mv), sv);
        if (xhat) v128.store(f32At(xhat, at + k), h);
        v128.store(f32At(y, at + k), f32x4.add(f32x4.mul(gv, h), bv));
      }
      for (; k < S; k++) {
        const h = (load<f32>(f32At(x, at + k)) - m) * s;
        if (xhat) store<f32>(f32At(xhat, at + k), h);
        store<f32>(f32At(y, at + k), g * h + b);
      }
    }
  }
}

/** dγ = Σ dy·x̂, dβ = Σ dy, dx = γ·inv·(dy − dβ/count − x̂·dγ/count) per channel. */
export function batchnormBackward(dy: usize, xhat: usize, dx: usize, gamma: usize, inv: usize, dgamma: usize, dbeta: usize,
  n: i32, C: i32, S: i32, c0: i32, c1: i32): void {
  const count = <f64>(n * S);
  for (let c = c0; c < c1; c++) {
    const sumDy = channelSum(SUM, dy, 0, 0, n, C, S, c);
    const sumDyXhat = channelSum(DOT, dy, xhat, 0, n, C, S, c);
    store<f32>(f32At(dgamma, c), <f32>sumDyXhat);
    store<f32>(f32At(dbeta, c), <f32>sumDy);
    const scale = load<f32>(f32At(gamma, c)) * load<f32>(f32At(inv, c));
    const a = <f32>(sumDy / count), b = <f32>(sumDyXhat / count);
    const sv = f32x4.splat(scale), av = f32x4.splat(a), bv = f32x4.splat(b);
    for (let i = 0; i < n; i++) {
      const at = (i * C + c) * S;
      let k = 0;
      for (; k + 4 <= S; k += 4) {
        const d = f32x4.sub(f32x4.sub(v128.load(f32At(dy, at + k)), av), f32x4.mul(v128.load(f32At(xhat, at + k)), bv));
        v128.store(f32At(dx, at + k), f32x4.mul(sv, d));
      }
      for (; k < S; k++) store<f32>(f32At(dx, at + k), scale * (load<f32>(f32At(dy, at + k)) - a - load<f32>(f32At(xhat, at + k)) * b));
    }
  }
}
