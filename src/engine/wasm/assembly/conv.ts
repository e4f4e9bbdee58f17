// The gathers around a batched convolution's matrix products (../../conv.ts has their TypeScript
// twins): im2col and its adjoint col2im for n samples side by side (rows of n·P columns), and
// the reorderings between the product's [F, n·P] and the images' [n, F, P].

// @ts-ignore: decorator
@inline function f32At(base: usize, i: i32): usize { return base + (<usize>i << 2); }

/** Output columns [first, end) whose input column ox·sw + j − padLeft lies in [0, inW). */
// @ts-ignore: decorator
@inline function firstColumn(j: i32, sw: i32, padLeft: i32): i32 {
  const d = padLeft - j;
  return d <= 0 ? 0 : (d + sw - 1) / sw;
}
// @ts-ignore: decorator
@inline function endColumn(j: i32, sw: i32, padLeft: i32, inW: i32, outW: i32): i32 {
  const last = inW - 1 + padLeft - j;
  return last < 0 ? 0 : min(outW, last / sw + 1);
}

export function im2col(x: usize, cols: usize, n: i32, inC: i32, inH: i32, inW: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  outH: i32, outW: i32, padTop: i32, padLeft: i32): void {
  const P = outH * outW;
  const ld = n * P;
  const inSize = inC * inH * inW;
  for (let s = 0; s < n; s++) {
    const xs = f32At(x, s * inSize);
    let row = 0;
    for (let c = 0; c < inC; c++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++, row++) {
      const first = firstColumn(j, sw, padLeft);
      const end = max(first, endColumn(j, sw, padLeft, inW, outW));
      for (let oy = 0; oy < outH; oy++) {
        const to = f32At(cols, row * ld + s * P + oy * outW);
        const y = oy * sh + i - padTop;
        if (y < 0 || y >= inH) {
          for (let ox = 0; ox < outW; ox++) store<f32>(f32At(to, ox), 0);
          continue;
        }
        // rows are short (tens of values): plain loops beat bulk-memory calls here
        for (let ox = 0; ox < first; ox++) store<f32>(f32At(to, ox), 0);
        for (let ox = end; ox < outW; ox++) store<f32>(f32At(to, ox), 0);
        const rowStart = (c * inH + y) * inW + j - padLeft;
        if (sw == 1) {
          const src = f32At(xs, rowStart);
          let ox = first;
          for (; ox + 4 <= end; ox += 4) v128.store(f32At(to, ox), v128.load(f32At(src, ox)));
          for (; ox < end; ox++) store<f32>(f32At(to, ox), load<f32>(f32At(src, ox)));
        } else {
          for (let ox = first; ox < end; ox++) store<f32>(f32At(to, ox), load<f32>(f32At(xs, rowStart + ox * sw)));
        }
      }
    }
  }
}

/** dx = col2im(dcols): each column entry added back onto its input pixel (dx is zeroed first). */
export function col2im(dcols: usize, dx: usize, n: i32, inC: i32, inH: i32, inW: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  outH: i32, outW: i32, padTop: i32, padLeft: i32): void {
  const P = outH * outW;
  const ld = n * P;
  const inSize = inC * inH * inW;
  memory.fill(dx, 0, <usize>(n * inSize) << 2);
  for (let s = 0; s < n; s++) {
    const dxs = f32At(dx, s * inSize);
    let row = 0;
    for (let c = 0; c < inC; c++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++, row++) {
      const first = firstColumn(j, sw, padLeft);
      const end = endColumn(j, sw, padLeft, inW, outW);
      for (let oy = 0; oy < outH; oy++) {
        const y = oy * sh + i - padTop;
        if (y < 0 || y >= inH) continue;
        const from = f32At(dcols, row * ld + s * P + oy * outW);
        const rowStart = (c * inH + y) * inW + j - padLeft;
        let ox = first;
        if (sw == 1) {
          const to = f32At(dxs, rowStart);
          for (; ox + 4 <= end; ox += 4) v128.store(f32At(to, ox), f32x4.add(v128.load(f32At(to, ox)), v128.load(f32At(from, ox))));
        }
        for (; ox < end; ox++) {
          const at = f32At(dxs, rowStart + ox * sw);
          store<f32>(at, load<f32>(at) + load<f32>(f32At(from, ox)));
        }
      }
    }
  }
}

/** y[s, f, p] = product[f, s·P + p] + bias[f]. */
export function unfold(product: usize, bias: usize, y: usize, F: i32, n: i32, P: i32): void {
  for (let f = 0; f < F; f++) {
    const b = f32x4.splat(load<f32>(f32At(bias, f)));
    const bs = load<f32>(f32At(bias, f));
    for (let s = 0; s < n; s++) {
      const from = f32At(product, f * n * P + s * P);
      const to = f32At(y, (s * F + f) * P);
      let p = 0;
      for (; p + 4 <= P; p += 4) v128.store(f32At(to, p), f32x4.add(v128.load(f32At(from, p)), b));
      for (; p < P; p++) store<f32>(f32At(to, p), load<f32>(f32At(from, p)) + bs);
    }
  }
}

/** dyT[f, s·P + p] = dy[s, f, p], and dbias[f] = Σ over s, p (summed in float64, in that order). */
export function fold(dy: usize, dyT: usize, dbias: usize, F: i32, n: i32, P: i32): void {
  for (let f = 0; f < F; f++) {
    let sum: f64 = 0;
    for (let s = 0; s < n; s++) {
      const from = f32At(dy, (s * F + f) * P);
      memory.copy(f32At(dyT, f * n * P + s * P), from, <usize>P << 2);
      for (let p = 0; p < P; p++) sum += <f64>load<f32>(f32At(from, p));
    }
    store<f32>(f32At(dbias, f), <f32>sum);
  }
}
