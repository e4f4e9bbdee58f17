// Builds dist/bundle/dlx.js: the modules reachable from dlx's CLI (dist/src/cli/main.js) and its
// sweep trial process (trial-child.js), theirs and the packages' (zod, chalk, csv-stringify,
// yaml, commander, cli-progress), as one script that src/cli/load.ts runs through node:vm with
// a V8 code cache (dist/bundle/dlx.cache). Importing them costs a dlx process 0.25-0.4 s of CPU:
// Node 20 resolves, reads and compiles each of some 400 files, and keeps no compiled code between
// runs. Each ES module becomes a CommonJS function (TypeScript's transpiler, which keeps imports
// live), each CommonJS file stays as it is; a module runs on its first require, so dynamic
// imports stay lazy (`await import('./commands/x.js')` becomes a require in a promise).
// `import.meta` becomes the module's own meta (its original file URL), so paths resolved from it
// (dist/native, dist/wasm, dist/vega, the trial entry, the package root) are unchanged. Left as
// real imports or requires: builtins, the vega packages (dist/vega/plots.js bundles them), bullmq
// and ioredis (the queue; required as their CommonJS builds), JSON and addons, and any import
// whose specifier is not a string literal. Worker threads' scripts are started by file URL and
// are no imports, so they stay ES modules. A module with a top-level await cannot be a function:
// the build fails on one (none has any today).
// The code cache is made in a child process after a warm-up (validating and training a tiny
// spec, the modules of a sweep and its trials required), so it holds what a command and a trial
// run. Optional like the native kernels: on any failure it prints one line, removes its output,
// and dlx imports its ES modules. Needs dist/ (tsc) first.  node scripts/build-bundle.mjs
// Measured (scripts/bench-startup.mjs, medians of 20, load 1.7; README.md, Commands): `dlx
// validate` node + 165 ms of CPU instead of + 405, a trial process's start + 131 instead of + 335.
// Help and the version do not load it (bin/dlx.js): their dozen modules cost less than the bundle.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/bundle');
process.on('uncaughtException', (e) => {
  rmSync(out, { recursive: true, force: true });
  console.log(`dlx: the start-up bundle was not built (${String(e?.message ?? e).split('\n')[0]}); dlx imports its ES modules`);
  process.exit(0);
});
/** The entries, by their path from the root (what src/cli/load.ts asks the bundle for). */
const entries = ['dist/src/cli/main.js', 'dist/src/cli/trial-child.js'];
/** Packages not bundled: dynamic imports of them stay real imports, static ones real requires. */
const external = /^(vega(-[a-z-]+)?|bullmq|ioredis)(\/|$)/;
const builtins = new Set(builtinModules);

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** The value of an `exports`/`imports` entry under Node's ES-module conditions. */
function conditional(entry) {
  while (entry && typeof entry === 'object' && !Array.isArray(entry)) entry = entry[Object.keys(entry).find((k) => ['node', 'import', 'default'].includes(k))];
  if (Array.isArray(entry)) entry = entry[0];
  return typeof entry === 'string' ? entry : undefined;
}

/** `map[key]`, or a `*` pattern of it (as `exports` and `imports` allow). */
function subpath(map, key) {
  if (Object.hasOwn(map, key)) return conditional(map[key]);
  for (const [pattern, target] of Object.entries(map)) {
    const star = pattern.indexOf('*');
    if (star < 0 || !key.startsWith(pattern.slice(0, star)) || !key.endsWith(pattern.slice(star + 1))) continue;
    return conditional(target)?.replaceAll('*', key.slice(star, key.length - (pattern.length - star - 1)));
  }
  return undefined;
}

/** The nearest package.json above a file, and its folder. */
function packageOf(file) {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return { dir, pkg: readJson(join(dir, 'package.json')) };
    if (dir === dirname(dir)) return { dir, pkg: {} };
  }
}

/** The file an ES module's `import` of `specifier` loads (Node's resolution, ES-module conditions). */
function resolveImport(specifier, from) {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return realpathSync(join(dirname(from), specifier));
  if (specifier.startsWith('#')) {
    const { dir, pkg } = packageOf(from);
    const target = pkg.imports && subpath(pkg.imports, specifier);
    if (!target) throw new Error(`${from}: cannot resolve ${specifier}`);
    return realpathSync(join(dir, target));
  }
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  const rest = specifier.slice(name.length);
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) {
      const pkg = readJson(join(candidate, 'package.json'));
      const target = pkg.exports ? subpath(typeof pkg.exports === 'string' || !Object.keys(pkg.exports)[0]?.startsWith('.') ? { '.': pkg.exports } : pkg.exports, `.${rest}`) : rest ? `.${rest}` : pkg.main ?? 'index.js';
      if (!target) throw new Error(`${from}: cannot resolve ${specifier}`);
      return realpathSync(join(candidate, target));
    }
    if (dir === dirname(dir)) throw new Error(`${from}: cannot find ${specifier}`);
  }
}

