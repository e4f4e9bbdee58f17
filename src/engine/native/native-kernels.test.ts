// The native backend beyond the shared table (kernels.test.ts): odd and degenerate shapes
// (1×1, primes, empty batches, products spanning several KC blocks), bit-identical results on
// 1 and 2 threads, convolutions (im2col and Winograd) against the reference, dropout masks and
// Adam bit for bit as the reference, and sizes refused before they reach C. Skipped when the
// native build is absent or hidden (DLX_NATIVE=0); run on the sanitizer build by
// npm run test:native-asan.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../../test/helpers.js';
import type { Backend } from '../backend.js';
import { referenceBackend } from '../reference.js';
import { Rng } from '../../random/rng.js';
import { configureNative, ISAS, nativeAddon } from './addon.js';
import { nativeBackend } from './native-backend.js';

const settings = { hidden: process.env.DLX_NATIVE === '0', dir: process.env.DLX_NATIVE_DIR || undefined };
configureNative(settings);
const loaded = nativeAddon();
const skip = 'why' in loaded ? `native kernels: ${loaded.why}` : false;

const rng = Rng.stream(5, 'native-kernels');
const randoms = (length: number) => Float32Array.from({ length }, () => rng.normal());
const bits = (a: Float32Array | Int32Array | Float64Array) => [...new Uint32Array(a.buffer, a.byteOffset, a.byteLength / 4)];

function product(a: Float32Array, b: Float32Array, m: number, k: number, n: number, transA: boolean, transB: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
    out.push(s);
  }
  return out;
}

test('matmul on odd and degenerate shapes, every transpose form, 1 and 2 threads bit-identical', { skip }, () => {
  const [one, two] = [nativeBackend(1), nativeBackend(2)];
  // 1×1, primes around the tile sizes, empty m / k / n, and products deep enough for several KC blocks
  for (const [m, k, n] of [[1, 1, 1], [7, 13, 29], [31, 257, 17], [2, 3, 97], [0, 5, 3], [4, 0, 5], [3, 5, 0], [67, 600, 131], [9, 1031, 33]]) {
    const [a, b] = [randoms(m * k), randoms(k * n)];
    for (const transA of [false, true]) for (const transB of [false, true]) {
      const where = `${m}×${k}×${n} transA=${transA} transB=${transB}`;
      const expected = product(a, b, m, k, n, transA, transB);
      const [x, y] = [randoms(m * n), randoms(m * n)];
      one.matmul(a, b, x, { m, k, n, transA, transB });
      two.matmul(a, b, y, { m, k, n, transA, transB });
      assertClose(x, expected, 1e-5, 1e-4, where);
      assert.deepEqual(bits(y), bits(x), `${where}: 2 threads as 1`);
      one.matmul(a, b, x, { m, k, n, transA, transB, accumulate: true });
      assertClose(x, expected.map((v) => 2 * v), 1e-5, 2e-4, `${where} accumulate`);
    }
  }
});

test('products split across 2 and 3 threads by rows and by columns give the same bits as 1 thread', { skip }, () => {
  const [one, two, three] = [nativeBackend(1), nativeBackend(2), nativeBackend(3)];
  for (const [m, k, n] of [[300, 517, 21], [21, 517, 301], [128, 784, 200], [784, 128, 200], [97, 1031, 61]]) {
    const [a, b] = [randoms(m * k), randoms(k * n)];
    for (const transA of [false, true]) for (const transB of [false, true]) {
      const where = `${m}×${k}×${n} transA=${transA} transB=${transB}`;
      const [x, y, z] = [new Float32Array(m * n), new Float32Array(m * n), new Float32Array(m * n)];
      one.matmul(a, b, x, { m, k, n, transA, transB });
      two.matmul(a, b, y, { m, k, n, transA, transB });
      three.matmul(a, b, z, { m, k, n, transA, transB });
      assert.deepEqual(bits(y), bits(x), where);
      assert.deepEqual(bits(z), bits(x), `${where}, 3 threads`);
      one.matmul(a, b, x, { m, k, n, transA, transB, accumulate: true });
      two.matmul(a, b, y, { m, k, n, transA, transB, accumulate: true });
      assert.deepEqual(bits(y), bits(x), `${where} accumulate`);
    }
  }
});

