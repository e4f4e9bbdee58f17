// The layer rule of DESIGN.md: imports point down only,
// cli → run → {config, train, sweep} → {data, nn, optim} → engine;
// common/ (typed errors, zod helpers) sits below all of them but the engine, which imports
// nothing of ours but random/ (the seeded streams, a leaf that every layer may use);
// sweep and plots do not import the engine, nor the file system. Tests beside components are exempt.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { root } from './helpers.js';

const rank: Record<string, number> = {
  cli: 5, run: 4, config: 3, train: 3, sweep: 3, plots: 3, data: 2, nn: 2, optim: 2, common: 1, engine: 0, random: -1,
};

export function violation(fromLayer: string, toLayer: string): string | undefined {
  if (fromLayer === toLayer) return undefined;
  if (fromLayer === 'random') return 'random imports nothing of ours';
  if (toLayer === 'random') return undefined;
  if (fromLayer === 'engine') return 'the engine imports nothing of ours';
  if (fromLayer === 'sweep' && toLayer === 'engine') return 'sweep does not import the engine';
  if (fromLayer === 'plots' && toLayer === 'engine') return 'plots does not import the engine';
  if (!(toLayer in rank)) return `unknown layer ${toLayer}`;
  if (rank[toLayer] >= rank[fromLayer]) return `${fromLayer} may not import ${toLayer} (same level or above)`;
  return undefined;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

const layerOf = (file: string) => relative(join(root, 'src'), file).split(/[\\/]/)[0];

test('every import under src/ points down the layer order', () => {
  const problems: string[] = [];
  const files = sources(join(root, 'src'));
  assert.ok(files.length > 30);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const spec = m[1] ?? m[2];
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(join(root, 'src'))) {
        problems.push(`${relative(root, file)} imports ${spec}, outside src/`);
        continue;
      }
      const why = violation(layerOf(file), layerOf(target));
      if (why) problems.push(`${relative(root, file)} imports ${spec}: ${why}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('sweep and plots are pure: no file system, no processes, no clock', () => {
  const problems: string[] = [];
  // loading a library's code, as an import does, reads no data: vega-load.ts runs the vega script
  // that scripts/build-plots.mjs builds, with its code cache, and takes the run plots' templates
  // it parsed (code built from src/plots itself, checked against it), or Vega-Lite's single-file
  // build (its own node:fs reads of those files are the one allowed)
  const loadsCode: Record<string, RegExp> = { 'src/plots/vega-load.ts': /^import \{ existsSync, readFileSync \} from 'node:fs';$/m };
  for (const layer of ['sweep', 'plots']) {
    for (const file of sources(join(root, 'src', layer))) {
      const text = readFileSync(file, 'utf8').replace(loadsCode[relative(root, file)] ?? /(?!)/, '');
      const bad = text.match(/from\s+['"]node:(fs|fs\/promises|child_process|worker_threads)['"]|Date\.now\(|new Date\(|performance\.now\(/);
      if (bad) problems.push(`${relative(root, file)}: ${bad[0]}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('the rule itself rejects upward and sideways imports', () => {
  assert.equal(violation('engine', 'common'), 'the engine imports nothing of ours');
  assert.equal(violation('nn', 'train'), 'nn may not import train (same level or above)');
  assert.equal(violation('config', 'train'), 'config may not import train (same level or above)');
  assert.equal(violation('sweep', 'engine'), 'sweep does not import the engine');
  assert.equal(violation('plots', 'engine'), 'plots does not import the engine');
  assert.equal(violation('plots', 'run'), 'plots may not import run (same level or above)');
  assert.equal(violation('run', 'engine'), undefined);
  assert.equal(violation('sweep', 'random'), undefined);
  assert.equal(violation('engine', 'random'), undefined);
  assert.equal(violation('random', 'common'), 'random imports nothing of ours');
  assert.equal(violation('cli', 'run'), undefined);
});
