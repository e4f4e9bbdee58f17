// lr.svg, norms.svg and the compare overlay: the line plots.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { markItems, texts } from '../../test/svg.js';
import { lrSpec } from './lr.js';
import { normsSpec } from './norms.js';
import { overlaySpec } from './overlay.js';
import { toSvg } from './render.js';

test('lr.svg: one line over the updates', async () => {
  const svg = await toSvg(lrSpec(Array.from({ length: 50 }, (_, step) => ({ step, lr: 0.1 * (step % 10) })), 'update'));
  assert.deepEqual(texts(svg, 'title-text'), ['Learning rate']);
  assert.deepEqual(texts(svg, 'axis-title'), ['update', 'learning rate']);
  assert.deepEqual(markItems(svg, 'line'), [1]);
  const epochs = await toSvg(lrSpec([1, 2, 3].map((step) => ({ step, lr: 0.1 / step })), 'epoch'));
  assert.deepEqual(texts(epochs, 'axis-title'), ['epoch', 'learning rate']);
  const path = (x: string) => /<g class="mark-line role-mark[^>]*><path[^>]*d="([^"]*)"/.exec(x)?.[1];
  assert.equal(path(epochs), 'M0,0L240,0L240,90L480,90L480,120', 'per epoch: steps, each rate held for its epoch');
  assert.equal(path(await toSvg(lrSpec([1, 2, 3].map((step) => ({ step, lr: 0.1 / step })), 'update'))), 'M0,0L240,90L480,120', 'per update: straight segments');
});

test('norms.svg: a gradient and a weight panel, one line per layer with norm columns', async () => {
  const rows = Array.from({ length: 5 }, (_, i) => ({ epoch: i + 1, val_loss: 1, grad_norm_0: 1e-5, grad_norm_2: 1e-3, grad_norm_4: 0.1, weight_norm_0: 2, weight_norm_2: 3, weight_norm_4: 1 }));
  const svg = await toSvg(normsSpec(rows));
  assert.equal(markItems(svg, 'line').length, 6, '3 layers × 2 panels');
  assert.deepEqual(texts(svg, 'legend-label'), ['layer 0', 'layer 2', 'layer 4']);
  assert.deepEqual(texts(svg, 'axis-title'), ['epoch', 'L2 norm (log)', 'epoch', 'L2 norm (log)']);
});

test('compare overlay: a line per run and split in each shared metric panel', async () => {
  const run = (k: number) => Array.from({ length: 4 }, (_, i) => ({ epoch: i + 1, train_loss: k / (i + 1), val_loss: k / (i + 2), train_acc: 0.5, val_acc: 0.6 }));
  const svg = await toSvg(overlaySpec([{ label: 'run 1', rows: run(1) }, { label: 'run 2', rows: run(2) }, { label: 'run 3', rows: run(3) }]));
  assert.deepEqual(texts(svg, 'title-text'), ['loss', 'accuracy', 'Learning curves compared']);
  assert.equal(markItems(svg, 'line').length, 2 * 3 * 2, '2 panels × 3 runs × 2 splits');
  assert.deepEqual(texts(svg, 'legend-label').slice(0, 3), ['run 1', 'run 2', 'run 3']);
});
