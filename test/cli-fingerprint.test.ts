// The data fingerprint end to end: a run records size and SHA-256 of every data file it read
// (data.json); eval, predict, resume and reproduce refuse changed data, naming the file; eval
// and predict accept it with --allow-changed-data and say so; runs without data.json still work.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { csvSpec, twoClassCsv } from './csv-specs.js';
import { dlx, root, tempDir } from './helpers.js';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

function onlyRun(runsDir: string, name: string): string {
  const folders = readdirSync(join(runsDir, name)).filter((f) => !f.startsWith('.'));
  assert.equal(folders.length, 1);
  return join(runsDir, name, folders[0]);
}

test('data.json records the files read; changed data is refused by eval, predict and reproduce, and allowed with the flag', () => {
  const dir = tempDir();
  const spec = csvSpec(dir, twoClassCsv(80));
  const csv = join(dir, 'data.csv');
  const r = dlx(['train', spec, '--quiet'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const run = onlyRun(join(dir, 'runs'), 'tab');
  const data = json(join(run, 'data.json'));
  assert.deepEqual(data.files, [{ path: csv, bytes: statSync(csv).size, sha256: sha256(csv) }]);
  assert.equal(data.dataset.type, 'csv');
  writeFileSync(join(dir, 'new.csv'), 'x1,x2\n0.1,0.2\n2.1,0.4\n');

  // unchanged: everything works, and eval's flag reports no change
  assert.equal(dlx(['eval', run], { cwd: dir }).code, 0);
  assert.deepEqual(JSON.parse(dlx(['eval', run, '--json', '--allow-changed-data'], { cwd: dir }).stdout).dataChanged, []);

  appendFileSync(csv, '2.5,0.6,1\n');
  const ev = dlx(['eval', run], { cwd: dir });
  assert.equal(ev.code, 3);
  assert.match(ev.stderr, new RegExp(`^error ${run}: the data differs from the data the run used: ${csv}: changed since the run read it \\(\\d+ bytes then, \\d+ now; SHA-256 [0-9a-f]{12}…, the run recorded [0-9a-f]{12}…\\); pass --allow-changed-data to use it anyway\\n$`));
  assert.equal(ev.stdout, '');

  const allowed = dlx(['eval', run, '--json', '--allow-changed-data'], { cwd: dir });
  assert.equal(allowed.code, 0, allowed.stderr);
  const result = JSON.parse(allowed.stdout);
  assert.equal(result.dataChanged.length, 1);
  assert.match(result.dataChanged[0], /data\.csv: changed since the run read it/);
  assert.match(allowed.stderr, /^warning --allow-changed-data: .*data\.csv: changed since the run read it/);

  const predicted = dlx(['predict', run, 'new.csv'], { cwd: dir });
  assert.equal(predicted.code, 3);
  assert.match(predicted.stderr, /data\.csv: changed since the run read it .*; pass --allow-changed-data to use it anyway\n$/);
  const anyway = dlx(['predict', run, 'new.csv', '--allow-changed-data'], { cwd: dir });
  assert.equal(anyway.code, 0, anyway.stderr);
  assert.match(anyway.stdout, /^predicted,0,1\n/);
  assert.match(anyway.stderr, /^warning --allow-changed-data: .*data\.csv: changed/);

  const again = dlx(['reproduce', run], { cwd: dir });
  assert.equal(again.code, 3, again.stderr);
  assert.match(again.stderr, /the data differs from the data the run used: .*data\.csv: changed since the run read it/);
  assert.doesNotMatch(again.stderr, /allow-changed-data/);

  // a run from before fingerprints (no data.json) is not checked
  rmSync(join(run, 'data.json'));
  assert.equal(dlx(['eval', run], { cwd: dir }).code, 0);
});

test('a built-in dataset records its identity and its shipped file', () => {
  const runs = tempDir();
  const r = dlx(['train', join(root, 'configs/quickstart.yaml'), '--runs-dir', runs, '--quiet', '--set', 'train.epochs=1']);
  assert.equal(r.code, 0, r.stderr);
  const data = json(join(onlyRun(runs, 'quickstart'), 'data.json'));
  assert.deepEqual(data.dataset, { type: 'iris' });
  assert.deepEqual(data.files, [{ path: join(root, 'datasets/iris.csv'), bytes: statSync(join(root, 'datasets/iris.csv')).size, sha256: sha256(join(root, 'datasets/iris.csv')) }]);
});

test('resume refuses a run whose data changed while it was stopped', async () => {
  const dir = tempDir();
  const spec = csvSpec(dir, twoClassCsv(200));
  writeFileSync(spec, readFileSync(spec, 'utf8').replace('epochs: 2, batchSize: 16', 'epochs: 5000, batchSize: 4'));
  // killed after its second epoch line: a run to resume
  const child = spawn(process.execPath, [join(root, 'bin/dlx.js'), 'train', spec, '--json'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
    if (out.split('\n').length > 2) child.kill('SIGKILL');
  });
  await new Promise((resolve) => child.on('close', resolve));
  const run = onlyRun(join(dir, 'runs'), 'tab');
  appendFileSync(join(dir, 'data.csv'), '2.5,0.6,1\n');
  const r = dlx(['resume', run], { cwd: dir });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /the data differs from the data the run used: .*data\.csv: changed since the run read it/);
  assert.equal(json(join(run, 'metrics.json')).status, 'running', 'the folder is left as it was');
});
