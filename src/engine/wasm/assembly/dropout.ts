// Inverted dropout (Srivastava et al. 2014, https://jmlr.org/papers/v15/srivastava14a.html) on
// the run's own random stream: xoshiro128** (Blackman & Vigna, https://prng.di.unimi.it/) and
// 53-bit uniforms exactly as src/random/rng.ts draws them, so the masks are the reference backend's
// bit for bit. One stream, so the forward pass runs on one thread.

/** mask = u < keep ? 1/keep : 0 and y = x·mask for n values, continuing the stream state[4] (written back). */
export function dropout(x: usize, y: usize, mask: usize, n: i32, keep: f64, state: usize): void {
  let s0 = load<u32>(state), s1 = load<u32>(state, 4), s2 = load<u32>(state, 8), s3 = load<u32>(state, 12);
  const scale = <f32>(1.0 / keep);
  for (let i = 0; i < n; i++) {
    let hi: u32 = 0;
    let lo: u32 = 0;
    for (let draw = 0; draw < 2; draw++) {
      const result = rotl<u32>(s1 * 5, 7) * 9;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl<u32>(s3, 11);
      if (draw == 0) hi = result >>> 5;
      else lo = result >>> 6;
    }
    const u = (<f64>hi * 67108864.0 + <f64>lo) / 9007199254740992.0;
    const m: f32 = u < keep ? scale : 0;
    const o = <usize>i << 2;
    store<f32>(mask + o, m);
    store<f32>(y + o, load<f32>(x + o) * m);
  }
  store<u32>(state, s0);
  store<u32>(state, s1, 4);
  store<u32>(state, s2, 8);
  store<u32>(state, s3, 12);
}

/** dx = dy·mask. */
export function dropoutBackward(dy: usize, mask: usize, dx: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dx + o, f32x4.mul(v128.load(dy + o), v128.load(mask + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dx + o, load<f32>(dy + o) * load<f32>(mask + o));
  }
}
