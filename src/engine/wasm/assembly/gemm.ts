// Float32 GEMM for WebAssembly SIMD, compiled by AssemblyScript (scripts/build-wasm.mjs), twice:
// with relaxed-SIMD fused multiply-add and with plain SIMD (mul + add). The 4×8 micro-kernel
// keeps 8 f32x4 accumulators: V8 gives wasm 16 vector registers, and larger tiles spill
// (../shared/peers/KERNELS.md); on these 2-core machines 4×8 beat 2×16 with FMA too. The blocking follows Goto & van de Geijn,
// "Anatomy of high-performance matrix multiplication" (2008): https://doi.org/10.1145/1356052.1356053
//
//   C[M, N] (=|+=) op(A)[M, K] · op(B)[K, N]
//   op(A)(i, p) = transA ? A[p·lda + i] : A[i·lda + p];  op(B)(p, j) = transB ? B[j·ldb + p] : B[p·ldb + j]
//
// Pointers are byte offsets into the imported memory. No allocation, no static data: the same
// module runs in every worker thread on one shared memory, each with its own scratch area.
// Every element of C is summed over p in the same order whatever rows or columns a call covers,
// so splitting a product across threads by rows or by columns gives bit-identical results.

const KC: i32 = 512; // depth of a packed block
const MC: i32 = 64; // rows of A packed at once
const MR: i32 = 4; // rows of a micro-kernel tile
const NR: i32 = 8; // columns: two f32x4

export function panelRows(): i32 { return MR; }
export function panelCols(): i32 { return NR; }

// @ts-ignore: decorator
@inline function roundUp(x: i32, m: i32): i32 { return ((x + m - 1) / m) * m; }
// @ts-ignore: decorator
@inline function align64(x: usize): usize { return (x + 63) & ~(<usize>63); }

// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** Bytes of scratch one thread needs for products with n columns. */
export function scratchBytes(n: i32): usize {
  return align64(<usize>KC * <usize>(roundUp(n, NR) + NR) * 4) + align64(<usize>(MC + MR) * <usize>KC * 4) + align64(<usize>(MR * NR * 4));
}

/** 1 when relaxed_madd is fused here: (1 + 2⁻¹²)² keeps its 2⁻²⁴ term only without rounding between. */
export function fmaProbe(x: f32): f32 {
  const c = f32x4.splat(-(1.0 + 1.0 / 2048.0));
  const r = madd(f32x4.splat(x), f32x4.splat(x), c);
  return f32x4.extract_lane(r, 0) * 16777216.0;
}

/** op(A)[m0.., k0..] into MR-row panels laid out [panel][p][MR], zero padded. */
function packA(A: usize, lda: i32, transA: i32, m0: i32, mc: i32, k0: i32, kc: i32, dst: usize): void {
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const mr = min(MR, mc - i0);
    const panel = dst + <usize>(i0 * kc) * 4;
    if (transA) {
      for (let p = 0; p < kc; p++) {
        const src = A + (<usize>(k0 + p) * <usize>lda + <usize>(m0 + i0)) * 4;
        const d = panel + <usize>(p * MR) * 4;
        if (mr == MR) {
          v128.store(d, v128.load(src)); // MR is 4: one vector per k
          continue;
        }
        let r = 0;
        for (; r < mr; r++) store<f32>(d + (<usize>r << 2), load<f32>(src + (<usize>r << 2)));
        for (; r < MR; r++) store<f32>(d + (<usize>r << 2), 0);
      }
    } else {
      let p0 = 0;
      if (mr == MR) {
        // 4 depths of the 4 rows at a time: one 4×4 transpose of vectors read along k
        const row = A + (<usize>(m0 + i0) * <usize>lda + <usize>k0) * 4;
        for (; p0 + 4 <= kc; p0 += 4) transpose4(row + (<usize>p0 << 2), <usize>lda * 4, panel + <usize>(p0 * MR) * 4, <usize>MR * 4);
      }
      for (let r = 0; r < MR; r++) {
        if (r < mr) {
          const src = A + (<usize>(m0 + i0 + r) * <usize>lda + <usize>k0) * 4;
          for (let p = p0; p < kc; p++) store<f32>(panel + <usize>(p * MR + r) * 4, load<f32>(src + (<usize>p << 2)));
        } else {
          for (let p = 0; p < kc; p++) store<f32>(panel + <usize>(p * MR + r) * 4, 0);
        }
      }
    }
  }
}