test('convolutions (im2col and Winograd F(2×2, 3×3)) agree with the reference, 2 threads bit-identical to 1, empty batches included', { skip }, () => {
  const [one, two] = [nativeBackend(1), nativeBackend(2)];
  const geometries: [number, number, number, number, number, number, number, number, number][] = [
    // inC, F, inH, inW, kh, kw, stride, pad, n: strided, odd, 1×1 kernels, Winograd (3×3, ≥ 8 channels) same and valid
    [2, 4, 9, 7, 3, 2, 2, 1, 3], [1, 1, 1, 1, 1, 1, 1, 0, 1], [3, 5, 12, 12, 3, 3, 1, 1, 0], [8, 9, 7, 11, 3, 3, 1, 1, 3],
    [9, 8, 10, 6, 3, 3, 1, 0, 2], [12, 8, 1, 17, 3, 3, 1, 1, 1], [16, 13, 13, 13, 3, 3, 1, 1, 11], [8, 8, 5, 5, 3, 3, 1, 1, 0],
    // im2col over more samples than the weight gradient's 8 groups; 1×1 stride 2 (columns smaller than x: kept as columns)
    [2, 3, 10, 9, 3, 3, 1, 1, 13], [3, 4, 8, 8, 1, 1, 2, 0, 3],
  ];
  for (const [inC, F, inH, inW, kh, kw, stride, pad, n] of geometries) {
    const [outH, outW] = [Math.floor((inH + 2 * pad - kh) / stride) + 1, Math.floor((inW + 2 * pad - kw) / stride) + 1];
    const g = { inC, inH, inW, kh, kw, sh: stride, sw: stride, outH, outW, padTop: pad, padLeft: pad };
    const [K, P] = [inC * kh * kw, outH * outW];
    const [x, w, b, dy] = [randoms(n * inC * inH * inW), randoms(F * K), randoms(F), randoms(n * F * P)];
    const run = (backend: Backend) => {
      const [y, cols, dw, db, dx] = [randoms(n * F * P), randoms(n * K * P), randoms(F * K), randoms(F), randoms(x.length)];
      backend.conv2dForward(x, w, b, y, cols, g, n);
      backend.conv2dBackward(cols, w, dy, dw, db, dx, g, n);
      const [dw2, db2] = [randoms(F * K), randoms(F)];
      backend.conv2dBackward(cols, w, dy, dw2, db2, undefined, g, n);
      return { y, cols, dw, db, dx, dw2, db2 };
    };
    const [want, got1, got2] = [run(referenceBackend), run(one), run(two)];
    const where = `${inC}→${F} ${inH}×${inW} ${kh}×${kw}/${stride} pad ${pad} n=${n}`;
    // cols holds what the backward pass needs: a copy of x where it fits (conv.c), else the reference's columns
    const keepsInput = K * P >= inC * inH * inW;
    if (keepsInput) assert.deepEqual(bits(got1.cols.subarray(0, x.length)), bits(x), `${where}: cols keeps x`);
    for (const key of ['y', ...(keepsInput ? [] : ['cols'] as const), 'dw', 'db', 'dx', 'dw2', 'db2'] as const) {
      assertClose(got1[key], [...want[key]], 1e-4, 1e-4, `${where} ${key}`);
      assert.deepEqual(bits(got2[key]), bits(got1[key]), `${where} ${key}: 2 threads as 1`);
    }
  }
});

