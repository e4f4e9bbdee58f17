// dlx train, eval and runs end to end in temporary folders.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultBackendName } from '../src/engine/backends.js';
import { configureNative } from '../src/engine/native/addon.js';
import { dlx, gitHead, root, tempDir } from './helpers.js';

configureNative({ hidden: process.env.DLX_NATIVE === '0' });

const quickstart = join(root, 'configs/quickstart.yaml');
const digits = join(root, 'configs/digits.yaml');

function onlyRun(runsDir: string, name: string): string {
  const folders = readdirSync(join(runsDir, name));
  assert.equal(folders.length, 1, `one run folder, found ${folders.join(', ')}`);
  assert.match(folders[0], /^\d{8}-\d{6}-[0-9a-f]{6}$/);
  return join(runsDir, name, folders[0]);
}

const withoutSeconds = (csv: string) => csv.trim().split('\n').map((l) => l.split(',').slice(0, -2).join(','));

test('train writes the whole run folder, and eval reproduces its final validation metrics exactly', () => {
  const runs = tempDir();
  const r = dlx(['train', quickstart, '--runs-dir', runs, '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  const run = onlyRun(runs, 'quickstart');
  assert.deepEqual(readdirSync(run).sort(), ['checkpoints', 'curve.csv', 'data.json', 'env.json', 'metrics.json', 'overrides.json', 'plots', 'preprocessing.json', 'resolved.json', 'spec.yaml']);
  assert.deepEqual(readdirSync(join(run, 'checkpoints')).sort(), ['best.safetensors', 'last.safetensors']);
  assert.equal(readFileSync(join(run, 'spec.yaml'), 'utf8'), readFileSync(quickstart, 'utf8'));
  const curve = readFileSync(join(run, 'curve.csv'), 'utf8').trim().split('\n');
  assert.equal(curve[0], 'epoch,lr,train_loss,penalty,train_acc,val_loss,val_acc,train_seconds,seconds');
  assert.equal(curve.length, 31);
  const metrics = JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8'));
  assert.equal(metrics.status, 'finished');
  assert.ok(metrics.final.val_acc > 0.85, `quick-start reaches > 85% on iris, got ${metrics.final.val_acc}`);
  const pre = JSON.parse(readFileSync(join(run, 'preprocessing.json'), 'utf8'));
  assert.equal(pre.steps[0].config.type, 'zscore');
  assert.equal(pre.steps[0].state.mean.length, 4);
  const env = JSON.parse(readFileSync(join(run, 'env.json'), 'utf8'));
  // the default backend: native where its build loads, wasm otherwise
  assert.equal(env.backend, defaultBackendName());
  assert.equal(env.threads, Math.min(availableParallelism(), 8));
  assert.ok((env.backend === 'native' ? ['avx512', 'avx2', 'neon', 'generic'] : ['relaxed-simd', 'simd']).includes(env.kernels), env.kernels);
  assert.equal(env.node, process.version);
  // the working folder's commit (git runs beside the build; null outside a repository)
  const head = gitHead();
  assert.equal(env.gitCommit, head);

  const ev = dlx(['eval', run, '--json']);
  assert.equal(ev.code, 0, ev.stderr);
  const result = JSON.parse(ev.stdout);
  assert.equal(result.loss, metrics.final.val_loss);
  assert.equal(result.accuracy, metrics.final.val_acc);
  assert.equal(result.count, 30);
  assert.equal(result.epoch, 30);

  const best = JSON.parse(dlx(['eval', join(run, 'checkpoints/best.safetensors'), '--json']).stdout);
  assert.equal(best.loss, metrics.best.val_loss);

  const text = dlx(['eval', run]);
  assert.match(text.stdout, /on val: 30 rows\nloss \d\.\d{4}  accuracy \d+\.\d\d%  top-3 accuracy \d+\.\d\d%\n/);
  assert.match(text.stdout, /class {7}precision  recall  f1 {6}support\n/);
  assert.match(text.stdout, /confusion matrix \(rows: true class, columns: predicted\)\n {12}setosa  versicolor  virginica\n/);
  const detailed = JSON.parse(ev.stdout);
  assert.equal(detailed.confusion.flat().reduce((a: number, b: number) => a + b, 0), 30);
  assert.deepEqual(detailed.perClass.map((c: { support: number }) => c.support), [10, 10, 10]);
  assert.equal(detailed.topK.k, 3, 'top-k is capped at the class count');

  const listed = dlx(['runs', runs]);
  assert.equal(listed.code, 0);
  assert.match(listed.stdout, /quickstart\s+\d{8}-\d{6}-[0-9a-f]{6}\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+finished\s+30/);
  assert.deepEqual(JSON.parse(dlx(['runs', runs, '--json']).stdout).map((x: { status: string }) => x.status), ['finished']);
});

/** The tensor bytes of a run's last checkpoint, without the header (whose metadata names the run). */
function tensorBytes(run: string): Buffer {
  const bytes = readFileSync(join(run, 'checkpoints/last.safetensors'));
  return bytes.subarray(8 + Number(bytes.readBigUInt64LE(0)));
}

test('the same spec and seed give bit-identical curves and checkpoints', () => {
  const runs = tempDir();
  for (const name of ['a', 'b']) {
    const r = dlx(['train', quickstart, '--runs-dir', runs, '--name', name, '--quiet', '--set', 'train.epochs=5']);
    assert.equal(r.code, 0, r.stderr);
  }
  const [a, b] = [onlyRun(runs, 'a'), onlyRun(runs, 'b')];
  assert.deepEqual(withoutSeconds(readFileSync(join(a, 'curve.csv'), 'utf8')), withoutSeconds(readFileSync(join(b, 'curve.csv'), 'utf8')));
  // the metadata holds the resolved spec, whose name differs; the tensors must not
  const tensors = tensorBytes;
  assert.ok(tensors(a).equals(tensors(b)));
  const other = dlx(['train', quickstart, '--runs-dir', runs, '--name', 'c', '--quiet', '--set', 'train.epochs=5', '--seed', '7']);
  assert.equal(other.code, 0);
  assert.ok(!tensors(onlyRun(runs, 'c')).equals(tensors(a)));
});

test('1 and 2 threads give bit-identical curves and checkpoints; the reference backend is selectable', () => {
  const runs = tempDir();
  // 128×64 · 64×512 products: large enough to be split across threads
  const sets = ['--set', 'train.epochs=2', '--set', 'train.batchSize=128', '--set', 'model.layers.1.units=512', '--set', 'data.augment=[]'];
  for (const [name, threads] of [['one', '1'], ['two', '2']]) {
    const r = dlx(['train', digits, '--runs-dir', runs, '--name', name, '--quiet', '--threads', threads, ...sets]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(readFileSync(join(onlyRun(runs, name), 'env.json'), 'utf8')).threads, Number(threads));
  }
  const [one, two] = [onlyRun(runs, 'one'), onlyRun(runs, 'two')];
  assert.deepEqual(withoutSeconds(readFileSync(join(two, 'curve.csv'), 'utf8')), withoutSeconds(readFileSync(join(one, 'curve.csv'), 'utf8')));
  assert.ok(tensorBytes(two).equals(tensorBytes(one)));
  const ref = dlx(['train', digits, '--runs-dir', runs, '--name', 'ref', '--quiet', '--backend', 'reference', ...sets]);
  assert.equal(ref.code, 0, ref.stderr);
  const env = JSON.parse(readFileSync(join(onlyRun(runs, 'ref'), 'env.json'), 'utf8'));
  assert.deepEqual([env.backend, env.threads, env.kernels], ['reference', 1, 'typescript']);
  // eval runs on the run's own backend by default, so it reproduces the run's metrics exactly
  const refRun = onlyRun(runs, 'ref');
  const ev = JSON.parse(dlx(['eval', refRun, '--json']).stdout);
  assert.equal(ev.loss, JSON.parse(readFileSync(join(refRun, 'metrics.json'), 'utf8')).final.val_loss);
  const bad = dlx(['train', digits, '--runs-dir', runs, '--threads', '0']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--threads 0: expected a whole number ≥ 1/);
});

test('mse and binary cross-entropy train from a spec; a loss with the wrong output is a spec error', () => {
  const runs = tempDir();
  for (const [loss, output] of [['mse', 'linear'], ['binary-cross-entropy', 'sigmoid']]) {
    const r = dlx(['train', quickstart, '--runs-dir', runs, '--name', loss, '--quiet', '--set', `loss=${loss}`, '--set', `model.output=${output}`, '--set', 'train.epochs=40']);
    assert.equal(r.code, 0, r.stderr);
    const metrics = JSON.parse(readFileSync(join(onlyRun(runs, loss), 'metrics.json'), 'utf8'));
    assert.ok(metrics.final.val_acc > 0.8, `${loss}: val_acc ${metrics.final.val_acc}`);
    const ev = JSON.parse(dlx(['eval', onlyRun(runs, loss), '--json']).stdout);
    assert.equal(ev.loss, metrics.final.val_loss);
  }
  const bad = dlx(['train', quickstart, '--runs-dir', runs, '--set', 'loss=mse']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /model\.output: loss 'mse' needs output 'linear', found 'softmax'/);
});

test('pre-defined sparsity from a spec: reported density and weights, masked weights stay 0 through training', () => {
  const runs = tempDir();
  const r = dlx(['train', digits, '--runs-dir', runs, '--name', 'sparse', '--set', 'train.epochs=3', '--set', 'model.layers.1.sparsity={fanOut: 16}']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /dense +\[64\] +1088 \(25\.0 % dense\)/); // 64·16 weights + 64 biases
  const run = onlyRun(runs, 'sparse');
  const metrics = JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8'));
  assert.deepEqual(metrics.sparsity, [{ layer: 1, density: 0.25, weights: 1024 }]);
  const bytes = readFileSync(join(run, 'checkpoints/last.safetensors'));
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
  const tensor = (name: string) => {
    const [from, to] = header[name].data_offsets;
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset + 8 + headerLength + from, bytes.byteOffset + 8 + headerLength + to));
  };
  const [weight, mask] = [tensor('model.layers.1.weight'), tensor('model.layers.1.mask')];
  assert.equal(mask.reduce((a, b) => a + b, 0), 1024);
  assert.ok(weight.every((w, i) => mask[i] === 1 || w === 0), 'masked weights are exactly 0');
  assert.ok(weight.filter((w, i) => mask[i] === 1 && w !== 0).length > 1000, 'kept weights trained');
  const ev = JSON.parse(dlx(['eval', run, '--json']).stdout);
  assert.equal(ev.loss, metrics.final.val_loss);
});

