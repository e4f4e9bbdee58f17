// Failures of the environment, end to end: each a plain one-line message with its documented
// exit code, never "a bug in dlx" and never a stack; a closed stdout is no failure at all.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dlx, root, tempDir } from './helpers.js';

const quickstart = join(root, 'configs/quickstart.yaml');

/** Runs dlx with its stdout a pipe whose reading end closes after `keep` bytes (like `| head -c`). */
function withClosedStdout(args: string[], keep: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(root, 'bin/dlx.js'), ...args], { env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d) => {
    stdout += d;
    if (stdout.length >= keep) child.stdout.destroy();
  });
  if (keep === 0) child.stdout.destroy();
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

test('dlx train | head: a closed stdout does not stop the run; it finishes and its folder says so', async () => {
  const runs = tempDir();
  const r = await withClosedStdout(['train', quickstart, '--runs-dir', runs], 1);
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
  const [folder] = readdirSync(join(runs, 'quickstart'));
  const metrics = JSON.parse(readFileSync(join(runs, 'quickstart', folder, 'metrics.json'), 'utf8'));
  assert.equal(metrics.status, 'finished');
  assert.equal(metrics.epochs, 30);
});

test('dlx eval | head -1: a closed stdout is exit 0 without a message', async () => {
  const runs = tempDir();
  assert.equal(dlx(['train', quickstart, '--runs-dir', runs, '--quiet', '--set', 'train.epochs=1']).code, 0);
  const run = join(runs, 'quickstart', readdirSync(join(runs, 'quickstart'))[0]);
  const r = await withClosedStdout(['eval', run], 0);
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
});
