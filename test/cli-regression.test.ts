// Regression end to end on the shipped diabetes data: standardized targets, MAE/RMSE/R² in
// curve.csv, metrics.json, eval and predict (in the target's units), early stopping on val_r2,
// and a test R² within 0.03 of scikit-learn's peers on the same split (bench/diabetes_sklearn.py).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dlx, root, tempDir } from './helpers.js';

/** bench/diabetes_sklearn.py's output here (scikit-learn 1.x, Debian): test R² on rows 289–376. */
const sklearn = { linear_r2: 0.45535926847746644, mlp_r2: 0.4461240007918289 };

const dir = tempDir();
const runs = join(dir, 'runs');
const trained = dlx(['train', join(root, 'configs/diabetes-regression.yaml'), '--runs-dir', runs, '--quiet']);
const run = trained.code === 0 ? join(runs, 'diabetes-regression', readdirSync(join(runs, 'diabetes-regression'))[0]) : '';
const metrics = () => JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8'));

test('the example regression spec trains; curve.csv has MAE, RMSE and R² and no accuracy', () => {
  assert.equal(trained.code, 0, trained.stderr);
  const [header, first] = readFileSync(join(run, 'curve.csv'), 'utf8').split('\n');
  assert.equal(header, 'epoch,lr,train_loss,penalty,val_loss,val_mae,val_rmse,val_r2,train_seconds,seconds');
  const cells = first.split(',').map(Number);
  assert.ok(cells[5] > 10 && cells[5] < 200, `val_mae ${cells[5]} is in the target's units (progression 25–346)`);
  assert.ok(cells[6] >= cells[5], 'rmse ≥ mae');
  const m = metrics();
  assert.equal(m.best.monitor, 'val_r2');
  assert.equal(m.best.value, m.best.val_r2);
  assert.equal(m.restoredBest, m.best.epoch, 'early stopping on val_r2 restored its best epoch');
  const pre = JSON.parse(readFileSync(join(run, 'preprocessing.json'), 'utf8'));
  assert.equal(pre.target.name, 'progression');
  assert.ok(pre.target.mean > 100 && pre.target.mean < 200 && pre.target.std > 50, JSON.stringify(pre.target));
});

test("test R² is within 0.03 of scikit-learn's LinearRegression and MLPRegressor on the same split", () => {
  const r2 = metrics().test.r2;
  assert.ok(Math.abs(r2 - sklearn.linear_r2) <= 0.03, `dlx ${r2} vs LinearRegression ${sklearn.linear_r2}`);
  assert.ok(Math.abs(r2 - sklearn.mlp_r2) <= 0.03, `dlx ${r2} vs MLPRegressor ${sklearn.mlp_r2}`);
  // where scikit-learn is installed, the recorded peer numbers are checked against a fresh run
  const peer = spawnSync('/usr/bin/python3', [join(root, 'bench/diabetes_sklearn.py')], { encoding: 'utf8' });
  if (peer.status === 0) {
    const fresh = JSON.parse(peer.stdout);
    assert.ok(Math.abs(fresh.linear_r2 - sklearn.linear_r2) < 1e-9);
    assert.ok(Math.abs(fresh.mlp_r2 - sklearn.mlp_r2) < 0.01);
  }
});

test('eval reports the same test metrics; predict gives values in the target units that match them', () => {
  const e = dlx(['eval', run, '--split', 'test', '--json']);
  assert.equal(e.code, 0, e.stderr);
  const r = JSON.parse(e.stdout);
  const m = metrics().test;
  assert.equal(r.target, 'progression');
  assert.deepEqual([r.mae, r.rmse, r.r2, r.count], [m.mae, m.rmse, m.r2, m.count]);
  const text = dlx(['eval', run, '--split', 'test']).stdout;
  assert.match(text, /progression: mae \d+\.\d+ {2}rmse \d+\.\d+ {2}r2 0\.\d{4}/);

  // the test rows (file rows 289–376) without their target, as new data
  const lines = readFileSync(join(root, 'datasets/diabetes.csv'), 'utf8').trim().split('\n');
  const rows = lines.slice(289, 377).map((l) => l.split(','));
  const input = join(dir, 'patients.csv');
  writeFileSync(input, [lines[0].split(',').slice(0, -1).join(','), ...rows.map((c) => c.slice(0, -1).join(','))].join('\n') + '\n');
  const p = dlx(['predict', run, input]);
  assert.equal(p.code, 0, p.stderr);
  const [header, ...out] = p.stdout.trim().split('\n');
  assert.equal(header, 'predicted');
  const mae = out.reduce((s, v, i) => s + Math.abs(Number(v) - Number(rows[i][10])), 0) / out.length;
  assert.ok(Math.abs(mae - m.mae) < 1e-3 * m.mae, `predict's MAE ${mae} vs eval's ${m.mae}`);
});

