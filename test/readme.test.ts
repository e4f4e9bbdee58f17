// The README tells the truth: its spec reference is the generated one, every command is listed
// with an example, and its set-up commands are the ones CI and package.json use.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sweepSchema } from '../src/sweep/settings.js';
import { REFERENCE_END, REFERENCE_START, specReference } from '../src/config/reference.js';
import { root } from './helpers.js';

const readme = readFileSync(join(root, 'README.md'), 'utf8');

test('the spec reference in the README matches the schema (run npm run docs)', () => {
  const start = readme.indexOf(REFERENCE_START) + REFERENCE_START.length;
  const end = readme.indexOf(REFERENCE_END);
  assert.ok(start > REFERENCE_START.length && end > start, 'markers present');
  assert.equal(readme.slice(start, end).trim(), specReference({ sweep: sweepSchema }).trim());
});

test('every command is in the README with an example', () => {
  for (const command of ['train', 'validate', 'eval', 'predict', 'resume', 'reproduce', 'runs', 'compare', 'schema', 'datasets list', 'plot', 'report']) {
    assert.match(readme, new RegExp(`\\| \`dlx ${command}[^|]*\\|[^|]*\\| \`dlx ${command}`), command);
  }
});

test('the two set-up commands are at the top and are what package.json and CI run', () => {
  const head = readme.split('\n').slice(0, 12).join('\n');
  assert.match(head, /npm install && npx dlx train configs\/quickstart\.yaml/);
  assert.match(head, /\nnpm test /);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.equal(pkg.bin.dlx, 'bin/dlx.js');
  assert.match(pkg.scripts.test, /node --test/);
  assert.match(readFileSync(join(root, '.ci/run'), 'utf8'), /\nnpm ci\b[\s\S]*\nnpm test\b/);
});
