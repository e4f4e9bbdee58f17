// A convolution one sample at a time (Chellapilla et al. 2006, "High performance convolutional
// neural networks for document processing": https://hal.inria.fr/inria-00112631): the sample's
// im2col columns [K, P] (K = inC·kh·kw, P = outH·outW), then y_s[F, P] = W[F, K]·cols_s, written
// straight into the NCHW output. A thread takes a run of samples, so each output is computed
// whole by one thread and the columns of a sample stay in its cache between the two steps.
// ../../conv.ts is the TypeScript twin.
import { gemm } from './gemm';
import { endColumn, f32At, firstColumn, im2colSample } from './im2col';

// @ts-ignore: decorator
@inline function align64(x: usize): usize { return (x + 63) & ~(<usize>63); }

/** dxs = col2im(dcols): each column entry of one sample added back onto its input pixel. */
function col2imSample(dcols: usize, dxs: usize, inC: i32, inH: i32, inW: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  outH: i32, outW: i32, padTop: i32, padLeft: i32): void {
  const P = outH * outW;
  memory.fill(dxs, 0, <usize>(inC * inH * inW) << 2);
  let row = 0;
  for (let c = 0; c < inC; c++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++, row++) {
    const first = firstColumn(j, sw, padLeft);
    const end = endColumn(j, sw, padLeft, inW, outW);
    for (let oy = 0; oy < outH; oy++) {
      const y = oy * sh + i - padTop;
      if (y < 0 || y >= inH) continue;
      const from = f32At(dcols, row * P + oy * outW);
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

/** Samples [s0, s1): cols[s] = im2col(x[s]) and y[s] = W·cols[s] + b; scratch holds scratchBytes(P). */
export function convForward(x: usize, w: usize, b: usize, y: usize, cols: usize, s0: i32, s1: i32, F: i32,
  inC: i32, inH: i32, inW: i32, kh: i32, kw: i32, sh: i32, sw: i32, outH: i32, outW: i32, padTop: i32, padLeft: i32,
  scratch: usize): void {
  const P = outH * outW, K = inC * kh * kw, inSize = inC * inH * inW;
  for (let s = s0; s < s1; s++) {
    const cs = f32At(cols, s * K * P);
    const ys = f32At(y, s * F * P);
    im2colSample(f32At(x, s * inSize), cs, inC, inH, inW, kh, kw, sh, sw, outH, outW, padTop, padLeft);
    gemm(F, P, K, w, K, 0, cs, P, 0, ys, P, 0, scratch);
    for (let f = 0; f < F; f++) {
      const bf = load<f32>(f32At(b, f));
      const bias = f32x4.splat(bf);
      const row = f32At(ys, f * P);
      let p = 0;
      for (; p + 4 <= P; p += 4) v128.store(f32At(row, p), f32x4.add(v128.load(f32At(row, p)), bias));
      for (; p < P; p++) store<f32>(f32At(row, p), load<f32>(f32At(row, p)) + bf);
    }
  }
}

/** Bytes of scratch convBackwardData needs: one sample's dcols, then the product's scratch. */
export function convBackwardScratch(K: i32, P: i32, gemmScratch: usize): usize {
  return align64(<usize>(K * P) << 2) + gemmScratch;
}

/** Samples [s0, s1): dx[s] = col2im(Wᵀ·dy[s]). */
export function convBackwardData(w: usize, dy: usize, dx: usize, s0: i32, s1: i32, F: i32,
  inC: i32, inH: i32, inW: i32, kh: i32, kw: i32, sh: i32, sw: i32, outH: i32, outW: i32, padTop: i32, padLeft: i32,
  scratch: usize): void {
  const P = outH * outW, K = inC * kh * kw, inSize = inC * inH * inW;
  const dcols = scratch;
  const rest = scratch + align64(<usize>(K * P) << 2);
  for (let s = s0; s < s1; s++) {
    gemm(K, P, F, w, K, 1, f32At(dy, s * F * P), P, 0, dcols, P, 0, rest);
    col2imSample(dcols, f32At(dx, s * inSize), inC, inH, inW, kh, kw, sh, sw, outH, outW, padTop, padLeft);
  }
}

/** db[f] = Σ over samples and positions of dy[s, f, p] for f in [f0, f1), in float64 pairs, in a fixed order. */
export function biasGrad(dy: usize, db: usize, f0: i32, f1: i32, F: i32, n: i32, P: i32): void {
  for (let f = f0; f < f1; f++) {
    let lo = f64x2.splat(0), hi = f64x2.splat(0);
    let tail: f64 = 0;
    for (let s = 0; s < n; s++) {
      const row = f32At(dy, (s * F + f) * P);
      let p = 0;
      for (; p + 4 <= P; p += 4) {
        const v = v128.load(f32At(row, p));
        lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
        hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
      }
      for (; p < P; p++) tail += <f64>load<f32>(f32At(row, p));
    }
    const sum = f64x2.add(lo, hi);
    store<f32>(f32At(db, f), <f32>(f64x2.extract_lane(sum, 0) + f64x2.extract_lane(sum, 1) + tail));
  }
}
