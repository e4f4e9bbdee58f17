// Builds what the plots load at run time (src/plots/vega-load.ts): one script holding the vega
// packages that parse, run and render a spec (the ES modules installed in node_modules, turned
// into CommonJS functions by TypeScript's own transpiler, which keeps imports live), and
// Vega-Lite's single-file build; then a V8 code cache of that script, made after drawing the
// warm-up plots, so that it holds the bytecode of every function a plot runs. Importing the
// packages as ES modules costs about 0.3 s of CPU (resolving, reading and compiling some forty
// files); the script with its cache loads in about 0.1 s, most of it running the modules' own
// top-level code. The cache belongs to this Node and V8: another version rejects it and the
// script compiles as it runs. Also the run plots' templates (src/plots/template.ts), compiled by
// Vega-Lite and parsed into Vega runtime specs (templates.json), so that a run's plots only insert
// their data and run (about half of drawing's CPU is compiling and parsing). Needs dist/ (tsc) first.
//   node scripts/build-plots.mjs
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/vega');
// like the native kernels, optional: without the bundle the plots load vega's ES modules (slower)
process.on('uncaughtException', (e) => {
  rmSync(out, { recursive: true, force: true });
  console.log(`dlx: the vega bundle was not built (${String(e?.message ?? e).split('\n')[0]}); plots load vega's ES modules`);
  process.exit(0);
});
/** The packages vega-load.ts takes from vega (those vega's index registers and re-exports). */
const entries = ['vega-dataflow', 'vega-encode', 'vega-event-selector', 'vega-expression', 'vega-parser', 'vega-transforms', 'vega-util', 'vega-view', 'vega-view-transforms'];
// vega-loader and vega-canvas have a Node build and a browser build: the browser's, because a
// plot loads no file or URL and draws on no canvas (without the optional `canvas` package the
// Node build finds none either; this way an installed one cannot change the text metrics)
const browserBuilds = { 'vega-loader': 'build/vega-loader.browser.js', 'vega-canvas': 'build/vega-canvas.browser.js' };
const nodeModules = join(root, 'node_modules');
/** Where the entries are imported from. */
const from = join(root, 'src/plots/vega-load.ts');

/** A package's main file as Node's `import` finds it: `exports` under the conditions node, import
 * or default (in the order the package lists them), else `main`. */
function packageEntry(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (browserBuilds[pkg.name]) return join(dir, browserBuilds[pkg.name]);
  let entry = pkg.exports && typeof pkg.exports === 'object' && '.' in pkg.exports ? pkg.exports['.'] : pkg.exports;
  while (entry && typeof entry === 'object') entry = entry[Object.keys(entry).find((k) => ['node', 'import', 'default'].includes(k))];
  return join(dir, typeof entry === 'string' ? entry : pkg.main ?? 'index.js');
}

/** A module's file: a relative one beside its importer, a bare one in the nearest node_modules
 * above its importer that has it (several versions of a vega package may be installed). */
function resolve(specifier, from) {
  if (specifier.startsWith('.')) return join(dirname(from), specifier);
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', specifier);
    if (existsSync(join(candidate, 'package.json'))) return packageEntry(candidate);
    if (dir === dirname(dir)) throw new Error(`${from}: cannot find ${specifier}`);
  }
}

/** Each module once, dependencies first: [file, CommonJS source, specifier → file]. */
function collect() {
  const modules = new Map();
  const visit = (file) => {
    if (modules.has(file)) return;
    modules.set(file, undefined);
    const esm = readFileSync(file, 'utf8');
    // (a top-level await would not compile in the function below, and the script would fail to load)
    if (/\bimport\.meta\b|\bimport\(/.test(esm)) throw new Error(`${file}: import.meta or a dynamic import, which the bundle cannot hold`);
    const cjs = ts.transpileModule(esm, { fileName: 'module.js', compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: false, removeComments: true } }).outputText;
    const deps = {};
    for (const m of cjs.matchAll(/\brequire\("([^"]+)"\)/g)) {
      deps[m[1]] = resolve(m[1], file);
      visit(deps[m[1]]);
    }
    modules.delete(file); // re-inserted after its dependencies
    modules.set(file, { cjs, deps });
  };
  for (const name of entries) visit(resolve(name, from));
  return modules;
}

