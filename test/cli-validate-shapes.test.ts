// dlx validate checks the model against the data's shape, as train would at once: input size
// vs the first layer, class count vs the output units; from metadata where that suffices.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dlx, tempDir } from './helpers.js';

const dir = tempDir();
const spec = (name: string, text: string) => writeFileSync(join(dir, name), text);

test('output units that do not match the class count: validate refuses, naming the last layer', () => {
  spec('units.yaml', 'data: {dataset: iris}\nmodel:\n  layers:\n    - {type: dense, units: 8}\n    - relu\n    - {type: dense, units: 5}\n');
  const r = dlx(['validate', 'units.yaml'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'error units.yaml:6:7: model.layers: layer 3 (dense) gives shape [5], but the dataset has 3 classes: make the last layer a dense layer with units: 3\n');
});

test('a first layer that does not take the input: validate refuses at its line', () => {
  spec('conv.yaml', 'data: {dataset: wine}\nmodel:\n  layers:\n    - {type: conv2d, filters: 4}\n    - flatten\n    - {type: dense, units: 3}\n');
  const r = dlx(['validate', 'conv.yaml'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'error conv.yaml:4:7: model.layers.0: conv2d needs images [channels, height, width], found input [13]\n');
});

test('pca changes the input size the first layer sees; a fitting spec is ok', () => {
  spec('pca.yaml', 'data: {dataset: wine, normalize: [zscore, {type: pca, components: 5}]}\nmodel: {layers: [{type: dense, units: 3}]}\n');
  const r = dlx(['validate', 'pca.yaml'], { cwd: dir });
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, 'ok pca.yaml\n');
});

test('a built-in image set is checked from its metadata: CIFAR-10 (never downloaded here) is checked', () => {
  spec('cifar.yaml', 'data: {dataset: cifar10}\nmodel: {layers: [{type: conv2d, filters: 4}, flatten, {type: dense, units: 100}]}\n');
  const r = dlx(['validate', 'cifar.yaml'], { cwd: dir, env: { DLX_CACHE: join(dir, 'empty-cache') } });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error cifar\.yaml:2:55: model\.layers: layer 3 \(dense\) gives shape \[100\], but the dataset has 10 classes/);
});

test('a data file that is not there is exit 3 naming spec and file', () => {
  spec('nodata.yaml', 'data: {dataset: {type: csv, path: nope.csv, target: y}}\nmodel: {layers: [{type: dense, units: 3}]}\n');
  const r = dlx(['validate', 'nodata.yaml'], { cwd: dir });
  assert.equal(r.code, 3);
  assert.equal(r.stderr, 'error nodata.yaml: nope.csv: cannot read the file (no such file)\n');
});
