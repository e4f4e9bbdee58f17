// One kernel table, run against every backend: the reference backend, the WebAssembly
// backend on 1 and 2 threads, and the native backend on 1 and 2 threads when it is built (and
// not hidden by DLX_NATIVE=0; DLX_NATIVE_DIR runs the table on another build, e.g. the sanitizer one). Shapes include sizes that are not multiples of the SIMD width or
// of the micro-kernel's panels, and products deep enough to span several packed k blocks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../test/helpers.js';
import { SQUASHES, type Backend, type Squash } from './backend.js';
import { loadBackend } from './backends.js';
import { adamUpdate } from './reference.js';
import { Rng } from '../random/rng.js';
import { MIN_FLOPS_PER_THREAD, MIN_VALUES_PER_THREAD, partition, split } from './wasm/partition.js';
import { wasmBackend } from './wasm/wasm-backend.js';
import { configureNative, nativeAddon } from './native/addon.js';

configureNative({ hidden: process.env.DLX_NATIVE === '0', dir: process.env.DLX_NATIVE_DIR || undefined });
const native = nativeAddon();

const rng = Rng.stream(9, 'kernels');
const randoms = (length: number) => Float32Array.from({ length }, () => rng.normal());

// Naive float64 product of op(a)·op(b), the oracle for every transpose form.
function product(a: Float32Array, b: Float32Array, m: number, k: number, n: number, transA: boolean, transB: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
      out.push(s);
    }
  }
  return out;
}

const shapes: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [17, 4, 9], [2, 16, 16], [5, 13, 33], [33, 300, 19], [64, 600, 70], [1, 513, 3], [4, 0, 5]];
const backends: [string, () => Promise<Backend>][] = [
  ['reference', async () => (await loadBackend('reference', 1))!],
  ['wasm, 1 thread', async () => (await loadBackend('wasm', 1))!],
  ['wasm, 2 threads', async () => (await loadBackend('wasm', 2))!],
  // the fallback build for runtimes without relaxed SIMD: multiply then add
  ['wasm plain SIMD, 2 threads', () => wasmBackend(2, 'simd')],
  ...(['native, 1 thread', 'native, 2 threads'] as const).map((label, i): [string, () => Promise<Backend>] => [label, async () => (await loadBackend('native', i + 1))!]),
];

