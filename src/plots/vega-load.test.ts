// vega-load.ts compiles with Vega-Lite's single-file build: it must compile exactly as the
// `vega-lite` module does, for every kind of plot dlx draws, and be the pinned release.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { compile, type TopLevelSpec } from 'vega-lite';
import { baseConfig } from './render.js';
import { loadVegaLite, vega } from './vega-load.js';
import { warmupSpecs } from './warmup.js';
import { markItems } from '../../test/svg.js';
import { normsSpec } from './norms.js';
import { overlaySpec } from './overlay.js';

const pinned = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).dependencies as Record<string, string>;

test('the single-file Vega-Lite is the pinned release, loaded once per thread', () => {
  assert.equal(loadVegaLite().version, pinned['vega-lite']);
  assert.equal(loadVegaLite(), loadVegaLite());
});

test('every kind of run and sweep plot compiles to the same Vega spec as the vega-lite module compiles', () => {
  const rows = [1, 2].map((epoch) => ({ epoch, lr: 0.1, train_loss: 1 / epoch, val_loss: 1.1 / epoch, grad_norm_0: 0.01 * epoch, weight_norm_0: epoch }));
  const specs = [...warmupSpecs('run'), ...warmupSpecs('sweep'), normsSpec(rows), overlaySpec([{ label: 'a', rows }, { label: 'b', rows }])];
  assert.equal(specs.length, 11);
  for (const spec of specs) {
    const withConfig = { ...spec, config: { ...baseConfig, ...spec.config } } as TopLevelSpec;
    // as JSON: the minified build names its classes differently (a signal reference's wrapper)
    assert.equal(JSON.stringify(loadVegaLite().compile(withConfig).spec), JSON.stringify(compile(withConfig).spec));
  }
});

test('the registered transforms run: an aggregated, folded spec renders its marks', async () => {
  const spec = loadVegaLite().compile({
    data: { values: [{ a: 1, b: 2 }, { a: 1, b: 3 }, { a: 2, b: 5 }] },
    transform: [{ fold: ['b'] }, { aggregate: [{ op: 'mean', field: 'value', as: 'm' }], groupby: ['a'] }],
    mark: 'point',
    encoding: { x: { field: 'a', type: 'quantitative' }, y: { field: 'm', type: 'quantitative' } },
  }).spec;
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  assert.deepEqual(markItems(svg, 'symbol'), [2]);
});
