// Spec problems in dlx's words: Keras/PyTorch habits get advice, and no raw zod text
// ("Invalid input", "received …") reaches a user whatever value stands at whatever key.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SpecError } from '../common/errors.js';
import { root } from '../../test/helpers.js';
import { parseSpec } from './load.js';

function problems(text: string): string[] {
  try {
    parseSpec('s.yaml', text);
  } catch (e) {
    if (e instanceof SpecError) return e.problems;
    throw e;
  }
  return [];
}

const good = 'data: {dataset: iris}\nmodel: {layers: [{type: dense, units: 3}]}\n';

test('habits from Keras and PyTorch get the dlx name or advice', () => {
  const cases: [string, string][] = [
    ['optimizer: {type: sgd, learning_rate: 0.1}', "optimizer.learning_rate: unknown key 'learning_rate' (did you mean 'lr'?)"],
    ['optimizer: {type: adam, learningRate: 0.1}', "optimizer.learningRate: unknown key 'learningRate' (did you mean 'lr'?)"],
    ['optimizer: {type: adam, lerningRate: 0.1}', "optimizer.lerningRate: unknown key 'lerningRate' (did you mean 'lr'?)"],
    ['train: {batch_size: 8}', "train.batch_size: unknown key 'batch_size' (did you mean 'batchSize'?)"],
    ['epochs: 3', "epochs: unknown key 'epochs': it goes under 'train', as train.epochs"],
    ['batch_size: 3', "batch_size: unknown key 'batch_size': it goes under 'train', as train.batchSize"],
    ['train: {earlyStopping: {restore_best_weights: true}}', "train.earlyStopping.restore_best_weights: unknown key 'restore_best_weights' (did you mean 'restoreBest'?)"],
    ['schedule: {type: cosine, period: 3}', "schedule.type: unknown type 'cosine' (did you mean 'cosine-restarts'?): expected one of constant, exponential, step, inverse-time, triangular, triangular2, cosine-restarts"],
  ];
  for (const [line, message] of cases) {
    const found = problems(good + line + '\n');
    assert.equal(found.length, 1, found.join('\n'));
    assert.equal(found[0].replace(/^s\.yaml:\d+:\d+: /, ''), message);
  }
});

test('layer options from other frameworks: kernel_size, activation, dropout rate', () => {
  const found = problems(`data: {dataset: iris}
model:
  layers:
    - {type: conv2d, filters: 4, kernel_size: 3}
    - {type: dense, units: 8, activation: tanh}
    - {type: dropout, rate: 0.3}
    - {type: dropout, p: 0.25}
`);
  assert.deepEqual(found, [
    "s.yaml:4:34: model.layers.0.kernel_size: unknown key 'kernel_size' (did you mean 'kernel'?)",
    "s.yaml:5:31: model.layers.1.activation: unknown key 'activation': activations are layers: add '- tanh' after it",
    "s.yaml:6:23: model.layers.2.rate: unknown key 'rate': dlx's dropout takes the keep probability, and keep is 1 − rate: keep: 0.7",
    "s.yaml:7:23: model.layers.3.p: unknown key 'p': dlx's dropout takes the keep probability, and keep is 1 − rate: keep: 0.75",
  ]);
});

test('path and target directly under data point to data.dataset', () => {
  assert.deepEqual(problems('data: {path: a.csv, target: y}\nmodel: {layers: [{type: dense, units: 3}]}\n'), [
    "s.yaml:1:7: data.dataset: missing required key 'dataset'",
    "s.yaml:1:8: data.path: unknown key 'path': dataset options go under 'data.dataset', as data: {dataset: {type: csv, path: …, target: …}}",
    "s.yaml:1:21: data.target: unknown key 'target': dataset options go under 'data.dataset', as data: {dataset: {type: csv, path: …, target: …}}",
  ]);
});

test('a union key (string or column index) missing or wrong says so in plain words', () => {
  assert.deepEqual(problems('data: {dataset: {type: csv, path: a.csv}}\nmodel: {layers: [{type: dense, units: 3}]}\n'), [
    "s.yaml:1:17: data.dataset.target: missing required key 'target'",
  ]);
  assert.deepEqual(problems('data: {dataset: {type: csv, path: a.csv, target: [1]}}\nmodel: {layers: [{type: dense, units: 3}]}\n'), [
    's.yaml:1:50: data.dataset.target: expected a string or a number, found a list',
  ]);
});

// Every key of every example spec, replaced by each kind of wrong value or removed.
const wrongValues: unknown[] = [undefined, null, 'x', -1, 1.5, 1e400, [], [1, 'a'], {}, { type: 'zzz' }, { type: 'dense' }, true];
const raw = /Invalid|received|expected (undefined|never|unknown|nan|NaN|object|array)\b|found found|\[object/;

function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

function replaced(spec: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(spec) as Record<string | number, unknown>;
  let node = copy;
  path.slice(0, -1).forEach((k) => { node = node[k] as Record<string | number, unknown>; });
  const last = path[path.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

test('no raw zod text for any wrong value at any key of the example specs', () => {
  const files = readdirSync(join(root, 'configs')).filter((f) => f.endsWith('.yaml'));
  let checked = 0;
  const seen = new Set<string>();
  for (const f of files) {
    const resolved = parseSpec(f, readFileSync(join(root, 'configs', f), 'utf8'), [], { sweep: 'allow' }).resolved;
    for (const path of paths(resolved).filter((p) => p.length > 0)) {
      // each key of each component type once: the specs share most keys
      const parent = path.slice(0, -1).reduce<unknown>((n, k) => (n as Record<string | number, unknown>)[k], resolved);
      const signature = `${path.map((k) => (typeof k === 'number' ? '#' : k)).join('.')}@${String((parent as { type?: unknown }).type)}`;
      if (seen.has(signature)) continue;
      seen.add(signature);
      for (const value of wrongValues) {
        for (const p of problems(JSON.stringify(replaced(resolved, path, value)))) {
          checked++;
          assert.doesNotMatch(p, raw, `${f} ${path.join('.')} = ${JSON.stringify(value)}`);
          assert.match(p, /: (expected|unknown|missing|give|dataset options|activations)/, p);
        }
      }
    }
  }
  assert.ok(checked > 500, `${checked} messages checked`);
});