for (const [label, load] of backends) {
  if (label.startsWith('native') && 'why' in native) {
    test(`the kernel table on ${label}`, { skip: `native kernels: ${native.why}` }, () => {});
    continue;
  }
  test(`matmul in every transpose form on odd sizes: ${label}`, async () => {
    const backend = await load();
    for (const [m, k, n] of shapes) {
      const a = randoms(m * k);
      const b = randoms(k * n);
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const expected = product(a, b, m, k, n, transA, transB);
          const where = `${label} ${m}×${k}×${n} transA=${transA} transB=${transB}`;
          const out = randoms(m * n); // stale values must be overwritten
          backend.matmul(a, b, out, { m, k, n, transA, transB });
          assertClose(out, expected, 1e-5, 1e-4, where);
          backend.matmul(a, b, out, { m, k, n, transA, transB, accumulate: true });
          assertClose(out, expected.map((v) => 2 * v), 1e-5, 2e-4, `${where} accumulate`);
        }
      }
    }
  });

  test(`addRowVector and sumRows: ${label}`, async () => {
    const backend = await load();
    const x = Float32Array.from([1, 2, 3, 4, 5, 6]);
    backend.addRowVector(x, Float32Array.from([10, 20, 30]));
    assert.deepEqual([...x], [11, 22, 33, 14, 25, 36]);
    const out = new Float32Array(3);
    backend.sumRows(x, 3, out);
    assert.deepEqual([...out], [25, 47, 69]);
    // 9 columns: two SIMD lanes of 4 and a tail; float32 sums in row order, as written below
    const [rows, cols] = [5, 9];
    const [y, bias] = [randoms(rows * cols), randoms(cols)];
    const expected = [...y].map((v, i) => Math.fround(v + bias[i % cols]));
    backend.addRowVector(y, bias);
    assert.deepEqual([...y], expected);
    const sums = new Float32Array(cols);
    backend.sumRows(y, cols, sums);
    assert.deepEqual([...sums], Array.from({ length: cols }, (_, j) => expected.filter((_, i) => i % cols === j).reduce((a, v) => Math.fround(a + v), 0)));
  });

  test(`gatherRows copies a batch's rows in the given order and refuses a row outside the data: ${label}`, async () => {
    const backend = await load();
    // widths that are not a multiple of the SIMD width, repeated and reversed rows, an empty batch
    for (const [rows, width] of [[7, 5], [300, 784], [1, 1], [4, 0]]) {
      const src = randoms(rows * width);
      const order = Int32Array.from({ length: 2 * rows + 1 }, (_, i) => (i * 5 + 3) % rows).reverse();
      for (const take of [order.length, 1, 0]) {
        const picked = order.subarray(0, take);
        const out = randoms(take * width + 3); // past the batch: left alone
        const tail = [...out.subarray(take * width)];
        backend.gatherRows(src, width, picked, out);
        const expected = [...picked].flatMap((r) => [...src.subarray(r * width, (r + 1) * width)]);
        assert.deepEqual([...out.subarray(0, take * width)], expected, `${rows}×${width}, ${take} rows`);
        assert.deepEqual([...out.subarray(take * width)], tail, `${rows}×${width}, ${take} rows: nothing past the batch`);
      }
    }
    const src = randoms(12);
    for (const bad of [3, -1]) {
      const out = new Float32Array(8);
      assert.throws(() => backend.gatherRows(src, 4, Int32Array.from([0, bad]), out), new RegExp(`row ${bad} lies outside the 3 rows`));
      assert.ok(out.every((v) => v === 0), `row ${bad}: nothing copied`);
    }
  });

  test(`leakyRelu, its backward and maxpool on odd lengths: ${label}`, async () => {
    const backend = await load();
    for (const n of [1, 3, 4, 7, 33]) {
      const x = randoms(n);
      x[0] = NaN;
      const dy = randoms(n);
      for (const alpha of [0, 0.1]) {
        const y = randoms(n);
        backend.leakyRelu(x, y, alpha);
        // NaN → 0 for relu, NaN for leaky; alpha·x may round once in float32 (1 ulp)
        assert.ok(alpha === 0 ? Object.is(y[0], 0) : Number.isNaN(y[0]), `NaN input, alpha=${alpha}`);
        assertClose(y.subarray(1), [...x.subarray(1)].map((v) => (v > 0 ? v : alpha * v)), 1e-6, 0, `n=${n} alpha=${alpha}`);
        const dx = randoms(n);
        backend.leakyReluBackward(x, dy, dx, alpha);
        assertClose(dx, [...x].map((v, i) => (v > 0 ? dy[i] : dy[i] * alpha)), 1e-6, 0, `backward n=${n} alpha=${alpha}`);
      }
    }
    // 3 planes of 5×13: 2×3 windows at strides 2×2, and the unrolled 2×2 windows at strides 2×2
    // (four at a time in SIMD, then a tail) and 1×1
    const [H, W] = [5, 13];
    for (const [kh, kw, sh, sw] of [[2, 3, 2, 2], [2, 2, 2, 2], [2, 2, 1, 1]]) {
      const [outH, outW] = [Math.floor((H - kh) / sh) + 1, Math.floor((W - kw) / sw) + 1];
      const g = { planes: 3, H, W, kh, kw, sh, sw, outH, outW };
      const x = randoms(3 * H * W).map((v) => Math.round(v * 2)); // ties: the first maximum wins
      const count = 3 * outH * outW;
      const y = new Float32Array(count);
      const at = new Int32Array(count);
      backend.maxpool(x, y, at, g);
      for (let o = 0; o < count; o++) {
        const [plane, oy, ox] = [Math.floor(o / (outH * outW)), Math.floor((o % (outH * outW)) / outW), o % outW];
        const cells = Array.from({ length: kh }, (_, i) => Array.from({ length: kw }, (_, j) => plane * H * W + (oy * sh + i) * W + ox * sw + j)).flat();
        const best = cells.reduce((b, c) => (x[c] > x[b] ? c : b));
        assert.equal(at[o], best, `${kh}×${kw}/${sh}×${sw} argmax ${o}`);
        assert.equal(y[o], x[best]);
      }
      const dy = randoms(count);
      const dx = randoms(x.length); // stale values must be cleared
      backend.maxpoolBackward(dy, at, dx, g);
      const expected = new Array<number>(x.length).fill(0);
      for (let o = 0; o < count; o++) expected[at[o]] += dy[o];
      assertClose(dx, expected, 1e-6, 1e-6, `${kh}×${kw}/${sh}×${sw} backward`);
    }
  });

  test(`sigmoid, tanh and elu and their slopes against float64, from tiny to saturated inputs: ${label}`, async () => {
    const backend = await load();
    const edges = [-100, -87.5, -20, -5, -1, -0.3, -1e-3, -1e-7, 0, 1e-7, 1e-3, 0.3, 1, 5, 20, 100];
    const x = Float32Array.from([...edges, ...randoms(37).map((v) => 3 * v)]); // 53 values: a tail of 1
    const alpha = Math.fround(0.7); // as the kernels see it
    const exact: Record<Squash, (v: number) => number> = {
      sigmoid: (v) => 1 / (1 + Math.exp(-v)),
      tanh: Math.tanh,
      elu: (v) => (v > 0 ? v : alpha * Math.expm1(v)),
    };
    const slope: Record<Squash, (v: number, y: number) => number> = {
      sigmoid: (_v, y) => y * (1 - y),
      tanh: (_v, y) => 1 - y * y,
      elu: (v, y) => (v > 0 ? 1 : y + alpha),
    };
    for (const kind of SQUASHES) {
      for (const n of [x.length, 3, 2]) {
        const [xs, y, dy, dx] = [x.subarray(0, n), new Float32Array(n), randoms(n), new Float32Array(n)];
        backend.squash(kind, xs, y, alpha);
        assertClose(y, [...xs].map(exact[kind]), 1e-6, 1e-30, `${kind} forward, ${n} values`);
        backend.squashBackward(kind, xs, y, dy, dx, alpha);
        assertClose(dx, [...xs].map((v, i) => dy[i] * slope[kind](v, y[i])), 1e-6, 1e-30, `${kind} backward, ${n} values`);
      }
    }
  });

  test(`batchnorm statistics, normalization and backward against their definition: ${label}`, async () => {
    const backend = await load();
    // dense input (S = 1) and images whose planes are not a multiple of the SIMD width
    for (const [n, C, S] of [[5, 7, 1], [3, 4, 13]]) {
      const size = n * C * S;
      const [x, dy, gamma, beta] = [randoms(size).map((v) => 2 - v), randoms(size), randoms(C), randoms(C)];
      const at = (i: number, c: number, k: number) => (i * C + c) * S + k;
      const channel = (a: ArrayLike<number>, c: number) => Array.from({ length: n * S }, (_, j) => a[at(Math.floor(j / S), c, j % S)]);
      const [mean64, m2] = [new Float64Array(C), new Float64Array(C)];
      backend.batchnormStats(x, n, S, mean64, m2);
      const means = Array.from({ length: C }, (_, c) => channel(x, c).reduce((a, b) => a + b, 0) / (n * S));
      assertClose(mean64, means, 1e-12, 1e-12, `mean ${n}×${C}×${S}`);
      assertClose(m2, means.map((mu, c) => channel(x, c).reduce((a, v) => a + (v - mu) ** 2, 0)), 1e-12, 1e-12, `m2 ${n}×${C}×${S}`);
      const [mean, inv] = [Float32Array.from(means), Float32Array.from(m2, (v) => 1 / Math.sqrt(v / (n * S) + 1e-5))];
      const [y, xhat, dx, dg, db] = [new Float32Array(size), new Float32Array(size), new Float32Array(size), new Float32Array(C), new Float32Array(C)];
      backend.batchnormApply(x, y, xhat, mean, inv, gamma, beta, n, S);
      const h = [...x].map((v, j) => (v - mean[Math.floor(j / S) % C]) * inv[Math.floor(j / S) % C]);
      assertClose(xhat, h, 1e-5, 1e-6, `x̂ ${n}×${C}×${S}`);
      assertClose(y, h.map((v, j) => gamma[Math.floor(j / S) % C] * v + beta[Math.floor(j / S) % C]), 1e-5, 1e-6, `y ${n}×${C}×${S}`);
      backend.batchnormBackward(dy, xhat, dx, gamma, inv, dg, db, n, S);
      const sums = Array.from({ length: C }, (_, c) => [channel(dy, c).reduce((a, b) => a + b, 0), channel(dy, c).reduce((a, v, j) => a + v * channel(xhat, c)[j], 0)]);
      assertClose(db, sums.map(([d]) => d), 1e-5, 1e-6, `dβ ${n}×${C}×${S}`);
      assertClose(dg, sums.map(([, d]) => d), 1e-5, 1e-6, `dγ ${n}×${C}×${S}`);
      assertClose(dx, [...dy].map((v, j) => {
        const c = Math.floor(j / S) % C;
        return gamma[c] * inv[c] * (v - sums[c][0] / (n * S) - (xhat[j] * sums[c][1]) / (n * S));
      }), 1e-4, 1e-5, `dx ${n}×${C}×${S}`);
    }
  });

  test(`avgpool and its backward against their definition: ${label}`, async () => {
    const backend = await load();
    // 3 planes of 5×13: 2×3 windows at strides 2×2, 2×2 windows at strides 2×2 (four at a time
    // in SIMD, then a tail) and overlapping 2×2 windows at strides 1×1
    const [H, W] = [5, 13];
    for (const [kh, kw, sh, sw] of [[2, 3, 2, 2], [2, 2, 2, 2], [2, 2, 1, 1]]) {
      const [outH, outW] = [Math.floor((H - kh) / sh) + 1, Math.floor((W - kw) / sw) + 1];
      const g = { planes: 3, H, W, kh, kw, sh, sw, outH, outW };
      const x = randoms(3 * H * W);
      const count = 3 * outH * outW;
      const [y, dy, dx] = [new Float32Array(count), randoms(count), randoms(x.length)]; // stale dx values must be cleared
      backend.avgpool(x, y, g);
      backend.avgpoolBackward(dy, dx, g);
      const [expectedY, expectedDx] = [new Array<number>(count).fill(0), new Array<number>(x.length).fill(0)];
      for (let o = 0; o < count; o++) {
        const [plane, oy, ox] = [Math.floor(o / (outH * outW)), Math.floor((o % (outH * outW)) / outW), o % outW];
        for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
          const cell = plane * H * W + (oy * sh + i) * W + ox * sw + j;
          expectedY[o] += x[cell] / (kh * kw);
          expectedDx[cell] += dy[o] / (kh * kw);
        }
      }
      assertClose(y, expectedY, 1e-6, 1e-6, `${kh}×${kw}/${sh}×${sw} forward`);
      assertClose(dx, expectedDx, 1e-6, 1e-6, `${kh}×${kw}/${sh}×${sw} backward`);
    }
  });

  test(`adam matches the float64 update: ${label}`, async () => {
    const backend = await load();
    const n = 37;
    const [w, g, m, v] = [randoms(n), randoms(n), new Float32Array(n), new Float32Array(n)];
    const [w64, m64, v64] = [Float64Array.from(w), new Float64Array(n), new Float64Array(n)];
    for (let t = 1; t <= 5; t++) {
      const step = { stepSize: 0.01 / (1 - 0.9 ** t), correction2: Math.sqrt(1 - 0.999 ** t), beta1: 0.9, beta2: 0.999, eps: 1e-8 };
      backend.adam(w, g, m, v, step);
      adamUpdate(w64, Float64Array.from(g), m64, v64, step);
    }
    assertClose(w, [...w64], 2e-6, 1e-7, 'w');
    assertClose(m, [...m64], 2e-6, 1e-8, 'm');
    assertClose(v, [...v64], 2e-6, 1e-8, 'v');
  });

  test(`penalize: Σ|w| and Σw² in float64 and g + 2·l2·w as the reference rounds it; l2 = 0 leaves g alone: ${label}`, async () => {
    const backend = await load();
    for (const n of [0, 1, 7, 8, 9, 37, 1000]) {
      const [w, g] = [randoms(n), randoms(n)];
      const [expectedG, sums] = [g.slice(), Float64Array.from([1.5, 2.5])];
      let [abs, sq] = [1.5, 2.5];
      for (let i = 0; i < n; i++) {
        abs += Math.abs(w[i]);
        sq += w[i] * w[i];
        expectedG[i] = g[i] + 2 * 0.03 * w[i];
      }
      backend.penalize(w, g, 0.03, sums);
      assertClose([...sums], [abs, sq], 1e-13, 0, `${n} values: sums`);
      assert.deepEqual(g, expectedG, `${n} values: g`);
      const untouched = Float32Array.from([-0, ...g]);
      const kept = untouched.slice();
      backend.penalize(Float32Array.from([1, ...w]), untouched, 0, sums);
      assert.ok(kept.every((v, i) => Object.is(v, untouched[i])), `${n} values: l2 = 0 changed g`);
    }
  });
}

