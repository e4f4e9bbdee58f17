// dlx validate on good and bad specs: exact messages and exit codes.
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dlx, root, tempDir } from './helpers.js';

const dir = tempDir();
function spec(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const good = `name: ok
data: {dataset: iris}
model:
  layers: [{type: dense, units: 3}]
optimizer: {type: sgd, lr: 0.1}
`;

test('every spec in configs/ validates', () => {
  const specs = readdirSync(join(root, 'configs')).filter((f) => f.endsWith('.yaml')).map((f) => join('configs', f));
  const r = dlx(['validate', ...specs]);
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
  assert.equal(r.stdout, specs.map((s) => `ok ${s}\n`).join(''));
});

const bad: [string, string, string[]][] = [
  ['unknown-key.yaml', good.replace('lr: 0.1', 'lrr: 0.1'), ["unknown-key.yaml:5:24: optimizer.lrr: unknown key 'lrr' (did you mean 'lr'?)"]],
  ['wrong-type.yaml', good.replace('units: 3', 'units: three'), ["wrong-type.yaml:4:33: model.layers.0.units: expected a number, found 'three'"]],
  ['negative-lr.yaml', good.replace('lr: 0.1', 'lr: -0.1'), ['negative-lr.yaml:5:28: optimizer.lr: expected a number > 0, found -0.1']],
  ['unknown-optimizer.yaml', good.replace('type: sgd', 'type: sgdd'), ["unknown-optimizer.yaml:5:19: optimizer.type: unknown type 'sgdd' (did you mean 'sgd'?): expected one of sgd, adagrad, adadelta, rmsprop, adam, adamax, nadam"]],
  ['shorthand.yaml', good.replace('{type: dense, units: 3}', '{type: dense, units: 3}, relux'), ["shorthand.yaml:4:37: model.layers.1: unknown type 'relux' (did you mean 'relu'?): expected one of dense, conv2d, maxpool2d, avgpool2d, flatten, dropout, batchnorm, maxout, relu, leaky-relu, elu, sigmoid, tanh, linear, softmax"]],
  ['broken.yaml', 'name: x\ndata: {dataset: iris\nmodel: 3\n', ['broken.yaml:3:1: YAML syntax: Flow map in block collection must be sufficiently indented and end with a }']],
  ['empty.yaml', '', ['empty.yaml:1:1: the spec is empty: expected a mapping with data, model, optimizer, train']],
  ['list.yaml', '- name: x\n- seed: 3\n', ['list.yaml:1:1: expected a mapping at the top level, found a list']],
  ['missing.yaml', 'name: x\nseed: -1\n', ['missing.yaml:1:1: data: missing required key \'data\'', "missing.yaml:1:1: model: missing required key 'model'", 'missing.yaml:2:7: seed: expected a number ≥ 0, found -1']],
];

for (const [file, text, messages] of bad) {
  test(`validate reports ${file} exactly, with exit code 2`, () => {
    const path = spec(file, text);
    const r = dlx(['validate', file], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, messages.map((m) => `error ${m}\n`).join(''));
    assert.ok(path);
  });
}

test('all problems of a file are reported at once, in file order', () => {
  spec('many.yaml', `name: x
seed: 1.5
data: {dataset: irs}
model:
  layers:
    - {type: dense, unitz: 3}
trian: {}
`);
  const r = dlx(['validate', 'many.yaml'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.equal(r.stderr, [
    'many.yaml:2:7: seed: expected a whole number, found 1.5',
    "many.yaml:3:17: data.dataset: unknown type 'irs' (did you mean 'iris'?): expected one of iris, wine, breast-cancer-diagnostic, breast-cancer-original, digits, fashion-mnist, mnist, cifar10, cifar100, adult, morse, diabetes, csv, idx",
    "many.yaml:6:7: model.layers.0.units: missing required key 'units'",
    "many.yaml:6:21: model.layers.0.unitz: unknown key 'unitz' (did you mean 'units'?)",
    "many.yaml:7:1: trian: unknown key 'trian' (did you mean 'train'?)",
  ].map((m) => `error ${m}\n`).join(''));
});

test('a billion-laughs alias bomb fails fast with a clear message', () => {
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  spec('bomb.yaml', levels.join('\n') + '\n');
  const started = Date.now();
  const r = dlx(['validate', 'bomb.yaml'], { cwd: dir });
  assert.ok(Date.now() - started < 10_000);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'error bomb.yaml: too many YAML alias expansions (more than 100); a file like this is a resource-exhaustion attack, not a spec\n');
});

test('--set is validated like the file and names the override', () => {
  spec('good.yaml', good);
  const r = dlx(['validate', 'good.yaml', '--set', 'optimizer.lr=-1', '--set', 'optimizer.mommentum=0.9'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.equal(r.stderr, [
    'error --set optimizer.lr=-1: optimizer.lr: expected a number > 0, found -1\n',
    "error --set optimizer.mommentum=0.9: optimizer.mommentum: unknown key 'mommentum' (did you mean 'momentum'?)\n",
  ].join(''));
  const malformed = dlx(['validate', 'good.yaml', '--set', 'optimizer.lr'], { cwd: dir });
  assert.equal(malformed.code, 2);
  assert.equal(malformed.stderr, 'error --set optimizer.lr: expected key.path=value, for example --set optimizer.lr=0.01\n');
});

test('a missing spec file is exit 2 with its name; a bad command-line option is exit 2', () => {
  const r = dlx(['validate', 'nope.yaml'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'error nope.yaml: cannot read the spec (no such file)\n');
  const unknown = dlx(['validate', 'good.yaml', '--frobnicate'], { cwd: dir });
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown option '--frobnicate'/);
});
