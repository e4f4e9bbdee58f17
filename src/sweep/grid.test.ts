import assert from 'node:assert/strict';
import { test } from 'node:test';
import { continuousParams, gridPoints, gridSize } from './grid.js';
import { parseSpace, readable } from './space.js';

test('the grid is the cartesian product, first param slowest, last fastest', () => {
  const space = parseSpace({ 'optimizer.lr': { grid: [0.1, 0.01] }, 'model.layers.0.units': { int: [8, 24], step: 8 } }, []);
  assert.equal(gridSize(space), 6);
  assert.deepEqual(gridPoints(space).map((a) => readable(space, a)), [
    { 'optimizer.lr': 0.1, 'model.layers.0.units': 8 },
    { 'optimizer.lr': 0.1, 'model.layers.0.units': 16 },
    { 'optimizer.lr': 0.1, 'model.layers.0.units': 24 },
    { 'optimizer.lr': 0.01, 'model.layers.0.units': 8 },
    { 'optimizer.lr': 0.01, 'model.layers.0.units': 16 },
    { 'optimizer.lr': 0.01, 'model.layers.0.units': 24 },
  ]);
});

test('a choice with nested finite params expands each option by its own params', () => {
  const space = parseSpace({
    optimizer: { choice: [{ type: 'sgd', momentum: { grid: [0, 0.9] } }, { type: 'adam' }] },
    'train.batchSize': { grid: [16, 32] },
  }, []);
  assert.equal(gridSize(space), 6);
  assert.deepEqual(gridPoints(space).map((a) => readable(space, a)), [
    { optimizer: 'sgd', 'optimizer[0].momentum': 0, 'train.batchSize': 16 },
    { optimizer: 'sgd', 'optimizer[0].momentum': 0, 'train.batchSize': 32 },
    { optimizer: 'sgd', 'optimizer[0].momentum': 0.9, 'train.batchSize': 16 },
    { optimizer: 'sgd', 'optimizer[0].momentum': 0.9, 'train.batchSize': 32 },
    { optimizer: 'adam', 'train.batchSize': 16 },
    { optimizer: 'adam', 'train.batchSize': 32 },
  ]);
});

test('a float with a step is a grid; without one it is continuous', () => {
  const space = parseSpace({ a: { uniform: [0, 0.3], step: 0.1 }, b: { uniform: [0, 1] } }, []);
  assert.deepEqual(continuousParams(space).map((p) => p.id), ['b']);
  const only = parseSpace({ a: { uniform: [0, 0.3], step: 0.1 } }, []);
  assert.deepEqual(gridPoints(only).map((p) => p.a), [0, 0.1, 0.2, 0.3]);
});