test('--set, --seed and --name are applied, validated and recorded in overrides.json', () => {
  const runs = tempDir();
  const r = dlx(['train', quickstart, '--runs-dir', runs, '--quiet', '--name', 'tuned', '--seed', '3',
    '--set', 'optimizer.lr=0.05', '--set', 'train.epochs=2', '--set', 'data.normalize=[minmax]']);
  assert.equal(r.code, 0, r.stderr);
  const run = onlyRun(runs, 'tuned');
  assert.deepEqual(JSON.parse(readFileSync(join(run, 'overrides.json'), 'utf8')), {
    'optimizer.lr': 0.05, 'train.epochs': 2, 'data.normalize': ['minmax'], name: 'tuned', seed: 3,
  });
  const resolved = JSON.parse(readFileSync(join(run, 'resolved.json'), 'utf8'));
  assert.equal(resolved.optimizer.lr, 0.05);
  assert.equal(resolved.seed, 3);
  assert.deepEqual(resolved.data.normalize, [{ type: 'minmax' }]);
  assert.equal(readFileSync(join(run, 'curve.csv'), 'utf8').trim().split('\n').length, 3);
  assert.match(readFileSync(join(run, 'curve.csv'), 'utf8'), /\n1,0\.05,/);
});

test('a name that would leave the runs directory is refused, and nothing is written', () => {
  const runs = join(tempDir(), 'runs');
  for (const name of ['../evil', '/abs', 'a/b', '..', '.hidden']) {
    const r = dlx(['train', quickstart, '--runs-dir', runs, '--name', name]);
    assert.equal(r.code, 2, name);
    assert.equal(r.stderr, `error --set name=${name}: name: expected a plain name of letters, digits, '.', '_' and '-' that does not start with '.' (no '/', '\\' or '..'), found '${name}'\n`);
  }
  const dir = tempDir();
  writeFileSync(join(dir, 'spec.yaml'), readFileSync(quickstart, 'utf8').replace('name: quickstart', 'name: ../../etc'));
  const r = dlx(['train', 'spec.yaml', '--runs-dir', runs], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error spec\.yaml:3:7: name: expected a plain name/);
  assert.equal(existsSync(runs), false);
});

