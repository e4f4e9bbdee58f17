// Registry-wide checks: every component of every kind goes through the same tests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Component } from '../common/schema.js';
import { datasets } from '../data/datasets/index.js';
import { normalizers } from '../data/normalizers/index.js';
import { initializers } from '../nn/initializers/index.js';
import { layers } from '../nn/layers/index.js';
import { losses } from '../nn/losses/index.js';
import { optimizers } from '../optim/optimizers/index.js';
import { schedules } from '../optim/schedules/index.js';
import { parseSpec } from './load.js';
import { specSchema } from './spec.js';

const kinds: [string, readonly Component[]][] = [
  ['datasets', datasets], ['normalizers', normalizers], ['layers', layers], ['initializers', initializers],
  ['losses', losses], ['optimizers', optimizers], ['schedules', schedules],
];

import { minimal } from '../../test/minimal-configs.js';

for (const [kind, list] of kinds) {
  test(`${kind}: unique types, a summary, and a config that round-trips through its schema`, () => {
    assert.equal(new Set(list.map((c) => c.type)).size, list.length);
    for (const c of list) {
      assert.ok(c.summary.length > 5, `${c.type} has a summary`);
      const once = c.schema.parse({ type: c.type, ...minimal[c.type] });
      const twice = c.schema.parse(JSON.parse(JSON.stringify(once)));
      assert.deepEqual(twice, once, c.type);
      assert.throws(() => c.schema.parse({ type: c.type, ...minimal[c.type], surplus: 1 }), `${c.type} is strict`);
    }
  });
}

test('a resolved spec round-trips: validating resolved.json gives it back unchanged', () => {
  const spec = parseSpec('s.yaml', 'name: s\ndata: {dataset: iris, normalize: [zscore]}\nmodel: {layers: [{type: dense, units: 3, bias: 0.1}]}\n').resolved;
  assert.deepEqual(specSchema.parse(JSON.parse(JSON.stringify(spec))), spec);
});
