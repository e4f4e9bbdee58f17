// Max and average pooling over NCHW planes in WebAssembly SIMD, each call for the planes
// [p0, p1) so that threads can share a batch's planes; ../../reference.ts has the TypeScript
// twins, and both run one test table (kernels.test.ts).

/**
 * Max pooling of the H×W planes [p0, p1) with kh×kw windows at strides sh, sw: y and, per
 * output, the flat index (into all of x) of the window's first maximum.
 */
export function maxpool(x: usize, y: usize, argmax: usize, p0: i32, p1: i32, H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32, outH: i32, outW: i32): void {
  if (kh == 2 && kw == 2) {
    maxpool2x2(x, y, argmax, p0, p1, H, W, sh, sw, outH, outW);
    return;
  }
  let o = <usize>(p0 * outH * outW);
  for (let plane = p0; plane < p1; plane++) {
    const base = plane * H * W;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const corner = base + oy * sh * W + ox * sw;
        let best = load<f32>(x + (<usize>corner << 2));
        let at = corner;
        for (let i = 0; i < kh; i++) {
          const row = corner + i * W;
          for (let j = 0; j < kw; j++) {
            const v = load<f32>(x + (<usize>(row + j) << 2));
            if (v > best) {
              best = v;
              at = row + j;
            }
          }
        }
        store<f32>(y + (o << 2), best);
        store<i32>(argmax + (o << 2), at);
        o++;
      }
    }
  }
}

/** For the planes [p0, p1): dx = 0, then dx[argmax[o]] += dy[o] (a plane's outputs point into its own input plane). */
export function maxpoolBackward(dy: usize, argmax: usize, dx: usize, p0: i32, p1: i32, outPerPlane: i32, inPerPlane: i32): void {
  memory.fill(dx + (<usize>(p0 * inPerPlane) << 2), 0, <usize>((p1 - p0) * inPerPlane) << 2);
  for (let o = p0 * outPerPlane; o < p1 * outPerPlane; o++) {
    const at = dx + (<usize>load<i32>(argmax + (<usize>o << 2)) << 2);
    store<f32>(at, load<f32>(at) + load<f32>(dy + (<usize>o << 2)));
  }
}

/**
 * maxpool for 2×2 windows, the common case, unrolled: the same first maximum as above. With
 * stride 2, four windows at a time in SIMD: the even and odd columns of two rows, compared in
 * window order with strict >, so ties keep the first.
 */
function maxpool2x2(x: usize, y: usize, argmax: usize, p0: i32, p1: i32, H: i32, W: i32, sh: i32, sw: i32, outH: i32, outW: i32): void {
  let o = <usize>(p0 * outH * outW);
  const right = i32x4.splat(1), below = i32x4.splat(W), diagonal = i32x4.splat(W + 1), lanes = i32x4(0, 2, 4, 6);
  for (let plane = p0; plane < p1; plane++) {
    const base = plane * H * W;
    for (let oy = 0; oy < outH; oy++) {
      let at = base + oy * sh * W;
      let ox = 0;
      if (sw == 2) {
        for (; ox + 4 <= outW; ox += 4, at += 8, o += 4) {
          const p = x + (<usize>at << 2);
          const q = p + (<usize>W << 2);
          const u0 = v128.load(p), u1 = v128.load(p, 16), w0 = v128.load(q), w1 = v128.load(q, 16);
          let best = v128.shuffle<f32>(u0, u1, 0, 2, 4, 6);
          let index = i32x4.splat(0);
          const b = v128.shuffle<f32>(u0, u1, 1, 3, 5, 7);
          let more = f32x4.gt(b, best);
          best = v128.bitselect(b, best, more);
          index = v128.bitselect(right, index, more);
          const c = v128.shuffle<f32>(w0, w1, 0, 2, 4, 6);
          more = f32x4.gt(c, best);
          best = v128.bitselect(c, best, more);
          index = v128.bitselect(below, index, more);
          const d = v128.shuffle<f32>(w0, w1, 1, 3, 5, 7);
          more = f32x4.gt(d, best);
          best = v128.bitselect(d, best, more);
          index = v128.bitselect(diagonal, index, more);
          v128.store(y + (o << 2), best);
          v128.store(argmax + (o << 2), i32x4.add(i32x4.add(i32x4.splat(at), lanes), index));
        }
      }
      for (; ox < outW; ox++, at += sw) {
        const p = x + (<usize>at << 2);
        const q = p + (<usize>W << 2);
        let best = load<f32>(p);
        let index = at;
        const b = load<f32>(p, 4);
        if (b > best) { best = b; index = at + 1; }
        const c = load<f32>(q);
        if (c > best) { best = c; index = at + W; }
        const d = load<f32>(q, 4);
        if (d > best) { best = d; index = at + W + 1; }
        store<f32>(y + (o << 2), best);
        store<i32>(argmax + (o << 2), index);
        o++;
      }
    }
  }
}

