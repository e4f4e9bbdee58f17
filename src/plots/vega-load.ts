// Vega and Vega-Lite, loaded with as little work as the plots need. `import 'vega'` loads all of
// vega's packages (geo, force, hierarchy, label, voronoi, wordcloud… which no plot uses) and
// `import 'vega-lite'` imports 'vega' for four helpers. What a plot needs is the packages that
// parse a spec, run its dataflow and render it (those `vega` itself re-exports, at the versions
// it installs, registered as vega's index does) and Vega-Lite's single-file build
// (vega-lite/build/vega-lite.min.js, published with each release), its `require('vega')`
// answered with what it takes from vega: vega-util, parseExpression and parseSelector.
//
// scripts/build-plots.mjs (part of `npm run build`) puts those packages and Vega-Lite's build in
// one script, dist/vega/plots.js, with a V8 code cache (plots.cache) made after drawing each kind
// of plot: run through node:vm with its cache, it loads in about 0.1 s of CPU instead of the
// ~0.3 s that resolving, reading and compiling the ES modules costs, and the functions a plot
// runs are already compiled. Without the script (dist built by tsc alone) the same packages are
// imported as ES modules. Tests check that both draw the same bytes and that Vega-Lite's build
// compiles every plot spec exactly as the `vega-lite` module does.
//
// The same build parses the run plots' templates (template.ts) into Vega runtime specs,
// dist/vega/templates.json, each beside the JSON of the template it came from: render.ts makes a
// View from one only while it matches the template in src/plots, so a stale build draws what the
// source says, compiling as before. With prebuilt templates a run's plots need no Vega-Lite,
// whose build then runs only when first asked for.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { runCachedScript } from '../common/cached-script.js';

export type VegaLite = typeof import('vega-lite');

export interface Vega {
  View: typeof import('vega-view').View;
  parse: typeof import('vega-parser').parse;
  vegaLite: VegaLite;
  /** Where the code came from: the built script or the ES modules. */
  source: 'bundle' | 'modules';
  /** Whether V8 took the built script's code cache (made by this Node, for this script). */
  cached: boolean;
  /** A template's Vega runtime spec as scripts/build-plots.mjs parsed it (a fresh copy), or
   * undefined: not built, or built from another version of the template (template.ts). */
  prebuilt(name: string, template: object): object | undefined;
  /** Whether Vega-Lite's build has run in this thread (`vegaLite` runs it on first use). */
  readonly vegaLiteLoaded: boolean;
}

/** What the transforms a spec names are registered from, as vega's own index registers them. */
interface Packages {
  'vega-dataflow': typeof import('vega-dataflow');
  'vega-encode': Record<string, unknown>;
  'vega-event-selector': typeof import('vega-event-selector');
  'vega-expression': typeof import('vega-expression');
  'vega-parser': typeof import('vega-parser');
  'vega-transforms': Record<string, unknown>;
  'vega-util': typeof import('vega-util');
  'vega-view': typeof import('vega-view');
  'vega-view-transforms': Record<string, unknown>;
}

const bundleDir = join(dirname(fileURLToPath(import.meta.url)), '../../vega');
export const bundleFiles = { script: join(bundleDir, 'plots.js'), cache: join(bundleDir, 'plots.cache'), templates: join(bundleDir, 'templates.json') };

/** templates.json: name → the template it was built from and its runtime spec, both as JSON. */
type Prebuilt = Record<string, { template: string; runtime: string }>;
let prebuiltSpecs: Prebuilt | undefined;

/** Runtime specs from templates.json, read on first use; only those of the same template. */
function prebuilt(name: string, template: object): object | undefined {
  prebuiltSpecs ??= existsSync(bundleFiles.templates) ? (JSON.parse(readFileSync(bundleFiles.templates, 'utf8')) as Prebuilt) : {};
  const entry = Object.hasOwn(prebuiltSpecs, name) ? prebuiltSpecs[name] : undefined;
  // parsed per drawing: a View keeps references into its spec
  return entry && entry.template === JSON.stringify(template) ? (JSON.parse(entry.runtime) as object) : undefined;
}

/** `vegaLite` is run on first use: drawing prebuilt templates needs none (about 20 ms of CPU less). */
function registered(p: Packages, vegaLite: () => VegaLite, source: Vega['source'], cached: boolean): Vega {
  Object.assign(p['vega-dataflow'].transforms, p['vega-transforms'], p['vega-view-transforms'], p['vega-encode']);
  let loaded: VegaLite | undefined;
  return {
    View: p['vega-view'].View,
    parse: p['vega-parser'].parse,
    get vegaLite() {
      loaded ??= vegaLite();
      return loaded;
    },
    get vegaLiteLoaded() {
      return loaded !== undefined;
    },
    source,
    cached,
    // the ES modules (dist built by tsc alone, or tests comparing) compile every template as they draw
    prebuilt: source === 'bundle' ? prebuilt : () => undefined,
  };
}

let script: Script | undefined;

/** The built script, run with its code cache where V8 accepts it; undefined when not built. */
function fromBundle(): Vega | undefined {
  if (!existsSync(bundleFiles.script)) return undefined;
  const built = runCachedScript(bundleFiles.script, bundleFiles.cache);
  script = built.script;
  const { packages, loadVegaLite } = (built.value as () => { packages: Packages; loadVegaLite: () => VegaLite })();
  return registered(packages, loadVegaLite, 'bundle', built.cached);
}

/** Runs a UMD file as CommonJS: its factory fills `exports`; `require` hands it its one dependency. */
function runUmd(file: string, dependency: string, value: unknown): unknown {
  const source = `(function (exports, module, require) {${readFileSync(file, 'utf8')}\n})`;
  const run = new Script(source, { filename: file }).runInThisContext() as (e: object, m: object, r: (id: string) => unknown) => void;
  const module = { exports: {} };
  run(module.exports, module, (id) => {
    if (id !== dependency) throw new Error(`${file} requires ${id}, which dlx does not provide`);
    return value;
  });
  return module.exports;
}

/** The same packages as ES modules, and Vega-Lite's build through node:vm. */
export async function vegaFromModules(): Promise<Vega> {
  const p: Packages = {
    'vega-dataflow': await import('vega-dataflow'),
    'vega-encode': await import('vega-encode'),
    'vega-event-selector': await import('vega-event-selector'),
    'vega-expression': await import('vega-expression'),
    'vega-parser': await import('vega-parser'),
    'vega-transforms': await import('vega-transforms'),
    'vega-util': await import('vega-util'),
    'vega-view': await import('vega-view'),
    'vega-view-transforms': await import('vega-view-transforms'),
  };
  const vegaLiteBuild = join(dirname(createRequire(import.meta.url).resolve('vega-lite')), 'vega-lite.min.js');
  const helpers = { ...p['vega-util'], parseExpression: p['vega-expression'].parseExpression, parseSelector: p['vega-event-selector'].parseSelector };
  return registered(p, () => runUmd(vegaLiteBuild, 'vega', helpers) as VegaLite, 'modules', false);
}

let vega: Promise<Vega> | undefined;

/** Vega and Vega-Lite, loaded on the first call in this thread. */
export function loadVega(): Promise<Vega> {
  vega ??= Promise.resolve().then(() => fromBundle() ?? vegaFromModules());
  return vega;
}

/** The code cache of the built script as this thread has run it (scripts/build-plots.mjs). */
export function vegaCodeCache(): Buffer {
  if (!script) throw new Error('vega was not loaded from the built script');
  return script.createCachedData();
}
