// Element-wise kernels for WebAssembly SIMD (f32x4): relu, Adam, the dense bias loops; on byte offsets into the shared
// memory like gemm.ts. Each has a TypeScript twin in ../../reference.ts, and both run one test
// table (kernels.test.ts). Loops take 4 lanes at a time and finish the tail one by one.

/** y = x > 0 ? x : alpha·x (alpha 0: relu, with NaN → 0 as in the reference). */
export function leakyRelu(x: usize, y: usize, n: i32, alpha: f32): void {
  const zero = f32x4.splat(0);
  const a = f32x4.splat(alpha);
  let i = 0;
  if (alpha == 0) {
    for (; i + 4 <= n; i += 4) v128.store(y + (<usize>i << 2), f32x4.pmax(zero, v128.load(x + (<usize>i << 2))));
  } else {
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(x + (<usize>i << 2));
      v128.store(y + (<usize>i << 2), v128.bitselect(v, f32x4.mul(v, a), f32x4.gt(v, zero)));
    }
  }
  for (; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    store<f32>(y + (<usize>i << 2), v > 0 ? v : alpha == 0 ? 0 : alpha * v);
  }
}

/** dx = dy · (x > 0 ? 1 : alpha). */
export function leakyReluBackward(x: usize, dy: usize, dx: usize, n: i32, alpha: f32): void {
  const zero = f32x4.splat(0);
  const a = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const d = v128.load(dy + o);
    v128.store(dx + o, v128.bitselect(d, f32x4.mul(d, a), f32x4.gt(v128.load(x + o), zero)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const d = load<f32>(dy + o);
    store<f32>(dx + o, load<f32>(x + o) > 0 ? d : d * alpha);
  }
}

/**
 * Adam's update (PyTorch's arithmetic, in float32): m ← β1m + (1−β1)g; v ← β2v + (1−β2)g²;
 * w ← w − stepSize·m / (√v / correction2 + ε).
 */
export function adam(w: usize, g: usize, m: usize, v: usize, n: i32, stepSize: f32, correction2: f32, beta1: f32, beta2: f32,
  oneMinusBeta1: f32, oneMinusBeta2: f32, eps: f32): void {
  // 1 − β come in from float64: 1 − f32(0.999) would be 1.3e-5 off in relative terms
  const b1 = f32x4.splat(beta1), b2 = f32x4.splat(beta2), k1 = f32x4.splat(oneMinusBeta1), k2 = f32x4.splat(oneMinusBeta2);
  const step = f32x4.splat(stepSize), c2 = f32x4.splat(correction2), e = f32x4.splat(eps);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const gi = v128.load(g + o);
    const mi = f32x4.add(f32x4.mul(b1, v128.load(m + o)), f32x4.mul(k1, gi));
    const vi = f32x4.add(f32x4.mul(b2, v128.load(v + o)), f32x4.mul(f32x4.mul(k2, gi), gi));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vi), c2), e);
    v128.store(w + o, f32x4.sub(v128.load(w + o), f32x4.div(f32x4.mul(step, mi), denom)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    const mi = beta1 * load<f32>(m + o) + oneMinusBeta1 * gi;
    const vi = beta2 * load<f32>(v + o) + oneMinusBeta2 * gi * gi;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    store<f32>(w + o, load<f32>(w + o) - (stepSize * mi) / (Mathf.sqrt(vi) / correction2 + eps));
  }
}

/** out[i, j] += bias[j] for rows × cols. */
export function addRowVector(out: usize, bias: usize, rows: i32, cols: i32): void {
  for (let i = 0; i < rows; i++) {
    const row = out + (<usize>(i * cols) << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) v128.store(row + (<usize>j << 2), f32x4.add(v128.load(row + (<usize>j << 2)), v128.load(bias + (<usize>j << 2))));
    for (; j < cols; j++) store<f32>(row + (<usize>j << 2), load<f32>(row + (<usize>j << 2)) + load<f32>(bias + (<usize>j << 2)));
  }
}

/** out[j] = Σ_i x[i, j], summed in float32 in row order (as the reference does). */
export function sumRows(x: usize, rows: i32, cols: i32, out: usize): void {
  let j = 0;
  for (; j + 4 <= cols; j += 4) {
    let sum = f32x4.splat(0);
    for (let i = 0; i < rows; i++) sum = f32x4.add(sum, v128.load(x + (<usize>(i * cols + j) << 2)));
    v128.store(out + (<usize>j << 2), sum);
  }
  for (; j < cols; j++) {
    let sum: f32 = 0;
    for (let i = 0; i < rows; i++) sum += load<f32>(x + (<usize>(i * cols + j) << 2));
    store<f32>(out + (<usize>j << 2), sum);
  }
}
