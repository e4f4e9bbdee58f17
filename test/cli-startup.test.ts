// `dlx --help` loads commander, chalk and the command definitions only: the work's modules
// (the engine, zod schemas, YAML, the run layer) are imported when a command runs. Measured
// with a module-resolution hook, not a clock.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { root, tempDir } from './helpers.js';

function modulesLoaded(args: string[]): string[] {
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
  const r = spawnSync(process.execPath, ['--import', join(dir, 'register.mjs'), join(root, 'bin/dlx.js'), ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return readFileSync(join(dir, 'modules.log'), 'utf8').split('\n').filter(Boolean);
}

const heavy = /\/dist\/src\/(engine|run\/(?!version)|config|data\/(?!package-root)|nn|optim|train|sweep)\/|\/node_modules\/(zod|yaml|cli-progress|csv-stringify|vega|bullmq)\//;

test('dlx --help and dlx train --help load no engine, schema, YAML or run module', () => {
  for (const args of [['--help'], ['train', '--help'], ['--version']]) {
    const loaded = modulesLoaded(args);
    assert.ok(loaded.some((u) => u.endsWith('/dist/src/cli/main.js')), 'the hook saw the CLI load');
    assert.deepEqual(loaded.filter((u) => heavy.test(u)), [], `dlx ${args.join(' ')}`);
  }
});

test('a command still loads its work when it runs', () => {
  const loaded = modulesLoaded(['schema']);
  assert.ok(loaded.some((u) => /\/node_modules\/zod\//.test(u)));
});