test('conv2dForward and conv2dBackward agree with the reference backend on odd geometries', async () => {
  const reference = (await loadBackend('reference', 1))!;
  for (const threads of [1, 2]) {
    const wasm = (await loadBackend('wasm', threads))!;
    // 3 samples of 2×9×7, 4 filters 3×2, stride 2×1, padding 1 top / 0 left (as 'same' gives)
    for (const g of [
      { inC: 2, inH: 9, inW: 7, kh: 3, kw: 2, sh: 2, sw: 1, outH: 5, outW: 7, padTop: 1, padLeft: 0 },
      { inC: 3, inH: 12, inW: 12, kh: 3, kw: 3, sh: 1, sw: 1, outH: 12, outW: 12, padTop: 1, padLeft: 1 },
    ]) {
      const [n, F, K, P] = [3, 4, g.inC * g.kh * g.kw, g.outH * g.outW];
      const [x, w, b, dy] = [randoms(n * g.inC * g.inH * g.inW), randoms(F * K), randoms(F), randoms(n * F * P)];
      const run = (backend: Backend) => {
        const [y, cols] = [randoms(n * F * P), randoms(K * n * P)];
        backend.conv2dForward(x, w, b, y, cols, g, n);
        const [dw, db, dx] = [randoms(F * K), randoms(F), randoms(x.length)];
        backend.conv2dBackward(cols, w, dy, dw, db, dx, g, n);
        const [dw2, db2] = [randoms(F * K), randoms(F)];
        backend.conv2dBackward(cols, w, dy, dw2, db2, undefined, g, n);
        return { y, cols, dw, db, dx, dw2, db2 };
      };
      const [want, got] = [run(reference), run(wasm)];
      for (const key of ['y', 'cols', 'dw', 'db', 'dx', 'dw2', 'db2'] as const) assertClose(got[key], [...want[key]], 1e-5, 1e-5, `${threads} threads ${g.inH}×${g.inW} ${key}`);
    }
  }
});

