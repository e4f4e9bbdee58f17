// A convolutional net through the CLI on 1 and 2 threads: Winograd and im2col convolutions,
// batch normalization, the smooth activations, both poolings and dropout, every one of them split
// across the threads, must still give bit-identical runs.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dlx, tempDir } from './helpers.js';

const spec = `name: conv
seed: 3
data:
  dataset: digits
  split: {val: 300, test: 300}
  normalize: [minmax]
model:
  layers:
    - {type: conv2d, filters: 8, kernel: 3}
    - tanh
    - {type: conv2d, filters: 12, kernel: 3}
    - batchnorm
    - elu
    - {type: maxpool2d, size: 2}
    - {type: conv2d, filters: 16, kernel: 3, padding: valid}
    - sigmoid
    - {type: avgpool2d, size: 2}
    - flatten
    - {type: dropout, keep: 0.8}
    - {type: dense, units: 10}
optimizer: {type: adam, lr: 3.0e-3}
train: {epochs: 3, batchSize: 32, test: true}
`;

test('a convolutional net trains bit-identically on 1 and 2 threads', () => {
  const dir = tempDir();
  const file = join(dir, 'conv.yaml');
  writeFileSync(file, spec);
  const runOf = (threads: string) => {
    const runs = join(dir, `runs-${threads}`);
    const r = dlx(['train', file, '--runs-dir', runs, '--threads', threads, '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    const run = join(runs, 'conv', readdirSync(join(runs, 'conv'))[0]);
    const curve = readFileSync(join(run, 'curve.csv'), 'utf8').trim().split('\n').map((l) => l.split(',').slice(0, -2).join(','));
    return { curve, weights: readFileSync(join(run, 'checkpoints', 'last.safetensors')), metrics: JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8')) };
  };
  const [one, two] = [runOf('1'), runOf('2')];
  assert.deepEqual(two.curve, one.curve);
  assert.ok(two.weights.equals(one.weights), 'checkpoints byte for byte');
  assert.equal(two.metrics.test.accuracy, one.metrics.test.accuracy);
  assert.ok(one.metrics.test.accuracy > 0.8, `it learns: test accuracy ${one.metrics.test.accuracy}`);
});
