import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allParams, assign, parseSpace, readable, specValues, type SpaceProblem } from './space.js';

const parse = (raw: unknown) => {
  const problems: SpaceProblem[] = [];
  const space = parseSpace(raw, problems);
  return { space, problems };
};

test('distributions parse into params with their kinds, bounds, log scale and steps', () => {
  const { space, problems } = parse({
    'optimizer.lr': { 'log-uniform': [1e-4, 1e-1] },
    'model.layers.0.units': { int: [16, 128], step: 16 },
    'train.batchSize': { 'log-int': [8, 256] },
    'regularization.l2': { uniform: [0, 0.01], step: 0.001 },
    'data.normalize': { choice: [['zscore'], [], ['pca']] },
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(space.params.map((p) => [p.id, p.dist.kind]), [
    ['optimizer.lr', 'float'], ['model.layers.0.units', 'int'], ['train.batchSize', 'int'], ['regularization.l2', 'float'], ['data.normalize', 'categorical'],
  ]);
  assert.deepEqual(space.params[0].dist, { kind: 'float', low: 1e-4, high: 1e-1, log: true });
  assert.deepEqual(space.params[1].dist, { kind: 'int', low: 16, high: 128, log: false, step: 16 });
  assert.deepEqual(space.params[1].path, ['model', 'layers', 0, 'units']);
  assert.deepEqual(space.params[4].labels, ['["zscore"]', '[]', '["pca"]']);
});

test('bad distributions are reported with where and what, each one', () => {
  const { problems } = parse({
    'optimizer.lr': { uniform: [0.1, 0.01] },
    'a.b': { 'log-uniform': [0, 1] },
    'c.d': { choice: [] },
    'e..f': { uniform: [0, 1] },
    'g.h': { int: [1.5, 3] },
    'i.j': 0.5,
    'k.l': { uniform: [0, 1], step: -1 },
  });
  const text = problems.map((p) => `${p.at.join('.')}: ${p.message}`);
  assert.deepEqual(text, [
    'optimizer.lr.uniform: reversed bounds: low 0.1 is above high 0.01',
    'a.b.log-uniform: log bounds must be above 0, found low 0',
    'c.d.choice: an empty choice: expected at least one value',
    "e..f: 'e..f' is not a spec path: expected dotted keys such as optimizer.lr or model.layers.0.units",
    'g.h.int: expected whole-number bounds, found [1.5, 3]',
    'i.j: expected one distribution: {choice: …}, {grid: …}, {uniform: …}, {log-uniform: …}, {int: …}, {log-int: …}',
    'k.l.step: expected a step above 0, found -1',
  ]);
});

test('a tree-structured space: distributions inside a choice are params of that option only', () => {
  const { space, problems } = parse({
    optimizer: {
      choice: [
        { type: 'sgd', lr: { 'log-uniform': [1e-3, 1] }, momentum: { uniform: [0.5, 0.99] } },
        { type: 'adam', lr: { 'log-uniform': [1e-4, 1e-2] } },
      ],
    },
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(allParams(space).map((p) => p.id), ['optimizer', 'optimizer[0].lr', 'optimizer[0].momentum', 'optimizer[1].lr']);
  assert.deepEqual(space.params[0].labels, ['sgd', 'adam']);
  // choosing adam: only adam's lr is asked, and the spec value is the adam mapping with it filled in
  const asked: string[] = [];
  const a = assign(space, (p) => {
    asked.push(p.id);
    return p.id === 'optimizer' ? 1 : p.dist.kind === 'float' ? p.dist.low : 0;
  });
  assert.deepEqual(asked, ['optimizer', 'optimizer[1].lr']);
  assert.deepEqual(specValues(space, a), [{ path: ['optimizer'], value: { type: 'adam', lr: 1e-4 } }]);
  assert.deepEqual(readable(space, a), { optimizer: 'adam', 'optimizer[1].lr': 1e-4 });
});

test('a path inside another searched path is refused', () => {
  const { problems } = parse({ optimizer: { choice: [{ type: 'sgd' }] }, 'optimizer.lr': { uniform: [0.1, 1] } });
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /optimizer\.lr lies inside optimizer/);
});