test('a regression run reproduces, its curve read back by its header', () => {
  const r = dlx(['reproduce', run]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /bit-identical/);
});

test('a CSV regression target that is not a number, and a classification monitor, are refused clearly', () => {
  writeFileSync(join(dir, 'y.csv'), 'a,b,y\n1,2,3.5\n2,3,x4\n3,1,2\n4,4,1\n');
  writeFileSync(join(dir, 'bad.yaml'), 'data: {dataset: {type: csv, path: y.csv, target: y, task: regression}, split: {val: 1}}\nmodel: {layers: [{type: dense, units: 1}]}\nloss: mse\n');
  const bad = dlx(['train', 'bad.yaml', '--runs-dir', runs], { cwd: dir });
  assert.equal(bad.code, 3);
  assert.equal(bad.stderr, `error y.csv:3: the target 'y' is 'x4', not a number (a regression target must be numeric)\n`);
  writeFileSync(join(dir, 'acc.yaml'), 'data: {dataset: diabetes}\nmodel: {layers: [{type: dense, units: 1}]}\nloss: mse\ntrain: {earlyStopping: {monitor: val_acc}}\n');
  const acc = dlx(['validate', 'acc.yaml'], { cwd: dir });
  assert.equal(acc.code, 2);
  assert.equal(acc.stderr, "error acc.yaml: train.earlyStopping.monitor: 'val_acc' is not computed for a regression target: use val_loss, train_loss, val_mae, val_rmse or val_r2\n");
  writeFileSync(join(dir, 'ce.yaml'), 'data: {dataset: diabetes}\nmodel: {layers: [{type: dense, units: 1}]}\n');
  const ce = dlx(['validate', 'ce.yaml'], { cwd: dir });
  assert.equal(ce.code, 2);
  assert.equal(ce.stderr, "error ce.yaml:1:1: loss: 'cross-entropy' is for classes; a regression target needs 'mse', 'mae', 'huber'\n");
});

test('cross-validating a regression summarizes MAE, RMSE and R² over the folds, not an accuracy', () => {
  const cvRuns = join(dir, 'cv-runs');
  const r = dlx(['train', join(root, 'configs/diabetes-regression.yaml'), '--runs-dir', cvRuns, '--folds', '3', '--set', 'train.epochs=2', '--no-plots']);
  assert.equal(r.code, 0, r.stderr);
  const summary = r.stdout.split('\n').find((l) => l.startsWith('3-fold cross-validation'))!;
  assert.match(summary, /val_loss [\d.]+ ± [\d.]+, val_mae [\d.]+ ± [\d.]+, val_rmse [\d.]+ ± [\d.]+, val_r2 -?[\d.]+ ± [\d.]+$/);
  assert.doesNotMatch(r.stdout, /NaN|val_acc/);
  const cvDir = join(cvRuns, 'diabetes-regression', readdirSync(join(cvRuns, 'diabetes-regression'))[0]);
  const cv = JSON.parse(readFileSync(join(cvDir, 'cv.json'), 'utf8'));
  assert.equal(cv.val_acc, undefined);
  assert.equal(cv.val_r2.values.length, 3);
  const folds = cv.folds.map((f: { best: { val_r2: number } }) => f.best.val_r2);
  assert.deepEqual(cv.val_r2.values, folds);
  assert.ok(Math.abs(cv.val_r2.mean - folds.reduce((a: number, b: number) => a + b, 0) / 3) < 1e-12);
});

test('dlx runs shows a regression run with its R², without accuracy columns', () => {
  const r = dlx(['runs', runs]);
  assert.equal(r.code, 0, r.stderr);
  const [header, , row] = r.stdout.split('\n');
  assert.match(header, /val_loss@best +val_r2@best +test_loss +test_r2$/);
  assert.doesNotMatch(header, /acc/);
  const cells = row.trim().split(/ {2,}/);
  assert.equal(Number(cells[cells.length - 1]), Number(metrics().test.r2.toFixed(4)));
  assert.equal(Number(cells[cells.length - 3]), Number(metrics().best.val_r2.toFixed(4)));
});
