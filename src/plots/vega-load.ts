// Vega and Vega-Lite, loaded with as little code as the plots need. `import 'vega'` loads all of
// vega's packages (geo, force, hierarchy, label, voronoi, wordcloud… which no plot uses) and
// `import 'vega-lite'` imports 'vega' for four helpers: about 0.5 s of CPU that a short `dlx
// train` paid at its end. Here: the packages that parse a spec, run its dataflow and render it
// (those `vega` itself re-exports, at the versions it installs, registered as vega's index does),
// and Vega-Lite's single-file build (vega-lite/build/vega-lite.min.js, published with each
// release) run through node:vm, its `require('vega')` answered with what it takes from vega:
// vega-util, parseExpression and parseSelector. Tests check that it compiles every plot spec
// exactly as the `vega-lite` module does. About 40 % less CPU than the two imports.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { transforms } from 'vega-dataflow';
import * as encode from 'vega-encode';
import { parseSelector } from 'vega-event-selector';
import { parseExpression } from 'vega-expression';
import { parse } from 'vega-parser';
import * as dataTransforms from 'vega-transforms';
import * as util from 'vega-util';
import { View } from 'vega-view';
import * as viewTransforms from 'vega-view-transforms';

export type VegaLite = typeof import('vega-lite');

// the transforms a spec's data and marks name, as vega's own index registers them
Object.assign(transforms, dataTransforms, viewTransforms, encode);

export const vega = { View, parse };

/** The file of Vega-Lite's single-file build, beside the module build its `exports` name. */
function vegaLiteBuild(): string {
  return join(dirname(createRequire(import.meta.url).resolve('vega-lite')), 'vega-lite.min.js');
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

let vegaLite: VegaLite | undefined;

/** Vega-Lite, loaded on the first call in this thread. */
export function loadVegaLite(): VegaLite {
  vegaLite ??= runUmd(vegaLiteBuild(), 'vega', { ...util, parseExpression, parseSelector }) as VegaLite;
  return vegaLite;
}