test('3×3 stride-1 convolutions with 8 or more channels (Winograd F(2×2, 3×3) on wasm) agree with the reference', async () => {
  const reference = (await loadBackend('reference', 1))!;
  const [one, two] = [(await loadBackend('wasm', 1))!, (await loadBackend('wasm', 2))!];
  // same and valid padding, odd and even sizes (partial 2×2 tiles, partial groups of 4 tiles), one sample and many:
  // few samples keep im2col's columns for the weight gradient (Winograd's kept tiles would not fit), many Winograd's
  for (const [inC, F, inH, inW, padding, n] of [[8, 9, 7, 11, 'same', 3], [9, 8, 10, 6, 'valid', 2], [8, 16, 14, 14, 'same', 37],
    [8, 8, 12, 13, 'valid', 40], [12, 8, 1, 17, 'same', 1]] as const) {
    const pad = padding === 'same' ? 1 : 0;
    const [outH, outW] = padding === 'same' ? [inH, inW] : [inH - 2, inW - 2];
    const g = { inC, inH, inW, kh: 3, kw: 3, sh: 1, sw: 1, outH, outW, padTop: pad, padLeft: pad };
    const [K, P] = [inC * 9, outH * outW];
    const [x, w, b, dy] = [randoms(n * inC * inH * inW), randoms(F * K), randoms(F), randoms(n * F * P)];
    const run = (backend: Backend) => {
      const [y, cols, dw, db, dx] = [randoms(n * F * P), randoms(n * K * P), randoms(F * K), randoms(F), randoms(x.length)];
      backend.conv2dForward(x, w, b, y, cols, g, n);
      backend.conv2dBackward(cols, w, dy, dw, db, dx, g, n);
      return { y, cols, dw, db, dx };
    };
    const [want, got1, got2] = [run(reference), run(one), run(two)];
    // cols holds whatever each backend's backward pass needs (Winograd's tiles here): not compared
    for (const key of ['y', 'dw', 'db', 'dx'] as const) {
      assertClose(got1[key], [...want[key]], 1e-4, 1e-4, `${inC}→${F} ${inH}×${inW} ${padding} n=${n} ${key}`);
      assert.deepEqual(new Uint32Array(got2[key].buffer), new Uint32Array(got1[key].buffer), `${inC}→${F} ${inH}×${inW} ${key}: 2 threads as 1`);
    }
  }
});

