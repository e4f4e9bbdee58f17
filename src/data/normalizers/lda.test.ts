// LDA properties that do not depend on the arbitrary sign of its directions: the projected
// training data has unit within-class scatter (the directions are S_W^(−1/2)·u), a feature that
// duplicates another adds no direction (S_W is singular: its pseudo-inverse square root is
// used), and the saved state restores the same projection.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose, golden } from '../../../test/helpers.js';
import { lda } from './lda.js';
import type { Matrix } from './normalizer.js';

const P = golden.preprocessing;
const irisRows: number[][] = [];
for (let r = 0; r < 150; r++) irisRows.push((P.iris_X.data as number[]).slice(r * 4, r * 4 + 4));
const labels = Int32Array.from(P.iris_y as number[]);
const features = (cols: number[]): Matrix => ({ data: Float32Array.from(irisRows.flatMap((row) => cols.map((c) => row[c]))), rows: 150, cols: cols.length });
const config = lda.schema.parse({ type: 'lda', components: 2 });

/** Within-class scatter of projected data (k columns): Σ over classes of Σ (z − z̄_class)(z − z̄_class)ᵀ. */
function withinScatter(z: Matrix): number[] {
  const out = new Array<number>(z.cols * z.cols).fill(0);
  for (const c of [0, 1, 2]) {
    const rows = [...labels.keys()].filter((r) => labels[r] === c);
    const mean = [...Array(z.cols).keys()].map((j) => rows.reduce((t, r) => t + z.data[r * z.cols + j], 0) / rows.length);
    for (const r of rows) for (let i = 0; i < z.cols; i++) for (let j = 0; j < z.cols; j++) out[i * z.cols + j] += (z.data[r * z.cols + i] - mean[i]) * (z.data[r * z.cols + j] - mean[j]);
  }
  return out;
}

test('LDA on 3 iris features: 2 directions (3 classes), unit within-class scatter, saved and restored', () => {
  const x = features([0, 1, 2]);
  const fitted = lda.fit(config, x, labels);
  assert.equal((fitted.state.scalings as number[]).length, 6, 'cols × k scalings');
  const z = fitted.apply(x);
  assert.deepEqual([z.rows, z.cols], [150, 2]);
  assertClose(withinScatter(z), [1, 0, 0, 1], 1e-3, 1e-3, 'within-class scatter');
  const restored = lda.restore(config, JSON.parse(JSON.stringify(fitted.state)));
  assert.deepEqual(restored.apply(x), z);
  assert.throws(() => lda.restore(config, { ...fitted.state, scalings: [1, 2, 3] }), { message: "preprocessing state 'scalings' should be 6 numbers" });
});

test('LDA ignores a duplicated feature: the same projection (up to sign) as without it, finite', () => {
  const plain = lda.fit(config, features([0, 1]), labels).apply(features([0, 1]));
  const doubled = lda.fit(config, features([0, 1, 0]), labels).apply(features([0, 1, 0]));
  assert.ok(doubled.data.every(Number.isFinite), 'finite');
  for (let j = 0; j < 2; j++) {
    const p = [...Array(150).keys()].map((r) => plain.data[r * 2 + j]);
    const d = [...Array(150).keys()].map((r) => doubled.data[r * 2 + j]);
    const sign = Math.sign(p[0] * d[0]);
    assertClose(d.map((v) => v * sign), p, 1e-3, 1e-3, `direction ${j}`);
  }
});

test('LDA drops a direction with no within-class spread: a feature equal to the class adds nothing', () => {
  // the class column separates perfectly but has zero within-class scatter: S_W^(−1/2) (a
  // pseudo-inverse) gives it weight 0, so the projection is the one of the other two features
  const withLabel: Matrix = { data: Float32Array.from(irisRows.flatMap((row, r) => [row[0], row[1], labels[r]])), rows: 150, cols: 3 };
  const plain = lda.fit(config, features([0, 1]), labels).apply(features([0, 1]));
  const fitted = lda.fit(config, withLabel, labels);
  const z = fitted.apply(withLabel);
  assert.ok(z.data.every(Number.isFinite), 'finite');
  const w = fitted.state.scalings as number[];
  assert.ok(Math.abs(w[4]) < 1e-9 && Math.abs(w[5]) < 1e-9, `the class column's weights ${w[4]}, ${w[5]}`);
  for (let j = 0; j < 2; j++) {
    const p = [...Array(150).keys()].map((r) => plain.data[r * 2 + j]);
    const d = [...Array(150).keys()].map((r) => z.data[r * 2 + j]);
    const sign = Math.sign(p[0] * d[0]);
    assertClose(d.map((v) => v * sign), p, 1e-3, 1e-3, `direction ${j}`);
  }
});
