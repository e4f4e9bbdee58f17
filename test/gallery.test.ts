// configs/lecture/gallery.yaml: every item's spec, with every variant's overrides, is a valid
// spec, and every sweep item's variants are valid sweep specs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { loadSpec } from '../src/config/load.js';
import { parseOverride } from '../src/config/overrides.js';
import { loadSweep } from '../src/run/sweep-spec.js';
import { root } from './helpers.js';

const lecture = join(root, 'configs/lecture');
type Item = { spec: string; variants: Record<string, string[]> } | { name: string; sweeps: Record<string, string> };
const items = parse(readFileSync(join(lecture, 'gallery.yaml'), 'utf8')) as Item[];

test('every gallery variant is a valid spec, every sweep item a valid sweep', async () => {
  const runs = items.filter((i) => 'spec' in i);
  const sweeps = items.filter((i) => 'sweeps' in i);
  assert.ok(runs.length >= 9);
  for (const item of runs) {
    for (const [variant, sets] of Object.entries(item.variants)) {
      await assert.doesNotReject(loadSpec(join(lecture, item.spec), sets.map(parseOverride)), `${item.spec} ${variant}`);
    }
  }
  assert.deepEqual(sweeps.map((s) => s.name), ['grid-vs-random', 'ensemble']);
  for (const item of sweeps) for (const file of Object.values(item.sweeps)) await assert.doesNotReject(loadSweep(join(lecture, file)), file);
});

test('grid and random search get the same budget and spec; the ensemble averages every seed', async () => {
  const grid = await loadSweep(join(lecture, 'search-grid.yaml'));
  const random = await loadSweep(join(lecture, 'search-random.yaml'));
  assert.equal(grid.trials, 16);
  assert.equal(random.trials, 16);
  // the same spec but for the name and the two searched values
  const unsearched = (s: typeof grid) => ({ ...s.loaded.resolved, name: '', optimizer: { ...s.loaded.resolved.optimizer, lr: 0 }, regularization: {} });
  assert.deepEqual(unsearched(grid), unsearched(random));
  const ensemble = await loadSweep(join(lecture, 'ensemble-seeds.yaml'));
  assert.equal(ensemble.settings.ensemble?.top, ensemble.trials);
});
