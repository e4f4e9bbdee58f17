// Every document and file the README cites is in the repository (a fresh clone has no
// ../shared), and so is every document a message of dlx cites.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { root } from './helpers.js';

const readme = readFileSync(join(root, 'README.md'), 'utf8');

test('links and repository paths in the README exist', () => {
  const links = [...readme.matchAll(/\]\(([^)#]+)\)/g)].map((m) => m[1]).filter((l) => !/^https?:/.test(l));
  const paths = [...readme.matchAll(/`((?:docs|configs|datasets|examples|bench|test|src|scripts|bin)\/[^`*\s]+)`/g)].map((m) => m[1]);
  assert.ok(links.includes('docs/design.md') && links.includes('docs/reference.md'));
  for (const p of [...links, ...paths]) assert.ok(existsSync(join(root, p)), `README cites ${p}, which is not in the repository`);
  assert.doesNotMatch(readme, /\.\.\/shared|REFERENCE\.md|DESIGN\.md/);
});

test('documents cited in strings of the source (messages, dataset origins) exist', () => {
  const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []);
  for (const file of files(join(root, 'src'))) {
    const code = readFileSync(file, 'utf8').split('\n').filter((l) => !/^\s*(\/\/|\*|\/\*)/.test(l)).join('\n');
    for (const m of code.matchAll(/['`"][^'`"\n]*?([\w./-]+\.md)\b/g)) {
      assert.ok(existsSync(join(root, m[1])), `${file} cites ${m[1]} in a string`);
    }
  }
});