test('a run that fails before its first epoch leaves nothing in runs/', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'wrong-units.yaml'), readFileSync(quickstart, 'utf8').replace('units: 3', 'units: 5'));
  const r = dlx(['train', 'wrong-units.yaml'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.equal(r.stderr, "error wrong-units.yaml: model.layers: layer 3 (dense) gives shape [5], but the dataset has 3 classes; the labels found are 'setosa' (50), 'versicolor' (50), 'virginica' (50): make the last layer a dense layer with units: 3\n");
  assert.equal(existsSync(join(dir, 'runs')), false);
});

test('a diverging run stops with exit 4 and names the epoch, batch and learning rate', () => {
  const runs = tempDir();
  const r = dlx(['train', quickstart, '--runs-dir', runs, '--quiet', '--set', 'optimizer.lr=1e30', '--set', 'train.epochs=3']);
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /^error training diverged: the loss became (NaN|Infinity) in epoch 1, batch \d+ of 8, at learning rate 1e\+30\n$/);
  assert.deepEqual(readdirSync(runs).filter((f) => !f.startsWith('.')), [], 'no epoch finished, so no run folder');
});

test('progress: plain lines off a terminal, --quiet, --json', () => {
  const runs = tempDir();
  const plain = dlx(['train', quickstart, '--runs-dir', runs, '--set', 'train.epochs=3']);
  assert.equal(plain.code, 0, plain.stderr);
  const lines = plain.stdout.trim().split('\n');
  assert.match(lines[0], /^run folder .*quickstart/);
  assert.deepEqual(lines.filter((l) => l.startsWith('epoch ')).map((l) => l.split('  ')[0]), ['epoch 1/3', 'epoch 2/3', 'epoch 3/3']);
  assert.match(plain.stdout, /total parameters 131; (wasm backend \((relaxed-simd|simd)|native backend \((avx512|avx2|neon|generic)) kernels\), \d+ threads?/);
  assert.doesNotMatch(plain.stdout, /\x1b\[/, 'no colour off a terminal');

  const quiet = dlx(['train', quickstart, '--runs-dir', runs, '--set', 'train.epochs=3', '--quiet']);
  const q = quiet.stdout.trim().split('\n');
  assert.equal(q.length, 2);
  assert.match(q[0], /^done /);
  assert.match(q[1], /^final epoch 3: val_loss \d\.\d{4} val_acc [\d.]+%; best epoch \d: /);

  const json = dlx(['train', quickstart, '--runs-dir', runs, '--set', 'train.epochs=3', '--json']);
  const events = json.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(events.map((e) => e.event), ['epoch', 'epoch', 'epoch', 'done']);
  assert.deepEqual(Object.keys(events[0]), ['event', 'epoch', 'lr', 'train_loss', 'penalty', 'train_acc', 'val_loss', 'val_acc', 'train_seconds', 'seconds', 'best']);
  assert.equal(events[3].final.epoch, 3);
});

test('eval: a missing run is exit 3, a bad split exit 2, an absent test split exit 3', () => {
  const missing = dlx(['eval', '/nonexistent/run']);
  assert.equal(missing.code, 3);
  assert.equal(missing.stderr, 'error /nonexistent/run: no such run folder or checkpoint\n');
  const runs = tempDir();
  dlx(['train', quickstart, '--runs-dir', runs, '--quiet', '--set', 'train.epochs=1']);
  const run = onlyRun(runs, 'quickstart');
  const badSplit = dlx(['eval', run, '--split', 'tset']);
  assert.equal(badSplit.code, 2);
  assert.equal(badSplit.stderr, 'error --split tset: expected train, val or test\n');
  const noTest = dlx(['eval', run, '--split', 'test']);
  assert.equal(noTest.code, 3);
  assert.equal(noTest.stderr, `error ${run}: this run has no test split (its dataset has no official test set and data.split.test is 0)\n`);
  const withTest = dlx(['train', quickstart, '--runs-dir', runs, '--name', 'tested', '--quiet', '--set', 'train.epochs=1', '--set', 'data.split.test=0.2']);
  assert.equal(withTest.code, 0);
  const t = JSON.parse(dlx(['eval', onlyRun(runs, 'tested'), '--split', 'test', '--json']).stdout);
  assert.equal(t.count, 30);
  assert.equal(t.split, 'test');
});

test('every command has --help with an example; datasets list and schema work', () => {
  for (const command of [['train'], ['validate'], ['eval'], ['predict'], ['resume'], ['reproduce'], ['runs'], ['compare'], ['schema'], ['datasets', 'list']]) {
    const r = dlx([...command, '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Example:\n  dlx /, command.join(' '));
  }
  const list = dlx(['datasets', 'list', '--json']);
  const iris = JSON.parse(list.stdout).find((d: { name: string }) => d.name === 'iris');
  assert.equal(iris.present, true);
  const schema = JSON.parse(dlx(['schema']).stdout);
  assert.deepEqual(schema.required, ['data', 'model']);
  assert.equal(schema.additionalProperties, false);
  assert.deepEqual(schema.properties.optimizer.anyOf[0], { type: 'string', enum: ['sgd', 'adagrad', 'adadelta', 'rmsprop', 'adam', 'adamax', 'nadam'] });
  assert.deepEqual(schema.properties.schedule.anyOf[0], { type: 'string', enum: ['constant'] });
});