/** Average pooling of the planes [p0, p1): y = the mean of each kh×kw window, summed row by row. */
export function avgpool(x: usize, y: usize, p0: i32, p1: i32, H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32, outH: i32, outW: i32): void {
  const area = <f32>(kh * kw);
  let o = <usize>(p0 * outH * outW);
  for (let plane = p0; plane < p1; plane++) {
    const base = plane * H * W;
    for (let oy = 0; oy < outH; oy++) {
      let ox = 0;
      if (kh == 2 && kw == 2 && sw == 2) {
        // four windows at a time: ((top left + top right) + bottom left) + bottom right, as below
        const quarter = f32x4.splat(area);
        for (; ox + 4 <= outW; ox += 4, o += 4) {
          const p = x + (<usize>(base + oy * sh * W + ox * 2) << 2);
          const q = p + (<usize>W << 2);
          const u0 = v128.load(p), u1 = v128.load(p, 16), w0 = v128.load(q), w1 = v128.load(q, 16);
          let sum = f32x4.add(v128.shuffle<f32>(u0, u1, 0, 2, 4, 6), v128.shuffle<f32>(u0, u1, 1, 3, 5, 7));
          sum = f32x4.add(sum, v128.shuffle<f32>(w0, w1, 0, 2, 4, 6));
          sum = f32x4.add(sum, v128.shuffle<f32>(w0, w1, 1, 3, 5, 7));
          v128.store(y + (o << 2), f32x4.div(sum, quarter));
        }
      }
      for (; ox < outW; ox++, o++) {
        const corner = base + oy * sh * W + ox * sw;
        let sum: f32 = 0;
        for (let i = 0; i < kh; i++) {
          const row = x + (<usize>(corner + i * W) << 2);
          for (let j = 0; j < kw; j++) sum += load<f32>(row + (<usize>j << 2));
        }
        store<f32>(y + (o << 2), sum / area);
      }
    }
  }
}

/** For the planes [p0, p1): dx = 0, then each window's dy / (kh·kw) added onto its cells. */
export function avgpoolBackward(dy: usize, dx: usize, p0: i32, p1: i32, H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32, outH: i32, outW: i32): void {
  const area = <f32>(kh * kw);
  memory.fill(dx + (<usize>(p0 * H * W) << 2), 0, <usize>((p1 - p0) * H * W) << 2);
  let o = <usize>(p0 * outH * outW);
  for (let plane = p0; plane < p1; plane++) {
    const base = plane * H * W;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++, o++) {
        const share = load<f32>(dy + (o << 2)) / area;
        const corner = base + oy * sh * W + ox * sw;
        for (let i = 0; i < kh; i++) {
          const row = dx + (<usize>(corner + i * W) << 2);
          for (let j = 0; j < kw; j++) store<f32>(row + (<usize>j << 2), load<f32>(row + (<usize>j << 2)) + share);
        }
      }
    }
  }
}
