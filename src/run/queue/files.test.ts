import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { packFolder, sha256Of, unpackFolder } from './files.js';

test('a run folder packed and unpacked is the same folder, replacing what was there', async () => {
  const root = mkdtempSync(join(tmpdir(), 'dlx-files-'));
  const from = join(root, 'from');
  mkdirSync(join(from, 'checkpoints'), { recursive: true });
  writeFileSync(join(from, 'curve.csv'), 'epoch\n1\n');
  writeFileSync(join(from, 'checkpoints', 'last.safetensors'), Buffer.from([0, 1, 2, 255]));
  const packed = await packFolder(from, 1000);
  assert.deepEqual(Object.keys(packed.files), ['checkpoints/last.safetensors', 'curve.csv']);
  assert.equal(packed.bytes, 12);
  const to = join(root, 'trials', '3');
  mkdirSync(to, { recursive: true });
  writeFileSync(join(to, 'stale.txt'), 'from before');
  await unpackFolder(to, packed.files);
  assert.deepEqual(readdirSync(to).sort(), ['checkpoints', 'curve.csv']);
  assert.deepEqual(readFileSync(join(to, 'checkpoints', 'last.safetensors')), Buffer.from([0, 1, 2, 255]));
  assert.deepEqual(readdirSync(join(root, 'trials')), ['3']);
  assert.equal((await packFolder(from, 5)).bytes > 5, true, 'over the limit: says so');
  assert.equal(sha256Of(Buffer.from('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});
