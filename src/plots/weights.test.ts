import assert from 'node:assert/strict';
import { test } from 'node:test';
import { markItems, sum, texts } from '../../test/svg.js';
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
  assert.deepEqual(texts(svg, 'title-text').filter((t) => t !== 'Weights'), ['l2 [10×20]', 'l1 [10×20]']);
  const subtitles = texts(svg, 'title-subtitle');
  assert.equal(subtitles[0], '200 weights, 0.0 % exactly 0');
  const zeros = l1.filter((v) => v === 0).length;
  assert.ok(zeros > 40);
  assert.equal(subtitles[1], `200 weights, ${((100 * zeros) / 200).toFixed(1)} % exactly 0`);
  const bars = markItems(svg, 'rect');
  assert.deepEqual(bars, [41, 42], 'the L1 panel has the extra exactly-0 bar');
  assert.deepEqual(texts(svg, 'axis-title'), ['weight', 'count', 'weight', 'count']);
  assert.ok(sum(bars) > 0);
});
