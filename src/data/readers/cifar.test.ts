import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { makeTar, serve } from '../../../test/http-server.js';
import { dlx, root, tempDir } from '../../../test/helpers.js';
import { CIFAR_PIXELS, readCifar } from './cifar.js';
import { tarEntries } from './tar.js';

function records(labels: number[], labelBytes: 1 | 2): Uint8Array {
  const out = new Uint8Array(labels.length * (labelBytes + CIFAR_PIXELS));
  labels.forEach((l, r) => {
    const at = r * (labelBytes + CIFAR_PIXELS);
    if (labelBytes === 2) out[at] = 99; // the coarse label, ignored
    out[at + labelBytes - 1] = l;
    out.fill(l * 10 + 5, at + labelBytes, at + labelBytes + CIFAR_PIXELS);
  });
  return out;
}

test('CIFAR-10 and CIFAR-100 records: labels and pixels ÷ 255, channel-first', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'a.bin'), records([3, 7], 1));
  writeFileSync(join(dir, 'b.bin'), records([1], 1));
  const e = await readCifar([join(dir, 'a.bin'), join(dir, 'b.bin')], 1);
  assert.deepEqual([...e.y], [3, 7, 1]);
  assert.equal(e.x.length, 3 * CIFAR_PIXELS);
  assert.equal(e.x[CIFAR_PIXELS + 5], Math.fround(75 / 255));
  writeFileSync(join(dir, 'c.bin'), records([42], 2));
  assert.deepEqual([...(await readCifar([join(dir, 'c.bin')], 2)).y], [42]);
  writeFileSync(join(dir, 'bad.bin'), records([1], 1).subarray(0, 100));
  await assert.rejects(readCifar([join(dir, 'bad.bin')], 1), { message: `${join(dir, 'bad.bin')}: 100 bytes is not a whole number of 3073-byte CIFAR records` });
});

test('tar entries are read back with their names and sizes; a truncated archive is an error', () => {
  const tar = makeTar({ 'cifar-10-batches-bin/data_batch_1.bin': new Uint8Array(700).fill(7), 'readme.html': Buffer.from('hi') });
  const entries = [...tarEntries(tar, 't.tar')];
  assert.deepEqual(entries.map((e) => [e.name, e.data.length]), [['cifar-10-batches-bin/data_batch_1.bin', 700], ['readme.html', 2]]);
  assert.throws(() => [...tarEntries(tar.subarray(0, 800), 't.tar')], { message: "t.tar: a tar entry 'cifar-10-batches-bin/data_batch_1.bin' of 700 bytes runs past the archive's end" });
});

test('the cifar10 dataset reads its unpacked files from the cache', () => {
  const cache = tempDir();
  const dir = join(cache, 'cifar10');
  mkdirSync(dir);
  for (let i = 1; i <= 5; i++) writeFileSync(join(dir, `data_batch_${i}.bin`), records([i, i + 1], 1));
  writeFileSync(join(dir, 'test_batch.bin'), records([0, 9], 1));
  writeFileSync(join(dir, 'batches.meta.txt'), 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n');
  const spec = join(cache, 'c.yaml');
  writeFileSync(spec, 'name: c\ndata: {dataset: cifar10, split: {val: 2}}\nmodel: {layers: [{type: dense, units: 10}]}\ntrain: {epochs: 1}\n');
  const r = dlx(['train', spec, '--runs-dir', join(cache, 'runs'), '--json'], { env: { DLX_CACHE: cache } });
  assert.equal(r.code, 0, r.stderr);
  const done = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.equal(done.final.epoch, 1);
  const ev = JSON.parse(dlx(['eval', done.runDir, '--split', 'test', '--json'], { env: { DLX_CACHE: cache } }).stdout);
  assert.equal(ev.count, 2, 'the official test batch');
});

test('dlx datasets fetch: a wrong archive from a mirror fails with exit 3 and leaves the cache empty', async () => {
  const archive = gzipSync(makeTar({ 'cifar-10-batches-bin/data_batch_1.bin': records([1], 1) }));
  const server = await serve({ '/~kriz/cifar-10-binary.tar.gz': { body: archive }, '/cifar-10-binary.tar.gz': { body: archive } });
  const cache = tempDir();
  try {
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      import('node:child_process').then(({ execFile }) => {
        execFile(process.execPath, [join(root, 'bin/dlx.js'), 'datasets', 'fetch', 'cifar10'], { env: { ...process.env, DLX_CACHE: cache, DLX_MIRROR: server.base, NO_COLOR: '1' } }, (err, _out, stderr) => resolve({ code: err ? (err as { code?: number }).code ?? 1 : 0, stderr }));
      });
    });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /^error cannot download http:\/\/127\.0\.0\.1:\d+\/cifar-10-binary\.tar\.gz \(checksum mismatch: SHA-256 [0-9a-f]{64}, expected c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd\)\./);
    assert.deepEqual(readdirSafe(join(cache, 'cifar10')), []);
  } finally {
    await server.close();
  }
});

const readdirSafe = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir) : []);