const modules = collect();
const index = new Map([...modules.keys()].map((file, i) => [file, i]));
// several installed copies of a package can be the same release (vega-scenegraph 5.3.0 under
// vega-parser, vega-view and vega-functions): each stays its own module, as Node makes it, but
// they share one function, so the script and its cache hold that code once
const sources = new Map();
for (const [file, { cjs }] of modules) {
  if (!sources.has(cjs)) sources.set(cjs, { id: sources.size, files: [] });
  sources.get(cjs).files.push(file);
}
const code = [...sources].map(([cjs, { files }]) => `// ${files.map((f) => f.slice(nodeModules.length + 1)).join(', ')}\nfunction (exports, require, module) {${cjs}\n}`);
const instances = [...modules].map(([, { cjs, deps }]) => [sources.get(cjs).id, Object.fromEntries(Object.entries(deps).map(([spec, f]) => [spec, index.get(f)]))]);
const names = Object.fromEntries(entries.map((name) => [name, index.get(resolve(name, from))]));
const vegaLite = join(dirname(resolve('vega-lite', from)), 'vega-lite.min.js');
const bundle = `// Generated by scripts/build-plots.mjs from node_modules: the vega packages below as CommonJS
// functions, and ${vegaLite.slice(nodeModules.length + 1)}. Run by src/plots/vega-load.ts; do not edit.
(function () {
'use strict';
const code = [
${code.join(',\n')}
];
// each module: [its code, specifier -> module]
const modules = ${JSON.stringify(instances)};
const done = [];
function load(i) {
  if (done[i]) return done[i].exports;
  const module = (done[i] = { exports: {} });
  const [run, deps] = modules[i];
  code[run](module.exports, (id) => {
    if (deps[id] === undefined) throw new Error('the vega bundle has no module ' + id);
    return load(deps[id]);
  }, module);
  return module.exports;
}
const names = ${JSON.stringify(names)};
const packages = {};
for (const name in names) packages[name] = load(names[name]);
// Vega-Lite's build requires 'vega' for vega-util and the expression and selector parsers
const vega = { ...packages['vega-util'], parseExpression: packages['vega-expression'].parseExpression, parseSelector: packages['vega-event-selector'].parseSelector };
// run on first use: a run's plots are prebuilt templates (templates.json), which need no Vega-Lite
let vegaLite;
function loadVegaLite() {
  if (vegaLite) return vegaLite.exports;
  vegaLite = { exports: {} };
  (function (exports, module, require) {
${readFileSync(vegaLite, 'utf8')}
  })(vegaLite.exports, vegaLite, (id) => {
    if (id !== 'vega') throw new Error('vega-lite requires ' + id + ', which the bundle does not provide');
    return vega;
  });
  return vegaLite.exports;
}
return { packages, loadVegaLite };
})
`;
mkdirSync(out, { recursive: true });
rmSync(join(out, 'plots.cache'), { force: true });
rmSync(join(out, 'templates.json'), { force: true });
// ASCII only (other characters as \u escapes, which mean the same in strings, regular expressions,
// identifiers and comments), so vega-load.ts reads it as latin1: about 5 times faster than utf8
writeFileSync(join(out, 'plots.js'), bundle.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));

// in a child process that loads the new script (no cache yet): the run plots' templates
// (src/plots/template.ts) compiled by Vega-Lite and parsed into Vega runtime specs, saved as JSON
// (templates.json, which render.ts makes its Views from); then the code cache, made after drawing
// every kind of warm-up plot, so that it holds what drawing compiled
const url = (file) => JSON.stringify(pathToFileURL(join(root, 'dist/src/plots', file)).href);
execFileSync(process.execPath, ['--input-type=module', '-e', `
import { toSvg, withConfig } from ${url('render.js')};
import { warmupSpecs } from ${url('warmup.js')};
import { templateSpecs } from ${url('templates.js')};
import { loadVega, vegaCodeCache } from ${url('vega-load.js')};
import { writeFileSync } from 'node:fs';
const { parse, vegaLite } = await loadVega();
const templates = {};
for (const [name, spec] of Object.entries(templateSpecs)) {
  const full = withConfig(spec);
  templates[name] = { template: JSON.stringify(full), runtime: JSON.stringify(parse(vegaLite.compile(full).spec)) };
}
writeFileSync(${JSON.stringify(join(out, 'templates.json'))}, JSON.stringify(templates));
for (const spec of [...warmupSpecs('run'), ...warmupSpecs('sweep')]) await toSvg(spec);
writeFileSync(${JSON.stringify(join(out, 'plots.cache'))}, vegaCodeCache());
`], { stdio: 'inherit' });
console.log(`dlx: vega bundle (${modules.size} modules, ${sources.size} distinct) and its code cache in ${out}`);
