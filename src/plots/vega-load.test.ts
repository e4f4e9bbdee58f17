// vega-load.ts draws with the script scripts/build-plots.mjs builds from the vega packages and
// Vega-Lite's single-file build: it must draw exactly what the ES modules draw, and compile
// exactly as the `vega-lite` module does, for every kind of plot dlx draws.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { compile, type TopLevelSpec } from 'vega-lite';
import { baseConfig, drawUnless } from './render.js';
import { loadVega, vegaFromModules } from './vega-load.js';
import { warmupSpecs } from './warmup.js';
import { isTemplatePlot, type Drawable } from './template.js';
import { templateSpecs } from './templates.js';
import { markItems } from '../../test/svg.js';
import { normsSpec } from './norms.js';
import { overlaySpec } from './overlay.js';

const pinned = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).dependencies as Record<string, string>;

function everyKind(): Drawable[] {
  const rows = [1, 2].map((epoch) => ({ epoch, lr: 0.1, train_loss: 1 / epoch, val_loss: 1.1 / epoch, grad_norm_0: 0.01 * epoch, weight_norm_0: epoch }));
  const specs = [...warmupSpecs('run'), ...warmupSpecs('sweep'), normsSpec(rows), overlaySpec([{ label: 'a', rows }, { label: 'b', rows }])];
  assert.equal(specs.length, 11);
  return specs;
}

test('the built script loads (npm run build made it), with a code cache this Node accepts, once per thread', async () => {
  const vega = await loadVega();
  assert.equal(vega.source, 'bundle', 'dist/vega/plots.js is missing: run `npm run build` (scripts/build-plots.mjs)');
  assert.equal(vega.cached, true, 'V8 rejected dist/vega/plots.cache: rebuild it with this Node');
  assert.equal(vega.vegaLite.version, pinned['vega-lite']);
  assert.equal(await loadVega(), vega);
});

test('every kind of run and sweep plot compiles to the same Vega spec as the vega-lite module compiles', async () => {
  const { vegaLite } = await loadVega();
  const specs = [...everyKind().filter((d): d is TopLevelSpec => !isTemplatePlot(d)), ...Object.values(templateSpecs)];
  for (const spec of specs) {
    const withConfig = { ...spec, config: { ...baseConfig, ...spec.config } } as TopLevelSpec;
    // as JSON: the minified build names its classes differently (a signal reference's wrapper)
    assert.equal(JSON.stringify(vegaLite.compile(withConfig).spec), JSON.stringify(compile(withConfig).spec));
  }
});

test('every run plot template was parsed at build time, as the ES modules parse it now', async () => {
  const bundle = await loadVega();
  const modules = await vegaFromModules();
  for (const [name, spec] of Object.entries(templateSpecs)) {
    const full = { ...spec, config: { ...baseConfig, ...spec.config } };
    const built = bundle.prebuilt(name, full);
    assert.ok(built, `dist/vega/templates.json lacks ${name} or holds another version of it: run \`npm run build\``);
    assert.equal(JSON.stringify(built), JSON.stringify(modules.parse(modules.vegaLite.compile(full).spec)));
    assert.equal(bundle.prebuilt(name, { ...full, title: 'changed' }), undefined, 'a changed template is compiled, not taken from the build');
  }
});

test('a run\'s plots, prebuilt, draw without running Vega-Lite\'s build', () => {
  // a process of its own: in this one other tests have asked for Vega-Lite
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', `
    import { toSvg } from ${JSON.stringify(new URL('./render.js', import.meta.url).href)};
    import { warmupSpecs } from ${JSON.stringify(new URL('./warmup.js', import.meta.url).href)};
    import { loadVega } from ${JSON.stringify(new URL('./vega-load.js', import.meta.url).href)};
    for (const plot of warmupSpecs('run')) await toSvg(plot);
    console.log((await loadVega()).vegaLiteLoaded);
  `], { encoding: 'utf8' });
  assert.equal(out.trim(), 'false');
});

test('every kind of plot draws the same bytes with the built script (and prebuilt templates) as with the ES modules', async () => {
  const bundle = await loadVega();
  const modules = await vegaFromModules();
  assert.equal(modules.source, 'modules');
  const never = async () => false;
  for (const spec of everyKind()) {
    const svg = await drawUnless(spec, never, bundle);
    assert.ok(svg?.startsWith('<svg '));
    assert.equal(svg, await drawUnless(spec, never, modules));
  }
});

test('the registered transforms run: an aggregated, folded spec renders its marks', async () => {
  const { View, parse, vegaLite } = await loadVega();
  const spec = vegaLite.compile({
    data: { values: [{ a: 1, b: 2 }, { a: 1, b: 3 }, { a: 2, b: 5 }] },
    transform: [{ fold: ['b'] }, { aggregate: [{ op: 'mean', field: 'value', as: 'm' }], groupby: ['a'] }],
    mark: 'point',
    encoding: { x: { field: 'a', type: 'quantitative' }, y: { field: 'm', type: 'quantitative' } },
  }).spec;
  const view = new View(parse(spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  assert.deepEqual(markItems(svg, 'symbol'), [2]);
});