test('resident buffers from alloc() are used in place and give the same results as plain arrays', async () => {
  for (const threads of [1, 2]) {
    const backend = (await loadBackend('wasm', threads))!;
    const resident = (values: Float32Array) => {
      const r = backend.alloc(values.length);
      assert.ok(r.every((v) => v === 0), 'alloc gives zeros');
      r.set(values);
      return r;
    };
    const [m, k, n] = [70, 300, 90];
    const [a, b] = [randoms(m * k), randoms(k * n)];
    const plain = new Float32Array(m * n);
    backend.matmul(a, b, plain, { m, k, n });
    const out = backend.alloc(m * n);
    backend.matmul(resident(a), b, out, { m, k, n });
    assert.deepEqual(out, plain, `${threads} threads: resident a and out`);
    const twice = plain.slice();
    backend.matmul(a, b, twice, { m, k, n, accumulate: true });
    backend.matmul(a, resident(b), out, { m, k, n, accumulate: true });
    assert.deepEqual(out, twice, `${threads} threads: resident b, accumulating into resident out`);

    const [w, g, mo, v] = [randoms(41), randoms(41), randoms(41).map(Math.abs), randoms(41).map(Math.abs)];
    const step = { stepSize: 0.01, correction2: 0.5, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
    const rw = [resident(w), resident(g), resident(mo), resident(v)] as const;
    backend.adam(w, g, mo, v, step);
    backend.adam(rw[0], rw[1], rw[2], rw[3], step);
    assert.deepEqual([rw[0], rw[2], rw[3]], [w, mo, v], `${threads} threads: adam in place`);

    const geometry = { inC: 2, inH: 6, inW: 5, kh: 3, kw: 3, sh: 1, sw: 1, outH: 6, outW: 5, padTop: 1, padLeft: 1 };
    const [x, weight, bias, dy] = [randoms(3 * 60), randoms(4 * 18), randoms(4), randoms(3 * 4 * 30)];
    const [y, cols] = [new Float32Array(3 * 4 * 30), new Float32Array(18 * 90)];
    backend.conv2dForward(x, weight, bias, y, cols, geometry, 3);
    const [ry, rcols] = [backend.alloc(y.length), backend.alloc(cols.length)];
    backend.conv2dForward(x, resident(weight), bias, ry, rcols, geometry, 3);
    assert.deepEqual([ry, rcols], [y, cols], `${threads} threads: conv output and columns in place`);
    const [dw, db, dx] = [new Float32Array(72), new Float32Array(4), new Float32Array(180)];
    backend.conv2dBackward(cols, weight, dy, dw, db, dx, geometry, 3);
    const [rdw, rdb, rdx] = [backend.alloc(72), backend.alloc(4), backend.alloc(180)];
    backend.conv2dBackward(rcols, resident(weight), dy, rdw, rdb, rdx, geometry, 3);
    assert.deepEqual([rdw, rdb, rdx], [dw, db, dx], `${threads} threads: conv gradients in place`);
  }
});

test('the wasm backend gives bit-identical products on 1 and 2 threads', async () => {
  const one = (await loadBackend('wasm', 1))!;
  const two = (await loadBackend('wasm', 2))!;
  assert.equal(two.threads, 2);
  // split by rows (m large) and by columns (n large), in every transpose form
  for (const [m, k, n] of [[300, 517, 21], [21, 517, 301], [128, 784, 200]]) {
    const a = randoms(m * k);
    const b = randoms(k * n);
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const [x, y] = [new Float32Array(m * n), new Float32Array(m * n)];
        one.matmul(a, b, x, { m, k, n, transA, transB });
        two.matmul(a, b, y, { m, k, n, transA, transB });
        assert.deepEqual(new Uint32Array(y.buffer), new Uint32Array(x.buffer), `${m}×${k}×${n} transA=${transA} transB=${transB}`);
      }
    }
  }
});

