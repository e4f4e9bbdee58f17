// Registry-wide checks: every component of every kind goes through the same tests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { componentsAt, kinds } from './kinds.js';
import { parseSpec } from './load.js';
import { specSchema, type ResolvedSpec } from './spec.js';

import { minimal } from '../../test/minimal-configs.js';

for (const { kind, registry: { components: list } } of kinds) {
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

test('every kind is in the list once, augmentations included, and each slot path takes its components', () => {
  assert.deepEqual(kinds.map((k) => k.kind), ['datasets', 'normalizers', 'augmentations', 'layers', 'initializers', 'losses', 'optimizers', 'schedules']);
  const base = { name: 's', data: { dataset: 'digits' }, model: { layers: [{ type: 'dense', units: 10 }] } };
  const at = (spec: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> => {
    const copy = structuredClone(spec);
    let node: Record<string, unknown> = copy;
    for (const p of path.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
    node[path[path.length - 1]] = value;
    return copy;
  };
  for (const { kind, paths, registry } of kinds) {
    for (const path of paths) {
      for (const c of registry.components) {
        const config = { type: c.type, ...minimal[c.type] };
        const parts = path.split('.').map((p) => (p === '*' ? '0' : p));
        // a list slot's index 0 is the list's first element; the first layer keeps its units
        const spec = parts[0] === 'model' && parts.length > 3
          ? at(base, ['model', 'layers'], [{ type: 'dense', units: 10, [parts[3]]: config }])
          : at(base, parts.filter((p) => p !== '0'), parts.includes('0') ? [config] : config);
        const result = specSchema.safeParse(spec);
        assert.ok(result.success, `${kind} ${c.type} at ${path}: ${result.success ? '' : result.error.message}`);
      }
    }
  }
});

test('componentsAt: which kinds and types could be at a spec path', () => {
  const optimizers = kinds.find((k) => k.kind === 'optimizers')!.registry.types;
  assert.deepEqual(componentsAt('optimizer.lr'), [{ kind: 'optimizers', slot: 'optimizer', key: 'lr', types: optimizers }]);
  assert.deepEqual(componentsAt('optimizer'), [{ kind: 'optimizers', slot: 'optimizer', types: optimizers }]);
  assert.deepEqual(componentsAt('optimizer.momentum'), [{ kind: 'optimizers', slot: 'optimizer', key: 'momentum', types: ['sgd', 'rmsprop'] }]);
  assert.deepEqual(componentsAt('model.layers.0.units'), [{ kind: 'layers', slot: 'model.layers.0', key: 'units', types: ['dense', 'maxout'] }]);
  assert.deepEqual(componentsAt(['model', 'layers', 2, 'keep']), [{ kind: 'layers', slot: 'model.layers.2', key: 'keep', types: ['dropout'] }]);
  assert.deepEqual(componentsAt('data.augment.0.degrees'), [{ kind: 'augmentations', slot: 'data.augment.0', key: 'degrees', types: ['rotate'] }]);
  assert.deepEqual(componentsAt('data.normalize.1.components'), [{ kind: 'normalizers', slot: 'data.normalize.1', key: 'components', types: ['pca', 'lda'] }]);
  assert.deepEqual(componentsAt('model.layers.0.init.value'), [
    { kind: 'layers', slot: 'model.layers.0', key: 'init', types: ['dense', 'conv2d', 'maxout'] },
    { kind: 'initializers', slot: 'model.layers.0.init', key: 'value', types: ['constant'] },
  ]);
  assert.deepEqual(componentsAt('schedule.nope'), [{ kind: 'schedules', slot: 'schedule', key: 'nope', types: [] }]);
  assert.deepEqual(componentsAt('model.layers.x.units'), []);
  assert.deepEqual(componentsAt('train.epochs'), []);
  assert.deepEqual(componentsAt('data.augment'), []);
});

test('a resolved spec is typed: a slot\'s config is the union of its components\' configs', () => {
  // compile-time checks: these lines only compile while the registries keep their types
  const lr: ResolvedSpec['optimizer']['lr'] extends number ? true : false = true;
  const units = (layer: ResolvedSpec['model']['layers'][number]): number | undefined => (layer.type === 'dense' ? layer.units : undefined);
  const per: ResolvedSpec['schedule']['per'] extends 'update' | 'epoch' ? true : false = true;
  assert.ok(lr && per);
  assert.equal(units({ type: 'dense', units: 3, init: { type: 'zeros' }, bias: 0 }), 3);
});
