import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateValue } from '../../config/load.js';
import { checkJob, resultSchema, workerMessageSchema } from './messages.js';

const spec = validateValue({ name: 'm', data: { dataset: 'iris' }, model: { layers: [{ type: 'dense', units: 3 }] }, optimizer: { type: 'sgd', lr: 0.1 }, train: { epochs: 1 } });
assert.ok(spec.ok);
const good = { v: 1, sweep: 'dlx.m.sweep-1', trial: 3, attempt: 0, folds: [{ spec: spec.resolved }], backend: 'wasm', ask: true, writeEvery: 1, argv: ['sweep'], data: [], builtin: [], enqueuedAt: 1 };
const sha = 'a'.repeat(64);
const csv = (path: string) => ({ ...spec.resolved, data: { ...spec.resolved.data, dataset: { type: 'csv', path, target: 'y' } } });

test('a well-formed job passes, its spec resolved by the spec schema', () => {
  const r = checkJob(good, 'dlx.m.sweep-1');
  assert.ok(r.ok);
  assert.deepEqual(r.value.specs[0], spec.resolved);
  const withData = { ...good, folds: [{ spec: csv(`${sha}.csv`) }], data: [{ name: `${sha}.csv`, sha256: sha, bytes: 10 }] };
  assert.ok(checkJob(withData, 'dlx.m.sweep-1').ok);
});

test('hostile jobs are refused with a reason', () => {
  const refused = (data: unknown, why: RegExp) => {
    const r = checkJob(data, 'dlx.m.sweep-1');
    assert.ok(!r.ok, JSON.stringify(data).slice(0, 200));
    assert.match(r.reason, why);
  };
  refused({ ...good, shell: 'rm -rf /' }, /shell|Unrecognized/i);
  refused({ ...good, sweep: 'dlx.other.sweep-2' }, /came from queue/);
  refused({ ...good, folds: [{ spec: csv('/etc/passwd') }] }, /is a path/);
  refused({ ...good, folds: [{ spec: csv('../../x.csv') }] }, /is a path/);
  refused({ ...good, folds: [{ spec: csv(`${sha}.csv`) }] }, /is a path/); // not sent with the job
  refused({ ...good, data: [{ name: `${sha}.csv`, sha256: sha, bytes: 1e12 }] }, /data/);
  refused({ ...good, argv: Array.from({ length: 1200 }, () => 'x'.repeat(999)) }, /characters/);
  refused({ ...good, trial: -1 }, /trial/);
  refused({ ...good, folds: [{ spec: { ...spec.resolved, optimizer: { type: 'sgd', lr: -1 } } }] }, /folds\.0\.spec/);
  refused('not an object', /expected object/i);
});

test('worker messages and results are checked too: a result names its bundle by delivery and digest only', () => {
  assert.ok(workerMessageSchema.safeParse({ type: 'epoch', record: { epoch: 1, lr: 0.1, train_loss: null, penalty: 0, train_acc: 1, val_loss: 1, val_acc: 1, train_seconds: 0, seconds: 0 } }).success);
  const done = { kind: 'done', host: 'h', finishedAt: 0, delivery: '0f3c-9a:12', bytes: 10, sha256: sha };
  assert.ok(resultSchema.safeParse(done).success);
  for (const delivery of ['../x', 'a b', '*', 'dlx:blob:*', '']) assert.ok(!resultSchema.safeParse({ ...done, delivery }).success, delivery);
  assert.ok(!resultSchema.safeParse({ ...done, key: 'dlx:sweeps' }).success, 'no other key');
  assert.ok(!resultSchema.safeParse({ ...done, bytes: 1e12 }).success, 'no absurd size');
});
