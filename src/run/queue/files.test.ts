import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { packRun, sha256Of, unpackFolder, unpackRun } from './files.js';

test('run folders bundled and unpacked are the same folders, identical files stored once', async () => {
  const root = mkdtempSync(join(tmpdir(), 'dlx-files-'));
  const from = join(root, 'from');
  mkdirSync(join(from, 'checkpoints'), { recursive: true });
  writeFileSync(join(from, 'curve.csv'), 'epoch\n1\n');
  writeFileSync(join(from, 'spec.yaml'), 'not sent');
  const weights = Buffer.from([0, 1, 2, 255, 7, 7, 7, 7]);
  writeFileSync(join(from, 'checkpoints', 'last.safetensors'), weights);
  writeFileSync(join(from, 'checkpoints', 'best.safetensors'), weights);
  const packed = await packRun([{ fold: 2, dir: from }], new Set(['spec.yaml']), 1000);
  assert.equal(packed.bytes, 8 + 8, 'the checkpoint once, curve.csv once');
  const folds = unpackRun(packed.bundle!);
  assert.ok(typeof folds !== 'string', String(folds));
  assert.equal(folds.length, 1);
  assert.equal(folds[0].fold, 2);
  assert.deepEqual(Object.keys(folds[0].files).sort(), ['checkpoints/best.safetensors', 'checkpoints/last.safetensors', 'curve.csv']);
  assert.deepEqual(folds[0].files['checkpoints/best.safetensors'], weights);
  const to = join(root, 'trials', '3');
  mkdirSync(to, { recursive: true });
  writeFileSync(join(to, 'stale.txt'), 'from before');
  await unpackFolder(to, folds[0].files);
  assert.deepEqual(readdirSync(to).sort(), ['checkpoints', 'curve.csv']);
  assert.deepEqual(readFileSync(join(to, 'checkpoints', 'last.safetensors')), weights);
  assert.equal(readFileSync(join(to, 'curve.csv'), 'utf8'), 'epoch\n1\n');
  assert.deepEqual(readdirSync(join(root, 'trials')), ['3']);
  const over = await packRun([{ dir: from }], new Set(), 5);
  assert.equal(over.bundle, undefined, 'over the limit: no bundle');
  assert.ok(over.bytes > 5);
  assert.equal(sha256Of(Buffer.from('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('a malformed or hostile bundle is refused: no paths out of a run folder, no reads past its end', () => {
  const bundle = (header: unknown, data = Buffer.alloc(4)) => {
    const head = Buffer.from(JSON.stringify(header));
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(head.length));
    return Buffer.concat([length, head, data]);
  };
  const file = (name: string, at = [0, 4]) => unpackRun(bundle({ folds: [{ files: { [name]: at } }] }));
  assert.ok(typeof file('checkpoints/last.safetensors') !== 'string');
  for (const bad of ['../x', '/etc/passwd', 'a/../../b', '..', 'a\\b', '.']) assert.match(String(file(bad)), /its header: folds\.0\.files.*(Invalid key|relative path)/, bad);
  assert.match(String(file('curve.csv', [2, 4])), /runs past the bundle's end/);
  assert.match(String(unpackRun(Buffer.from([1, 2]))), /shorter than its header/);
  assert.match(String(unpackRun(Buffer.concat([Buffer.from([255, 0, 0, 0, 0, 0, 0, 0]), Buffer.alloc(4)]))), /header runs past/);
  assert.match(String(unpackRun(bundle({ folds: [{ files: {} }], run: 'x' }))), /header/);
});
