// `dlx --help` and `dlx <command> --help` load commander and the command table only: a command's
// file, and through it the work's modules (the engine, zod schemas, YAML, the run layer), is
// imported when that command runs. Measured with a module-resolution hook, not a clock (the clock:
// scripts/bench-startup.mjs). Both ways dlx loads its code: the ES modules and the start-up bundle
// (scripts/build-bundle.mjs), whose dynamic imports stay lazy.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { root, tempDir } from './helpers.js';

/** The modules `dlx args` loads: as ES modules (DLX_NO_BUNDLE=1), seen by a resolution hook, or
 * from the start-up bundle, which lists those it ran (DLX_DEBUG_LOAD=1), as file URLs. */
function modulesLoaded(args: string[], from: 'modules' | 'bundle' = 'modules'): string[] {
  const dir = tempDir();
  writeFileSync(join(dir, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(${JSON.stringify(join(dir, 'modules.log'))}, r.url + '\\n');
  return r;
}
`);
  writeFileSync(join(dir, 'register.mjs'), "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");
  writeFileSync(join(dir, 'modules.log'), '');
  const env = { ...process.env, DLX_DEBUG_LOAD: '1', DLX_NO_BUNDLE: from === 'modules' ? '1' : '' };
  const r = spawnSync(process.execPath, ['--import', join(dir, 'register.mjs'), join(root, 'bin/dlx.js'), ...args], { encoding: 'utf8', env });
  assert.equal(r.status, 0, r.stderr);
  const hooked = readFileSync(join(dir, 'modules.log'), 'utf8').split('\n').filter(Boolean);
  // help and the version never load the bundle (bin/dlx.js): checked as ES modules
  if (from === 'modules' || /^dlx: loaded from the ES modules \(bundle not needed for help\)$/m.test(r.stderr)) return hooked;
  const ran = /^dlx: bundled modules run: (.*)$/m.exec(r.stderr);
  assert.ok(ran, `dlx ${args.join(' ')} ran from the bundle: ${r.stderr}`);
  return [...hooked, ...ran[1].split(' ').map((path) => new URL(path, rootUrl).href)];
}

const rootUrl = `${pathToFileURL(root).href}/`;

// the work, and every command's implementation
const heavy = /\/dist\/src\/(cli\/commands|engine|run\/(?!version)|config|data\/(?!package-root)|nn|optim|train|sweep|plots)\/|\/node_modules\/(zod|yaml|chalk|cli-progress|csv-stringify|vega|vega-lite|bullmq|ioredis)\//;

// everything of dlx that help may load: an allow-list, so that a new import at start-up is seen
const helpModules = ['bin/dlx.js', 'dist/src/cli/main.js', 'dist/src/cli/command-table.js', 'dist/src/cli/io.js', 'dist/src/cli/color.js',
  'dist/src/common/errors.js', 'dist/src/common/fs-errors.js', 'dist/src/run/version.js', 'dist/src/data/package-root.js'];
const ours = (u: string) => u.startsWith(rootUrl) && !u.includes('/node_modules/');

for (const from of ['modules', 'bundle'] as const) {
  test(`dlx --help and every dlx <command> --help load no command implementation, schema, YAML or engine module (${from})`, () => {
    const commands = ['train', 'validate', 'eval', 'sweep', 'ensemble', 'worker', 'resume', 'reproduce', 'compare', 'predict', 'plot', 'report', 'runs', 'schema', 'datasets', 'datasets list', 'datasets info', 'datasets fetch'];
    for (const args of [['--help'], ['--version'], ['help', 'train'], ...commands.map((c) => [...c.split(' '), '--help'])]) {
      const loaded = modulesLoaded(args, from);
      assert.ok(loaded.some((u) => u.endsWith('/dist/src/cli/main.js')), 'the hook saw the CLI load');
      assert.deepEqual(loaded.filter((u) => heavy.test(u)), [], `dlx ${args.join(' ')}`);
      assert.deepEqual([...new Set(loaded.filter(ours).map((u) => u.slice(rootUrl.length)))].filter((m) => !helpModules.includes(m)), [], `dlx ${args.join(' ')}: modules beyond the allow-list`);
    }
  });

  test(`a command still loads its work, and only its own file, when it runs (${from})`, () => {
    const loaded = modulesLoaded(['schema'], from);
    assert.ok(loaded.some((u) => /\/node_modules\/zod\//.test(u)));
    const commandFiles = loaded.filter((u) => u.includes('/dist/src/cli/commands/')).map((u) => u.slice(u.lastIndexOf('/') + 1));
    assert.deepEqual([...new Set(commandFiles)], ['schema.js']);
  });
}
