import assert from 'node:assert/strict';
import { test } from 'node:test';
import { markItems, markTexts, sum, texts } from '../../test/svg.js';
import { toSvg } from './render.js';
import { histogram, weightsSpec } from './weights.js';

test('histogram: odd bins symmetric about 0, exact zeros counted apart, masked cells skipped', () => {
  const h = histogram([-1, -0.5, 0, 0, 0.01, 1, 7], [1, 1, 1, 1, 1, 1, 0], 5);
  assert.deepEqual(h.edges.map((e) => +e.toFixed(6)), [-1, -0.6, -0.2, 0.2, 0.6, 1]);
  assert.deepEqual(h.counts, [1, 1, 1, 0, 1]);
  assert.equal(h.zeros, 2);
  assert.equal(h.total, 6);
});

test('weights.svg: one panel per layer; L1 exact zeros are a visible bar that L2 lacks', async () => {
  const l2 = Array.from({ length: 200 }, (_, i) => Math.sin((i + 1) * 12.9898) * 0.3);
  const l1 = l2.map((v) => (Math.abs(v) < 0.1 ? 0 : v - Math.sign(v) * 0.1));
  const svg = await toSvg(weightsSpec([{ name: 'l2', shape: [10, 20], values: l2 }, { name: 'l1', shape: [10, 20], values: l1 }]));
  assert.deepEqual(texts(svg, 'title-text'), ['l2 [10×20]', 'l1 [10×20]', 'Weights']);
  // the counts under each panel's title: a text mark fed from the data (a template has no per-panel subtitle)
  const subtitles = markTexts(svg);
  assert.equal(subtitles.length, 2);
  assert.equal(subtitles[0], '200 weights, 0.0 % exactly 0');
  const zeros = l1.filter((v) => v === 0).length;
  assert.ok(zeros > 40);
  assert.equal(subtitles[1], `200 weights, ${((100 * zeros) / 200).toFixed(1)} % exactly 0`);
  const bars = markItems(svg, 'rect');
  assert.deepEqual(bars, [41, 42], 'the L1 panel has the extra exactly-0 bar');
  assert.match(svg, /fill="#e45756"/, 'the exactly-0 bar in red');
  assert.deepEqual(texts(svg, 'axis-title'), ['weight', 'count', 'weight', 'count']);
  assert.ok(sum(bars) > 0);
});

test('weights.svg: three panels to a row, the title from the caller', async () => {
  const layers = [1, 2, 3, 4].map((k) => ({ name: `layer ${k}`, shape: [2, 5], values: Array.from({ length: 10 }, (_, i) => (i - 4) * k) }));
  const svg = await toSvg(weightsSpec(layers, 'Weights at the best epoch (3)'));
  assert.deepEqual(texts(svg, 'title-text'), ['layer 1 [2×5]', 'layer 2 [2×5]', 'layer 3 [2×5]', 'layer 4 [2×5]', 'Weights at the best epoch (3)']);
  assert.deepEqual(markItems(svg, 'rect'), [42, 42, 42, 42]);
  const size = (x: string) => /^<svg [^>]*width="(\d+)" height="(\d+)"/.exec(x)!.slice(1).map(Number);
  const [w3, h3] = size(await toSvg(weightsSpec(layers.slice(0, 3))));
  const [w4, h4] = size(svg);
  assert.equal(w4, w3, 'the fourth layer starts a second row: no wider than three');
  assert.ok(h4 > h3 + 140, `a second row: ${h3} → ${h4}`);
});
