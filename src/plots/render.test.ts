import assert from 'node:assert/strict';
import { test } from 'node:test';
import { texts } from '../../test/svg.js';
import { drawUnless, renumberIds, toSvg } from './render.js';

const gradientSpec = {
  width: 100, height: 80, data: { values: [{ a: 1, b: 2 }, { a: 2, b: 5 }] },
  mark: { type: 'point' as const, clip: true },
  encoding: { x: { field: 'a', type: 'quantitative' as const }, y: { field: 'b', type: 'quantitative' as const }, color: { field: 'b', type: 'quantitative' as const } },
  title: 'two points',
};

test('the same spec renders to the same bytes, even after other plots (ids are renumbered)', async () => {
  const first = await toSvg(gradientSpec);
  await toSvg(gradientSpec);
  const again = await toSvg(gradientSpec);
  assert.equal(again, first);
  assert.match(first, /^<svg /);
  assert.deepEqual(texts(first, 'title-text'), ['two points']);
  assert.ok(first.includes('id="i0"') && first.includes('url(#i0)'), 'ids and their references renamed together');
});

test('renumberIds renames ids and their url() and href references with a prefix', () => {
  const svg = '<svg><defs><linearGradient id="gradient_7"/><clipPath id="clip3"/></defs><rect fill="url(#gradient_7)" clip-path="url(#clip3)"/><use href="#clip3"/></svg>';
  assert.equal(renumberIds(svg, 'p2-'), '<svg><defs><linearGradient id="p2-0"/><clipPath id="p2-1"/></defs><rect fill="url(#p2-0)" clip-path="url(#p2-1)"/><use href="#p2-1"/></svg>');
});

test('drawUnless draws what toSvg draws, and stops between stages when asked to', async () => {
  assert.equal(await drawUnless(gradientSpec, async () => false), await toSvg(gradientSpec));
  let stages = 0;
  assert.equal(await drawUnless(gradientSpec, async () => ++stages === 2), undefined);
  assert.equal(stages, 2);
});
