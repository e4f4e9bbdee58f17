// One sample's im2col columns, shared by the convolutions of conv.ts and winograd.ts (not a
// kernel of its own, so index.ts does not export it).

// @ts-ignore: decorator
@inline export function f32At(base: usize, i: i32): usize { return base + (<usize>i << 2); }

/** Output columns [first, end) whose input column ox·sw + j − padLeft lies in [0, inW). */
// @ts-ignore: decorator
@inline export function firstColumn(j: i32, sw: i32, padLeft: i32): i32 {
  const d = padLeft - j;
  return d <= 0 ? 0 : (d + sw - 1) / sw;
}
// @ts-ignore: decorator
@inline export function endColumn(j: i32, sw: i32, padLeft: i32, inW: i32, outW: i32): i32 {
  const last = inW - 1 + padLeft - j;
  return last < 0 ? 0 : min(outW, last / sw + 1);
}

/** cols[K, P] of one sample xs (zero where the window hangs over the padding). */
export function im2colSample(xs: usize, cols: usize, inC: i32, inH: i32, inW: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  outH: i32, outW: i32, padTop: i32, padLeft: i32): void {
  const P = outH * outW;
  let row = 0;
  for (let c = 0; c < inC; c++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++, row++) {
    const first = firstColumn(j, sw, padLeft);
    const end = max(first, endColumn(j, sw, padLeft, inW, outW));
    for (let oy = 0; oy < outH; oy++) {
      const to = f32At(cols, row * P + oy * outW);
      const y = oy * sh + i - padTop;
      if (y < 0 || y >= inH) {
        memory.fill(to, 0, <usize>outW << 2);
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