test('element-wise kernels and convolutions split across 2 threads give bit-identical results and match the reference', async () => {
  const reference = (await loadBackend('reference', 1))!;
  const one = (await loadBackend('wasm', 1))!;
  const two = (await loadBackend('wasm', 2))!;
  const bits = (a: Float32Array | Int32Array) => [...new Uint32Array(a.buffer, a.byteOffset, a.length)];
  const same = (run: (b: Backend) => (Float32Array | Int32Array)[], what: string, tolerance = 1e-6) => {
    const [want, x, y] = [run(reference), run(one), run(two)];
    x.forEach((v, i) => {
      assert.deepEqual(bits(y[i]), bits(v), `${what} [${i}]: 2 threads as 1`);
      if (v instanceof Float32Array) assertClose(v, [...want[i]], tolerance, tolerance, `${what} [${i}] vs reference`);
      else assert.deepEqual([...v], [...want[i]], `${what} [${i}] vs reference`);
    });
  };
  // sizes past 2 × MIN_VALUES_PER_THREAD and not a multiple of the SIMD width
  const count = 300_001;
  assert.equal(split(count, 2, MIN_VALUES_PER_THREAD, 16).length, 2, 'the values split');
  const [x, dy] = [randoms(count), randoms(count)];
  same((b) => { const y = new Float32Array(count); b.leakyRelu(x, y, 0.1); return [y]; }, 'leaky relu');
  same((b) => { const dx = new Float32Array(count); b.leakyReluBackward(x, dy, dx, 0); return [dx]; }, 'relu backward');
  // the masks come from the run's stream, so every backend draws the same ones and leaves the stream in the same state
  same((b) => {
    const rng = Rng.stream(4, 'dropout');
    const [y, mask, dx] = [new Float32Array(count), new Float32Array(count), new Float32Array(count)];
    b.dropout(x, y, mask, 0.7, rng);
    b.dropoutBackward(dy, mask, dx);
    return [y, mask, dx, new Int32Array(rng.state.buffer)];
  }, 'dropout', 0);
  for (const kind of SQUASHES) {
    same((b) => {
      const [y, dx] = [new Float32Array(count), new Float32Array(count)];
      b.squash(kind, x, y, 1);
      b.squashBackward(kind, x, y, dy, dx, 1);
      return [y, dx];
    }, kind, 2e-6);
  }
  same((b) => {
    const [w, g, m, v] = [x.slice(), dy.slice(), new Float32Array(count), new Float32Array(count)];
    b.adam(w, g, m, v, { stepSize: 0.01, correction2: 0.3, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    return [w, m, v];
  }, 'adam', 2e-6);
  const g = { planes: 37, H: 90, W: 91, kh: 2, kw: 2, sh: 2, sw: 2, outH: 45, outW: 45 };
  const pooled = g.planes * g.outH * g.outW;
  assert.equal(split(g.planes, 2, Math.ceil(MIN_VALUES_PER_THREAD / (g.H * g.W))).length, 2, 'the planes split');
  const [image, dPooled] = [randoms(g.planes * g.H * g.W), randoms(pooled)];
  same((b) => {
    const [y, at, dx] = [new Float32Array(pooled), new Int32Array(pooled), randoms(image.length)];
    b.maxpool(image, y, at, g);
    b.maxpoolBackward(dPooled, at, dx, g);
    return [y, at, dx];
  }, 'maxpool');
  same((b) => {
    const [y, dx] = [new Float32Array(pooled), randoms(image.length)];
    b.avgpool(image, y, g);
    b.avgpoolBackward(dPooled, dx, g);
    return [y, dx];
  }, 'avgpool');
  // batch normalization over 16 × 11 channels × 1001 values, split by channels
  const [bn, bc, bs] = [16, 11, 1001];
  assert.equal(split(bc, 2, Math.ceil(MIN_VALUES_PER_THREAD / (bn * bs))).length, 2, 'the channels split');
  const [bx, bdy, gamma, beta] = [randoms(bn * bc * bs).map((v) => 3 + 2 * v), randoms(bn * bc * bs), randoms(bc), randoms(bc)];
  same((b) => {
    const [mean64, m2] = [new Float64Array(bc), new Float64Array(bc)];
    b.batchnormStats(bx, bn, bs, mean64, m2);
    const [mean, inv] = [Float32Array.from(mean64), Float32Array.from(m2, (v) => 1 / Math.sqrt(v / (bn * bs) + 1e-5))];
    const [y, xhat, dx, dg, db] = [new Float32Array(bx.length), new Float32Array(bx.length), new Float32Array(bx.length), new Float32Array(bc), new Float32Array(bc)];
    b.batchnormApply(bx, y, xhat, mean, inv, gamma, beta, bn, bs);
    b.batchnormBackward(bdy, xhat, dx, gamma, inv, dg, db, bn, bs);
    return [mean, Float32Array.from(m2), y, xhat, dx, dg, db];
  }, 'batchnorm', 1e-5);
  // enough samples that the convolution splits by samples, the weight gradient by its columns
  const c = { inC: 3, inH: 16, inW: 15, kh: 3, kw: 3, sh: 1, sw: 1, outH: 16, outW: 15, padTop: 1, padLeft: 1 };
  const [n, F, K, P] = [41, 24, 27, 240];
  assert.equal(split(n, 2, Math.ceil(MIN_FLOPS_PER_THREAD / (2 * F * K * P))).length, 2, 'the samples split');
  const [input, w, bias, dOut] = [randoms(n * 3 * 16 * 15), randoms(F * K), randoms(F), randoms(n * F * P)];
  same((b) => {
    const [y, cols, dw, db, dx] = [new Float32Array(n * F * P), new Float32Array(n * K * P), new Float32Array(F * K), new Float32Array(F), new Float32Array(input.length)];
    b.conv2dForward(input, w, bias, y, cols, c, n);
    b.conv2dBackward(cols, w, dOut, dw, db, dx, c, n);
    return [y, dw, db, dx];
  }, 'conv2d', 1e-4);
});

test('partition covers the output once, in whole panels, and keeps small products on one thread', () => {
  assert.deepEqual(partition(8, 8, 8, 2, 2, 16), [[0, 8, 0, 8]]);
  for (const [m, n, k] of [[300, 21, 517], [21, 301, 517], [128, 200, 784], [5, 1000, 1000]]) {
    const parts = partition(m, n, k, 2, 2, 16);
    assert.equal(parts.length, 2, `${m}×${k}×${n}`);
    const covered = new Uint8Array(m * n);
    for (const [i0, i1, j0, j1] of parts) {
      assert.ok(i0 % 2 === 0 && j0 % 16 === 0, 'parts start on panel boundaries');
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) covered[i * n + j]++;
    }
    assert.ok(covered.every((c) => c === 1), `${m}×${k}×${n}: every element exactly once`);
  }
});

test('an unknown backend name is refused', async () => {
  assert.equal(await loadBackend('cuda', 1), undefined);
});