const isEsm = (file) => file.endsWith('.mjs') || (file.endsWith('.js') && packageOf(file).pkg.type === 'module');

/** How a module's import of `specifier` is served: a bundled file, a real require, or a real import. */
function target(specifier, from, dynamic) {
  const bare = specifier.replace(/^node:/, '');
  if (builtins.has(bare) || specifier.startsWith('node:')) return { require: specifier };
  if (external.test(specifier)) return dynamic ? { import: true } : { require: createRequire(from).resolve(specifier) };
  const file = resolveImport(specifier, from);
  if (!/\.[cm]?js$/.test(file)) throw new Error(`${from}: imports ${specifier}, which the bundle cannot hold`);
  return { file };
}

/** What a CommonJS module's `require(specifier)` loads: a bundled file or a real require
 * (builtins, JSON, addons); undefined when it does not resolve (an optional dependency in a
 * `try`, say: at run time the bundle then requires it for real, failing as Node would). */
function cjsTarget(specifier, from) {
  if (builtins.has(specifier.replace(/^node:/, '')) || specifier.startsWith('node:')) return { require: specifier };
  let file;
  try {
    file = realpathSync(createRequire(from).resolve(specifier));
  } catch {
    return undefined;
  }
  return /\.c?js$/.test(file) && !isEsm(file) ? { file } : { require: file };
}

/** The top-level await of a module, if any (a CommonJS function cannot hold one). */
function topLevelAwait(source) {
  let found;
  const visit = (node) => {
    if (found || ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node)) return;
    if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier)) found = node;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(source, visit);
  return found && source.getLineAndCharacterOfPosition(found.getStart(source)).line + 1;
}

/** Rewrites what CommonJS cannot express: `import.meta` becomes `__dlxMeta` (the module's own
 * meta, built by the bundle), and a dynamic import that is not bundled becomes `__dlxImport(…)`. */
const rewrite = (realImport) => (context) => (source) => {
  const visit = (node) => {
    if (ts.isMetaProperty(node) && node.keywordToken === ts.SyntaxKind.ImportKeyword) return context.factory.createIdentifier('__dlxMeta');
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && realImport(node.arguments[0])) {
      return context.factory.createCallExpression(context.factory.createIdentifier('__dlxImport'), undefined, node.arguments.slice(0, 1).map((a) => ts.visitNode(a, visit)));
    }
    return ts.visitEachChild(node, visit, context);
  };
  return ts.visitNode(source, visit);
};

const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, removeComments: true, sourceMap: false };
/** TypeScript's interop helpers (__importStar…), which it writes into every module: the bundle
 * defines them once (a third of the script's size otherwise). Found in a sample's output. */
const helpers = ts.transpileModule('import * as a from "a"; import b from "b"; export * from "c"; export { d } from "d"; a(b);', { compilerOptions }).outputText
  .split('Object.defineProperty(exports, "__esModule"')[0].replace('"use strict";\n', '').split(/\n(?=var __)/).map((h) => h.trim());
if (helpers.length !== 5 || !helpers.every((h) => h.startsWith('var __'))) throw new Error('unexpected TypeScript helpers');

