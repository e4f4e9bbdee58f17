import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeFileAtomic, writeFilesAtomic } from './atomic.js';

const folder = () => mkdtemp(join(tmpdir(), 'dlx-atomic-'));

test('writeFileAtomic: a failure before the rename leaves the old file and no temporary', async () => {
  const dir = await folder();
  const path = join(dir, 'a.json');
  await writeFile(path, 'old');
  await assert.rejects(writeFileAtomic(path, 'new', { beforeRename: () => { throw new Error('simulated crash'); } }), /simulated crash/);
  assert.equal(await readFile(path, 'utf8'), 'old');
  assert.deepEqual(await readdir(dir), ['a.json']);
  await rm(dir, { recursive: true });
});

test('writeFilesAtomic writes every file of the list', async () => {
  const dir = await folder();
  await writeFilesAtomic([[join(dir, 'a'), 'A'], [join(dir, 'b'), new Uint8Array([1, 2])]]);
  assert.equal(await readFile(join(dir, 'a'), 'utf8'), 'A');
  assert.deepEqual([...(await readFile(join(dir, 'b')))], [1, 2]);
  assert.deepEqual((await readdir(dir)).sort(), ['a', 'b']);
  await rm(dir, { recursive: true });
});

test('writeFilesAtomic: one write failing changes no file and leaves no temporary', async () => {
  const dir = await folder();
  await writeFile(join(dir, 'a'), 'old');
  await assert.rejects(writeFilesAtomic([[join(dir, 'a'), 'new'], [join(dir, 'missing', 'b'), 'B']]), { code: 'ENOENT' });
  assert.equal(await readFile(join(dir, 'a'), 'utf8'), 'old');
  assert.deepEqual(await readdir(dir), ['a']);
  await rm(dir, { recursive: true });
});

test('writeFilesAtomic renames in order: a rename failing keeps the files before it new and those after it old', async () => {
  const dir = await folder();
  for (const f of ['a', 'c']) await writeFile(join(dir, f), 'old');
  // a non-empty folder cannot be replaced by a file: the second rename fails
  await mkdir(join(dir, 'b', 'x'), { recursive: true });
  await assert.rejects(writeFilesAtomic([[join(dir, 'a'), 'new'], [join(dir, 'b'), 'new'], [join(dir, 'c'), 'new']]), (e: Error & { code?: string }) => ['EISDIR', 'ENOTEMPTY', 'EEXIST'].includes(e.code ?? ''));
  assert.equal(await readFile(join(dir, 'a'), 'utf8'), 'new');
  assert.equal(await readFile(join(dir, 'c'), 'utf8'), 'old');
  assert.deepEqual((await readdir(dir)).sort(), ['a', 'b', 'c']);
  await rm(dir, { recursive: true });
});
