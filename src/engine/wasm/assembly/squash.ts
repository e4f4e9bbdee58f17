// The smooth activations in SIMD: sigmoid, tanh and elu (kind 0, 1, 2), forward from x and
// backward from x and y = f(x). tanh and elu rest on eˣ − 1 computed without cancellation near 0
// (expv), so that they keep their relative accuracy for small inputs. The TypeScript
// twins are in ../../reference.ts (squash, squashBackward).

const SIGMOID = 0;
const TANH = 1;

/**
 * eˣ (minusOne false) or eˣ − 1 (true) for four lanes: x = n·ln2 + r with |r| ≤ ln2/2 (Cody &
 * Waite's two-part ln2), q = eʳ − 1 by its Taylor series to r⁷/7! (below float32's rounding
 * there), then 2ⁿ(q + 1), or 2ⁿq + (2ⁿ − 1) without the cancellation of eˣ − 1 near 0.
 * x is clamped to [−87.3, 88], where 2ⁿ stays a normal float.
 */
// @ts-ignore: decorator
@inline function expv(x: v128, minusOne: bool): v128 {
  x = f32x4.pmin(f32x4.pmax(f32x4.splat(-87.3), x), f32x4.splat(88.0)); // pmin/pmax: one instruction each
  // n = round(x·log2 e) by the 1.5·2²³ trick: t's low bits hold n as an integer, which 2ⁿ is built from
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(1.44269504)), f32x4.splat(12582912.0));
  const n = f32x4.sub(t, f32x4.splat(12582912.0));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693145752)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(1.42860677e-6)));
  let q = f32x4.add(f32x4.splat(1.0 / 720.0), f32x4.mul(r, f32x4.splat(1.0 / 5040.0)));
  q = f32x4.add(f32x4.splat(1.0 / 120.0), f32x4.mul(r, q));
  q = f32x4.add(f32x4.splat(1.0 / 24.0), f32x4.mul(r, q));
  q = f32x4.add(f32x4.splat(1.0 / 6.0), f32x4.mul(r, q));
  q = f32x4.add(f32x4.splat(0.5), f32x4.mul(r, q));
  q = f32x4.mul(r, f32x4.add(f32x4.splat(1), f32x4.mul(r, q))); // eʳ − 1
  const scale = i32x4.shl(i32x4.add(t, i32x4.splat(127 - 0x4b400000)), 23); // 2ⁿ: n + 127 in the exponent
  if (minusOne) return f32x4.add(f32x4.mul(scale, q), f32x4.sub(scale, f32x4.splat(1)));
  return f32x4.mul(scale, f32x4.add(q, f32x4.splat(1)));
}

// @ts-ignore: decorator
@inline function squashv(kind: i32, x: v128, alpha: v128): v128 {
  const one = f32x4.splat(1);
  const sign = i32x4.splat(0x80000000);
  if (kind == SIGMOID) {
    // e = e^−|x|; 1/(1 + e) for x ≥ 0, e/(1 + e) below: no overflow on either side
    const e = expv(v128.or(x, sign), false);
    const s = f32x4.div(one, f32x4.add(one, e));
    return v128.bitselect(s, f32x4.mul(e, s), f32x4.ge(x, f32x4.splat(0)));
  }
  if (kind == TANH) {
    // tanh|x| = −t / (2 + t) with t = e^−2|x| − 1; the sign of x put back
    const t = expv(f32x4.mul(v128.or(x, sign), f32x4.splat(2)), true);
    const magnitude = f32x4.div(f32x4.neg(t), f32x4.add(f32x4.splat(2), t));
    return v128.or(magnitude, v128.and(x, sign));
  }
  return v128.bitselect(x, f32x4.mul(alpha, expv(x, true)), f32x4.gt(x, f32x4.splat(0))); // elu
}

// @ts-ignore: decorator
@inline function slopev(kind: i32, x: v128, y: v128, alpha: v128): v128 {
  const one = f32x4.splat(1);
  if (kind == SIGMOID) return f32x4.mul(y, f32x4.sub(one, y));
  if (kind == TANH) return f32x4.mul(f32x4.sub(one, y), f32x4.add(one, y)); // 1 − y² without its cancellation near |y| = 1
  return v128.bitselect(one, f32x4.add(y, alpha), f32x4.gt(x, f32x4.splat(0)));
}

/** The first `lanes` (1–3) floats at `at`, zero padded. */
// @ts-ignore: decorator
@inline function loadTail(at: usize, lanes: i32): v128 {
  let v = f32x4.replace_lane(f32x4.splat(0), 0, load<f32>(at));
  if (lanes > 1) v = f32x4.replace_lane(v, 1, load<f32>(at, 4));
  if (lanes > 2) v = f32x4.replace_lane(v, 2, load<f32>(at, 8));
  return v;
}

// @ts-ignore: decorator
@inline function storeTail(at: usize, v: v128, lanes: i32): void {
  store<f32>(at, f32x4.extract_lane(v, 0));
  if (lanes > 1) store<f32>(at, f32x4.extract_lane(v, 1), 4);
  if (lanes > 2) store<f32>(at, f32x4.extract_lane(v, 2), 8);
}

/** y = f(x) for n values; the last 1–3 go through the same lanes, zero padded. */
export function squash(kind: i32, x: usize, y: usize, n: i32, alpha: f32): void {
  const a = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(y + (<usize>i << 2), squashv(kind, v128.load(x + (<usize>i << 2)), a));
  if (i < n) storeTail(y + (<usize>i << 2), squashv(kind, loadTail(x + (<usize>i << 2), n - i), a), n - i);
}

/** dx = dy·f′(x), with f′ written from x and y = f(x). */
export function squashBackward(kind: i32, x: usize, y: usize, dy: usize, dx: usize, n: i32, alpha: f32): void {
  const a = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dx + o, f32x4.mul(v128.load(dy + o), slopev(kind, v128.load(x + o), v128.load(y + o), a)));
  }
  if (i < n) {
    const o = <usize>i << 2;
    const lanes = n - i;
    storeTail(dx + o, f32x4.mul(loadTail(dy + o, lanes), slopev(kind, loadTail(x + o, lanes), loadTail(y + o, lanes), a)), lanes);
  }
}