/** Each ES module reachable from the entries: file → { cjs, deps: specifier → file | { require } }. */
function collect() {
  const modules = new Map();
  const visit = (file) => {
    if (modules.has(file)) return;
    modules.set(file, undefined);
    if (!isEsm(file)) return visitCjs(file);
    const esm = readFileSync(file, 'utf8');
    const source = ts.createSourceFile(file, esm, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
    const line = topLevelAwait(source);
    if (line) throw new Error(`${relative(root, file)}:${line}: a top-level await, which a bundled module cannot hold`);
    const targets = new Map();
    const realImport = (arg) => {
      if (!arg || !ts.isStringLiteralLike(arg)) return true;
      const t = target(arg.text, file, true);
      return !!t.import;
    };
    let cjs = ts.transpileModule(esm, { fileName: 'module.js', compilerOptions, transformers: { before: [rewrite(realImport)] } }).outputText;
    for (const h of helpers) cjs = cjs.replace(h, '');
    // (a dynamic import's specifier keeps its quotes)
    for (const [, , spec] of cjs.matchAll(/\brequire\((["'`])([^"'`]+)\1\)/g)) if (!targets.has(spec)) targets.set(spec, target(spec, file, false));
    for (const t of targets.values()) if (t.file) visit(t.file);
    modules.set(file, { cjs, deps: Object.fromEntries(targets) });
  };
  // a CommonJS package's file as it is, with the files its literal requires load
  const visitCjs = (file) => {
    const cjs = readFileSync(file, 'utf8');
    const targets = new Map();
    for (const [, , spec] of cjs.matchAll(/\brequire\(\s*(["'])([^"']+)\1\s*\)/g)) {
      const t = cjsTarget(spec, file);
      if (t && !targets.has(spec)) targets.set(spec, t);
    }
    for (const t of targets.values()) if (t.file) visit(t.file);
    modules.set(file, { cjs, deps: Object.fromEntries(targets), commonjs: true });
  };
  for (const entry of entries) visit(realpathSync(join(root, entry)));
  return modules;
}

const modules = collect();
const index = new Map([...modules.keys()].map((file, i) => [file, i]));
// a package's file by its path through the root's node_modules, though Node finds the real file
// (node_modules may be a link): a copy of the install with its own node_modules finds its own
const nodeModules = realpathSync(join(root, 'node_modules'));
const path = (file) => (file.startsWith(nodeModules + sep) ? `node_modules/${relative(nodeModules, file)}` : relative(root, file)).replaceAll('\\', '/');
/** A file required for real, from the root: './…' or '../…' (a builtin's name never starts with '.'). */
const requirePath = (file) => (path(file).startsWith('../') ? path(file) : `./${path(file)}`);
const code = [...modules].map(([file, { cjs, commonjs }]) => `// ${path(file)}\nfunction (exports, require, module, ${commonjs ? '__filename, __dirname' : '__dlxMeta, __dlxImport'}) {${cjs}\n}`);
const table = [...modules].map(([file, { deps, commonjs }]) => [path(file), Object.fromEntries(Object.entries(deps).map(([spec, t]) => [spec, t.file ? index.get(t.file) : t.require.startsWith('/') ? requirePath(t.require) : t.require])), ...(commonjs ? [1] : [])]);
const bundle = `// Generated by scripts/build-bundle.mjs from dist/src and node_modules: dlx's ES modules as
// CommonJS functions. Run by src/cli/load.ts; do not edit.
// (not strict as a whole: each ES module is, as TypeScript writes it; a CommonJS one as it says)
(function (host) {
${helpers.join('\n')}
const code = [
${code.join(',\n')}
];
// each module: [its path from the root, specifier -> module index, or what to require for real,
// 1 when it is CommonJS]
const modules = ${JSON.stringify(table)};
const byPath = new Map(modules.map(([path], i) => [path, i]));
const done = [];
function load(i) {
  if (done[i]) return done[i].exports;
  const [path, deps, commonjs] = modules[i];
  const module = (done[i] = { exports: {} });
  const meta = host.meta(path);
  const require = (id) => {
    const dep = deps[id];
    return typeof dep === 'number' ? load(dep) : dep === undefined ? host.require(id, path) : host.require(dep);
  };
  try {
    if (commonjs) code[i].call(module.exports, module.exports, require, module, meta.filename, meta.dirname);
    else code[i](module.exports, require, module, meta, (specifier) => host.import(String(specifier), meta.url, byPath, load));
  } catch (e) {
    done[i] = undefined;
    throw e;
  }
  return module.exports;
}
return { load: (path) => load(byPath.get(path)), ran: () => modules.filter((_, i) => done[i]).map(([path]) => path) };
})
`;
mkdirSync(out, { recursive: true });
rmSync(join(out, 'dlx.cache'), { force: true });
// ASCII only (other characters as \u escapes, which mean the same in strings, regular expressions,
// identifiers and comments), so that load.ts reads it as latin1, several times faster than utf8
writeFileSync(join(out, 'dlx.js'), bundle.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));

// the code cache, in a child process that runs the new script (no cache yet) through load.ts
execFileSync(process.execPath, [join(root, 'scripts/bundle-warmup.mjs'), join(out, 'dlx.cache')], { stdio: ['ignore', 'ignore', 'inherit'] });
if (!existsSync(join(out, 'dlx.cache'))) throw new Error('the warm-up wrote no code cache');
console.log(`dlx: start-up bundle (${modules.size} modules) and its code cache in ${out}`);