test('pooling, batchnorm, activations and Adam: empty and odd sizes, 2 threads bit-identical to 1, Adam and dropout bit-identical to the reference', { skip }, () => {
  const [one, two] = [nativeBackend(1), nativeBackend(2)];
  for (const count of [0, 1, 3, 17, 300_001]) {
    const [x, dy] = [randoms(count), randoms(count)];
    const each = (b: Backend) => {
      const out: (Float32Array | Int32Array)[] = [];
      for (const kind of ['sigmoid', 'tanh', 'elu'] as const) {
        const [y, dx] = [new Float32Array(count), new Float32Array(count)];
        b.squash(kind, x, y, 0.7);
        b.squashBackward(kind, x, y, dy, dx, 0.7);
        out.push(y, dx);
      }
      const [y, dx] = [new Float32Array(count), new Float32Array(count)];
      b.leakyRelu(x, y, 0.1);
      b.leakyReluBackward(x, dy, dx, 0.1);
      const [w, m, v] = [x.slice(), new Float32Array(count), new Float32Array(count)];
      for (let t = 1; t <= 3; t++) b.adam(w, dy, m, v, { stepSize: 0.01, correction2: Math.sqrt(1 - 0.999 ** t), beta1: 0.9, beta2: 0.999, eps: 1e-8 });
      const stream = Rng.stream(3, 'dropout');
      const [dropped, mask, back] = [new Float32Array(count), new Float32Array(count), new Float32Array(count)];
      b.dropout(x, dropped, mask, 0.6, stream);
      b.dropoutBackward(dy, mask, back);
      return [...out, y, dx, w, m, v, dropped, mask, back, new Int32Array(stream.state.buffer)];
    };
    const [want, got1, got2] = [each(referenceBackend), each(one), each(two)];
    got1.forEach((v, i) => assert.deepEqual(bits(got2[i]), bits(v), `${count} values [${i}]: 2 threads as 1`));
    // Adam (w, m, v) and dropout (values, mask, gradient, stream state): the reference's arithmetic, bit for bit
    for (let i = 8; i < 15; i++) assert.deepEqual(bits(got1[i]), bits(want[i]), `${count} values [${i}] vs reference`);
    // libm's and V8's float64 tanh/exp may differ in the last bit, so y may round 1 ulp apart, and
    // 1 − y near saturation magnifies that in the slopes: 1e-5 relative
    for (let i = 0; i < 8; i++) assertClose(got1[i], [...want[i]], 1e-5, 1e-30, `${count} values [${i}] vs reference`);
  }
  for (const [planes, H, W] of [[0, 4, 4], [1, 1, 1], [5, 7, 13], [37, 90, 91]]) {
    const [kh, kw, s] = H === 1 ? [1, 1, 1] : [2, 2, 2];
    const g = { planes, H, W, kh, kw, sh: s, sw: s, outH: Math.floor((H - kh) / s) + 1, outW: Math.floor((W - kw) / s) + 1 };
    const outs = planes * g.outH * g.outW;
    const [x, dPooled] = [randoms(planes * H * W), randoms(outs)];
    const run = (b: Backend) => {
      const [y, at, dx, ay, adx] = [new Float32Array(outs), new Int32Array(outs), randoms(x.length), new Float32Array(outs), randoms(x.length)];
      b.maxpool(x, y, at, g);
      b.maxpoolBackward(dPooled, at, dx, g);
      b.avgpool(x, ay, g);
      b.avgpoolBackward(dPooled, adx, g);
      return [y, at, dx, ay, adx];
    };
    const [want, got1, got2] = [run(referenceBackend), run(one), run(two)];
    got1.forEach((v, i) => {
      assert.deepEqual(bits(got2[i]), bits(v), `pool ${planes}×${H}×${W} [${i}]: 2 threads as 1`);
      assertClose(v, [...want[i]], 1e-6, 1e-6, `pool ${planes}×${H}×${W} [${i}] vs reference`);
    });
  }
  // dense input (S = 1) split across 2 threads by channels, whose runs are not a multiple of the SIMD width
  for (const [n, C, S] of [[0, 3, 5], [1, 1, 1], [7, 13, 1], [64, 1101, 1], [16, 11, 1001]]) {
    const [x, dy, gamma, beta] = [randoms(n * C * S).map((v) => 3 + 2 * v), randoms(n * C * S), randoms(C), randoms(C)];
    const run = (b: Backend) => {
      const [mean64, m2] = [new Float64Array(C), new Float64Array(C)];
      b.batchnormStats(x, n, S, mean64, m2);
      const [mean, inv] = [Float32Array.from(mean64), Float32Array.from(m2, (v) => 1 / Math.sqrt(v / Math.max(1, n * S) + 1e-5))];
      const [y, xhat, dx, dg, db] = [new Float32Array(x.length), new Float32Array(x.length), new Float32Array(x.length), new Float32Array(C), new Float32Array(C)];
      b.batchnormApply(x, y, xhat, mean, inv, gamma, beta, n, S);
      b.batchnormBackward(dy, xhat, dx, gamma, inv, dg, db, n, S);
      return n === 0 ? [y, dx] : [mean, Float32Array.from(m2), y, xhat, dx, dg, db];
    };
    const [want, got1, got2] = [run(referenceBackend), run(one), run(two)];
    got1.forEach((v, i) => {
      assert.deepEqual(bits(got2[i]), bits(v), `batchnorm ${n}×${C}×${S} [${i}]: 2 threads as 1`);
      assertClose(v, [...want[i]], 1e-4, 1e-5, `batchnorm ${n}×${C}×${S} [${i}] vs reference`);
    });
  }
});