/** Rows r0…r3 (4 floats each, `ld` bytes apart) written as columns: d + q·row gets [r0[q] … r3[q]]. */
// @ts-ignore: decorator
@inline function transpose4(src: usize, ld: usize, d: usize, row: usize): void {
  const r0 = v128.load(src), r1 = v128.load(src + ld), r2 = v128.load(src + 2 * ld), r3 = v128.load(src + 3 * ld);
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(d, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
  v128.store(d + row, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
  v128.store(d + 2 * row, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
  v128.store(d + 3 * row, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
}

/** op(B)[k0.., 0..n] into NR-column panels laid out [panel][p][NR], zero padded. */
function packB(B: usize, ldb: i32, transB: i32, k0: i32, kc: i32, n: i32, dst: usize): void {
  for (let j0 = 0; j0 < n; j0 += NR) {
    const nr = min(NR, n - j0);
    const panel = dst + <usize>(j0 * kc) * 4;
    if (!transB) {
      for (let p = 0; p < kc; p++) {
        const src = B + (<usize>(k0 + p) * <usize>ldb + <usize>j0) * 4;
        const d = panel + <usize>(p * NR) * 4;
        if (nr == NR) {
          for (let j = 0; j < NR; j += 4) v128.store(d + (<usize>j << 2), v128.load(src + (<usize>j << 2)));
        } else {
          let j = 0;
          for (; j < nr; j++) store<f32>(d + (<usize>j << 2), load<f32>(src + (<usize>j << 2)));
          for (; j < NR; j++) store<f32>(d + (<usize>j << 2), 0);
        }
      }
    } else {
      let p0 = 0;
      if (nr == NR) {
        // 4 depths of all 8 columns at a time: two 4×4 transposes of vectors read along k
        const row = B + (<usize>j0 * <usize>ldb + <usize>k0) * 4;
        const ld = <usize>ldb * 4;
        for (; p0 + 4 <= kc; p0 += 4) {
          const at = row + (<usize>p0 << 2);
          const d = panel + <usize>(p0 * NR) * 4;
          transpose4(at, ld, d, <usize>NR * 4);
          transpose4(at + 4 * ld, ld, d + 16, <usize>NR * 4);
        }
      }
      for (let j = 0; j < NR; j++) {
        if (j < nr) {
          const src = B + (<usize>(j0 + j) * <usize>ldb + <usize>k0) * 4;
          for (let p = p0; p < kc; p++) store<f32>(panel + <usize>(p * NR + j) * 4, load<f32>(src + (<usize>p << 2)));
        } else {
          for (let p = p0; p < kc; p++) store<f32>(panel + <usize>(p * NR + j) * 4, 0);
        }
      }
    }
  }
}

/** One MR×NR tile of C over kc steps (B's rows `bs` bytes apart); adds to what is at cp when accumulate. */
// @ts-ignore: decorator
@inline function tile(kc: i32, ap: usize, bp: usize, bs: usize, cp: usize, ldc: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    const a0 = v128.load32_splat(ap), a1 = v128.load32_splat(ap, 4);
    const a2 = v128.load32_splat(ap, 8), a3 = v128.load32_splat(ap, 12);
    c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01); c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11);
    c20 = madd(a2, b0, c20); c21 = madd(a2, b1, c21); c30 = madd(a3, b0, c30); c31 = madd(a3, b1, c31);
    ap += 16; bp += bs;
  }
  const r1 = cp + ldc, r2 = cp + 2 * ldc, r3 = cp + 3 * ldc;
  if (accumulate) {
    c00 = f32x4.add(v128.load(cp), c00); c01 = f32x4.add(v128.load(cp, 16), c01);
    c10 = f32x4.add(v128.load(r1), c10); c11 = f32x4.add(v128.load(r1, 16), c11);
    c20 = f32x4.add(v128.load(r2), c20); c21 = f32x4.add(v128.load(r2, 16), c21);
    c30 = f32x4.add(v128.load(r3), c30); c31 = f32x4.add(v128.load(r3, 16), c31);
  }
  v128.store(cp, c00); v128.store(cp, c01, 16); v128.store(r1, c10); v128.store(r1, c11, 16);
  v128.store(r2, c20); v128.store(r2, c21, 16); v128.store(r3, c30); v128.store(r3, c31, 16);
}

/** C = op(A)·op(B), or C += op(A)·op(B) when accumulate; scratch holds scratchBytes(n). */
export function gemm(m: i32, n: i32, k: i32, A: usize, lda: i32, transA: i32, B: usize, ldb: i32, transB: i32,
  C: usize, ldc: i32, accumulate: i32, scratch: usize): void {
  const blocks = (k + KC - 1) / KC;
  const kcb = blocks > 0 ? (k + blocks - 1) / blocks : 0; // equal depth blocks
  const bpack = scratch;
  const apack = bpack + align64(<usize>KC * <usize>(roundUp(n, NR) + NR) * 4);
  const edge = apack + align64(<usize>(MC + MR) * <usize>KC * 4);
  const ldcBytes = <usize>ldc * 4;
  if (k == 0 && !accumulate) {
    for (let i = 0; i < m; i++) memory.fill(C + <usize>i * ldcBytes, 0, <usize>n * 4);
  }
  for (let pc = 0; pc < k; pc += kcb) {
    const kc = min(kcb, k - pc);
    const add = pc > 0 || accumulate != 0;
    // With few rows of A (each B panel serves at most two blocks of A) B is read as it is, NR
    // columns of a row side by side, and only a partial last panel is packed (into the start
    // of bpack); rows a multiple of 1 KiB apart would fight over L1 sets, so those are packed.
    // Transposed, B is packed whole. Either way every sum is formed in the same order.
    const whole = transB || m > 2 * MC || (ldb & 255) == 0 ? 0 : n - n % NR;
    if (whole < n) packB(B + (<usize>whole << 2), ldb, transB, pc, kc, n - whole, bpack);
    for (let ic = 0; ic < m; ic += MC) {
      const mc = min(MC, m - ic);
      packA(A, lda, transA, ic, mc, pc, kc, apack);
      for (let jr = 0; jr < n; jr += NR) {
        const nr = min(NR, n - jr);
        const direct = jr < whole;
        const bp = direct ? B + (<usize>pc * <usize>ldb + <usize>jr) * 4 : bpack + <usize>((jr - whole) * kc) * 4;
        const bs: usize = direct ? <usize>ldb * 4 : <usize>NR * 4;
        for (let ir = 0; ir < mc; ir += MR) {
          const mr = min(MR, mc - ir);
          const ap = apack + <usize>(ir * kc) * 4;
          const cp = C + (<usize>(ic + ir) * <usize>ldc + <usize>jr) * 4;
          if (mr == MR && nr == NR) {
            tile(kc, ap, bp, bs, cp, ldcBytes, add);
          } else {
            // a partial tile goes through scratch; the sums are formed exactly as in a full tile
            tile(kc, ap, bp, bs, edge, <usize>NR * 4, false);
            for (let r = 0; r < mr; r++) {
              const crow = cp + <usize>r * ldcBytes;
              const trow = edge + <usize>(r * NR) * 4;
              for (let j = 0; j < nr; j++) {
                const t = load<f32>(trow + (<usize>j << 2));
                const o = crow + (<usize>j << 2);
                store<f32>(o, add ? load<f32>(o) + t : t);
              }
            }
          }
        }
      }
    }
  }
}

/**
 * C (=|+=) Σ_s op(A_s)·op(B_s) over `count` pairs, A_s at A + s·strideA values and B_s at
 * B + s·strideB: a product whose depth runs over samples (a convolution's weight gradient).
 * Each sample's sum is added onto C in sample order, whatever part of C a call covers.
 */
export function gemmSamples(count: i32, m: i32, n: i32, k: i32, A: usize, lda: i32, strideA: i32, transA: i32,
  B: usize, ldb: i32, strideB: i32, transB: i32, C: usize, ldc: i32, accumulate: i32, scratch: usize): void {
  if (count == 0) gemm(m, n, 0, A, lda, transA, B, ldb, transB, C, ldc, accumulate, scratch); // C = 0 unless accumulating
  for (let s = 0; s < count; s++) {
    gemm(m, n, k, A + (<usize>s * <usize>strideA << 2), lda, transA, B + (<usize>s * <usize>strideB << 2), ldb, transB,
      C, ldc, s > 0 || accumulate != 0 ? 1 : 0, scratch);
  }
}
