// How a dlx process loads its code: from the start-up bundle (dist/bundle/dlx.js, built by
// scripts/build-bundle.mjs), run with its V8 code cache, else as ES modules (dist/src). The
// bundle holds the same modules as functions and saves about 0.2 s of CPU per process (README.md,
// Commands). It is used only when it is not older than dist/src/cli/main.js and the entry (a
// `tsc` after the build leaves it stale); DLX_NO_BUNDLE=1 forces the ES modules, and
// DLX_DEBUG_LOAD=1 says on stderr which were loaded.
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Script } from 'node:vm';
import { runCachedScript } from '../common/cached-script.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const rootUrl = pathToFileURL(join(root, '/')).href;
const bundleFiles = { script: join(root, 'dist/bundle/dlx.js'), cache: join(root, 'dist/bundle/dlx.cache') };

/** What scripts/build-bundle.mjs's script returns: its modules by path from the root. */
interface Bundle {
  load(path: string): unknown;
  /** The modules whose code has run, by path. */
  ran(): string[];
}

// made on first use: createRequire starts Node's CommonJS loader (some 6 ms of CPU)
let requireReal: NodeJS.Require | undefined;
/** What the bundle asks of the process: each module's `import.meta`, real requires and imports. */
const host = {
  meta: (path: string) => {
    const url = new URL(path, rootUrl).href;
    return { url, get filename() { return fileURLToPath(url); }, get dirname() { return dirname(fileURLToPath(url)); } };
  },
  /** A builtin, or a file by its path from the root; else `id` as the module at `from` requires it. */
  require: (id: string, from?: string): unknown => (from ? createRequire(join(root, from)) : (requireReal ??= createRequire(import.meta.url)))(!from && id.startsWith('.') ? join(root, id) : id),
  /** A dynamic import the bundle left real (not a string literal, or an external package). */
  import: (specifier: string, parent: string, byPath: Map<string, number>, load: (i: number) => unknown): Promise<unknown> => {
    const url = /^\.{0,2}\//.test(specifier) ? new URL(specifier, parent).href : specifier;
    const bundled = url.startsWith(rootUrl) ? byPath.get(url.slice(rootUrl.length)) : undefined;
    return bundled === undefined ? import(url) : Promise.resolve().then(() => load(bundled));
  },
};

const mtime = (file: string) => statSync(file, { throwIfNoEntry: false })?.mtimeMs;

/** The bundle's script (for its code cache), and how this process loaded its code. */
let loaded: { script?: Script; bundle?: Bundle; source: 'bundle' | 'modules'; cached: boolean; why?: string } | undefined;

/** The bundle's module `path` (from the root), or why it cannot be used. */
function fromBundle(path: string): { exports: unknown } | string {
  if (process.env.DLX_NO_BUNDLE === '1') return 'DLX_NO_BUNDLE=1';
  const built = mtime(bundleFiles.script);
  if (built === undefined) return 'not built';
  if (built < (mtime(join(root, 'dist/src/cli/main.js')) ?? Infinity) || built < (mtime(join(root, path)) ?? Infinity)) return 'older than dist/src';
  const { value, script, cached } = runCachedScript(bundleFiles.script, bundleFiles.cache);
  const bundle = (value as (h: typeof host) => Bundle)(host);
  loaded = { script, bundle, source: 'bundle', cached };
  return { exports: bundle.load(path) };
}

async function load<T>(path: string, modules: () => Promise<T>): Promise<T> {
  const bundled = fromBundle(path);
  if (typeof bundled === 'string') loaded = { source: 'modules', cached: false, why: bundled };
  if (process.env.DLX_DEBUG_LOAD === '1') {
    process.stderr.write(loaded?.source === 'bundle' ? `dlx: loaded from the bundle (code cache ${loaded.cached ? 'accepted' : 'not used'})\n` : `dlx: loaded from the ES modules (bundle ${loaded?.why})\n`);
    // what ran, as an import hook would list the ES modules (test/cli-startup.test.ts)
    const bundle = loaded?.bundle;
    if (bundle) process.on('exit', () => process.stderr.write(`dlx: bundled modules run: ${bundle.ran().join(' ')}\n`));
  }
  return typeof bundled === 'string' ? modules() : (bundled.exports as T);
}

/** The CLI's main module (bin/dlx.js imports it as an ES module for help alone). */
export const loadMain = () => load('dist/src/cli/main.js', () => import('./main.js'));

/** Starts a sweep trial process's work (trial-child.ts listens for jobs once loaded). */
export const loadTrialChild = () => load('dist/src/cli/trial-child.js', () => import('./trial-child.js'));

/** How this process loaded its code. */
export const loadedFrom = () => loaded && { source: loaded.source, cached: loaded.cached };

/** A module of the loaded bundle, by its path from the root (for scripts/bundle-warmup.mjs). */
export function bundledModule(path: string): unknown {
  if (!loaded?.bundle) throw new Error('dlx was not loaded from the bundle');
  return loaded.bundle.load(path);
}

/** The bundle's code cache as this process has run it (scripts/build-bundle.mjs). */
export function bundleCodeCache(): Buffer {
  if (!loaded?.script) throw new Error('dlx was not loaded from the bundle');
  return loaded.script.createCachedData();
}