test('dropout keeps exactly the reference\'s values at any keep and on 2 threads (the stream jumped ahead per task)', { skip }, () => {
  const count = 70_001; // 2 threads take several tasks, each starting mid-stream
  const x = randoms(count);
  // keep·2⁵³ whole, with a fraction, the smallest and largest keeps, and ones a draw may meet exactly
  for (const keep of [0.5, 0.6, 1, 1e-12, 1 - 2 ** -53, 0.25 + 2 ** -50, Math.fround(0.9)]) {
    const run = (b: Backend) => {
      const stream = Rng.stream(11, 'dropout');
      const [y, mask] = [new Float32Array(count), new Float32Array(count)];
      b.dropout(x, y, mask, keep, stream);
      return [y, mask, new Int32Array(stream.state.buffer)];
    };
    const want = run(referenceBackend);
    for (const threads of [1, 2]) run(nativeBackend(threads)).forEach((v, i) => assert.deepEqual(bits(v), bits(want[i]), `keep ${keep}, ${threads} threads [${i}]`));
  }
});

test('noted rows (the next batch, fetched by idle threads) change no result: gathers, products and Adam as without them', { skip }, async () => {
  const two = nativeBackend(2);
  const [rows, width] = [300, 97];
  const src = randoms(rows * width);
  const order = Int32Array.from({ length: rows }, (_, i) => (i * 37 + 11) % rows);
  const [w0, g] = [randoms(width * 40), randoms(width * 40)];
  const run = async (hint: boolean) => {
    const out: number[][] = [];
    const [x, w, m, v, y] = [new Float32Array(64 * width), w0.slice(), new Float32Array(width * 40), new Float32Array(width * 40), new Float32Array(64 * 40)];
    for (let start = 0; start + 64 <= rows; start += 64) {
      two.gatherRows(src, width, order.subarray(start, start + 64), x);
      if (hint) two.prefetchRows(src, width, order.subarray(start + 64, start + 128));
      await new Promise((resolve) => setTimeout(resolve, 1)); // the workers idle: they fetch the noted rows now
      two.matmul(x, w, y, { m: 64, k: width, n: 40 });
      two.adam(w, g, m, v, { stepSize: 1e-3, correction2: 0.5, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
      out.push(bits(x), bits(y), bits(w));
    }
    return out;
  };
  assert.deepEqual(await run(true), await run(false));
});

test('sizes that would reach past a buffer are refused before the call crosses into C', { skip }, () => {
  const b = nativeBackend(2);
  assert.throws(() => b.matmul(new Float32Array(6), new Float32Array(6), new Float32Array(3), { m: 2, k: 3, n: 2 }),
    /native matmul: out has 3 values, expected at least 4/);
  assert.throws(() => b.matmul(new Float32Array(6), new Float32Array(6), new Float32Array(4), { m: 2.5, k: 3, n: 2 }), /m = 2.5, expected a whole number/);
  assert.throws(() => b.adam(new Float32Array(5), new Float32Array(4), new Float32Array(5), new Float32Array(5),
    { stepSize: 1, correction2: 1, beta1: 0.9, beta2: 0.9, eps: 1e-8 }), /native adam: g has 4 values, expected at least 5/);
  assert.throws(() => b.penalize(new Float32Array(5), new Float32Array(4), 0.1, new Float64Array(2)), /native penalize: g has 4 values, expected at least 5/);
  assert.throws(() => b.penalize(new Float32Array(5), new Float32Array(5), 0.1, new Float64Array(1)), /native penalize: sums has 1 values, expected at least 2/);
  const g = { inC: 1, inH: 4, inW: 4, kh: 3, kw: 3, sh: 1, sw: 1, outH: 4, outW: 4, padTop: 1, padLeft: 1 };
  assert.throws(() => b.conv2dForward(new Float32Array(16), new Float32Array(9), new Float32Array(1), new Float32Array(16), new Float32Array(100), g, 1),
    /native conv2dForward: cols has 100 values, expected at least 144/);
  const pool = { planes: 2, H: 4, W: 4, kh: 2, kw: 2, sh: 2, sw: 2, outH: 3, outW: 2 };
  assert.throws(() => b.avgpool(new Float32Array(32), new Float32Array(12), pool), /3 rows of 2-high windows at stride 2 do not fit in 4 rows/);
  // an argmax index outside its window's plane: checked in C as it is used, never written
  const ok = { ...pool, outH: 2 };
  const dx = new Float32Array(32);
  assert.throws(() => b.maxpoolBackward(new Float32Array(8), Int32Array.from([0, 1, 2, 3, 4, 5, 6, 99]), dx, ok), /argmax index lies outside its plane/);
  assert.throws(() => b.gatherRows(new Float32Array(12), 4, Int32Array.from([0, 1]), new Float32Array(7)), /native gatherRows: out has 7 values, expected at least 8/);
  assert.throws(() => b.gatherRows(new Float32Array(12), 4, Int32Array.from([2, 3]), new Float32Array(8)), /native gatherRows: row 3 lies outside the 3 rows/);
  assert.throws(() => b.prefetchRows(new Float32Array(12), 4, Int32Array.from([2, -1])), /native prefetchRows: row -1 lies outside the 3 rows/);
  assert.throws(() => b.prefetchRows(new Float32Array(12), 4.5, Int32Array.from([0])), /native prefetchRows: width = 4.5/);
  assert.throws(() => nativeBackend(0), /threads = 0/);
});

test('every build this CPU runs (AVX-512 and AVX2 here) gives the same bits: products (they depend on KC alone), convolutions, pooling', { skip }, () => {
  const builds = ISAS.flatMap((isa) => {
    configureNative({ ...settings, isa });
    const l = nativeAddon();
    return 'addon' in l ? [nativeBackend(2)] : [];
  });
  configureNative(settings);
  const [m, k, n] = [67, 600, 131];
  const [a, b] = [randoms(m * k), randoms(k * n)];
  for (const transA of [false, true]) for (const transB of [false, true]) {
    const outs = builds.map((backend) => {
      const out = new Float32Array(m * n);
      backend.matmul(a, b, out, { m, k, n, transA, transB });
      return bits(out);
    });
    for (const [i, out] of outs.entries()) assert.deepEqual(out, outs[0], `${builds[i].variant} as ${builds[0].variant}, transA=${transA} transB=${transB}`);
  }
  // convolutions too (Winograd with its transforms, im2col, the weight gradient's groups, the bias sums), and pooling
  for (const [inC, F, H, W, n] of [[16, 12, 14, 14, 11], [1, 8, 9, 10, 13]]) {
    const g = { inC, inH: H, inW: W, kh: 3, kw: 3, sh: 1, sw: 1, outH: H, outW: W, padTop: 1, padLeft: 1 };
    const [K, P] = [inC * 9, H * W];
    const [x, w, b, dy] = [randoms(n * inC * H * W), randoms(F * K), randoms(F), randoms(n * F * P)];
    const outs = builds.map((backend) => {
      const [y, cols, dw, db, dx] = [new Float32Array(n * F * P), new Float32Array(n * K * P), new Float32Array(F * K), new Float32Array(F), new Float32Array(x.length)];
      backend.conv2dForward(x, w, b, y, cols, g, n);
      backend.conv2dBackward(cols, w, dy, dw, db, dx, g, n);
      const pg = { planes: n * F, H, W, kh: 2, kw: 2, sh: 2, sw: 2, outH: H >> 1, outW: W >> 1 };
      const [pooled, at] = [new Float32Array(n * F * pg.outH * pg.outW), new Int32Array(n * F * pg.outH * pg.outW)];
      backend.maxpool(y, pooled, at, pg);
      return [y, dw, db, dx, pooled].map(bits);
    });
    for (const [i, out] of outs.entries()) assert.deepEqual(out, outs[0], `${builds[i].variant} as ${builds[0].variant}: conv ${inC}→${F} ${H}×${W}`);
  }
});

test('a pool of 4 threads taking jobs of 1 to 4 tasks in turn gives the 1-thread bits every time', { skip }, () => {
  // workers left out of one job must not run a piece of the next twice (the pool's sequence lock)
  const [one, four] = [nativeBackend(1), nativeBackend(4)];
  const shapes = [[8, 64, 40], [64, 256, 64], [96, 300, 100], [200, 300, 200]].map(([m, k, n]) => {
    const [a, b] = [randoms(m * k), randoms(k * n)];
    const want = new Float32Array(m * n);
    one.matmul(a, b, want, { m, k, n });
    return { m, k, n, a, b, want: bits(want) };
  });
  for (let round = 0; round < 150; round++) {
    const { m, k, n, a, b, want } = shapes[(round * 7) % shapes.length];
    const out = new Float32Array(m * n);
    four.matmul(a, b, out, { m, k, n });
    assert.deepEqual(bits(out), want, `round ${round}: ${m}×${k}×${n}`);
  }
});
