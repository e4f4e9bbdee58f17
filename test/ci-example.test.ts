// examples/ci/check.sh works as a CI job: it passes on the quick-start spec, and a gate the
// metric misses is exit 10 with a message naming metric, value and gate.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { root } from './helpers.js';

function check(env: Record<string, string>) {
  const r = spawnSync('sh', [join(root, 'examples/ci/check.sh')], {
    cwd: root,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, NO_COLOR: '1', DLX: `${process.execPath} ${join(root, 'bin/dlx.js')}`, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the CI recipe validates, trains, reproduces and passes the gate', () => {
  const r = check({ SPECS: 'configs/quickstart.yaml configs/iris-momentum-step.yaml configs/fmnist-mlp.yaml' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /ci: validate[\s\S]*ci: train[\s\S]*ci: reproduce[\s\S]*reproduced .* bit-identical[\s\S]*ci: eval/);
  assert.match(r.stdout, /^ok configs\/quickstart\.yaml\n[\s\S]*accuracy 0\.\d+\n$/);
});

test('a missed gate is exit 10, a bad spec is dlx\'s exit 2', () => {
  const missed = check({ SPECS: 'configs/quickstart.yaml', MIN: '1.01' });
  assert.equal(missed.code, 10, missed.stderr);
  assert.match(missed.stderr, /ci: accuracy 0\.\d+ misses the gate ≥ 1\.01\n$/);
  const bad = check({ SPECS: 'configs/quickstart.yaml package.json' });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /error package\.json/);
});
