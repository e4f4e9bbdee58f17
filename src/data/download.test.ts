import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { serve } from '../../test/http-server.js';
import { tempDir } from '../../test/helpers.js';
import { download } from './download.js';

const content = Buffer.from('dlx '.repeat(50_000));
const sha = createHash('sha256').update(content).digest('hex');
let server: Awaited<ReturnType<typeof serve>>;

before(async () => {
  server = await serve({
    '/good.bin': { body: content },
    '/good.bin.gz': { body: gzipSync(content) },
    '/cut.bin': { body: content, cut: true },
  });
});
after(() => server.close());

test('a download lands under its name after its checksum is verified, once', async () => {
  const dir = tempDir();
  const path = await download({ name: 'good.bin', url: `${server.base}/good.bin`, sha256: sha }, dir);
  assert.equal(path, join(dir, 'good.bin'));
  assert.ok(readFileSync(path).equals(content));
  await download({ name: 'good.bin', url: `${server.base}/good.bin`, sha256: sha }, dir);
  assert.equal(server.hits['/good.bin'], 1, 'a cached file is not fetched again');
  assert.deepEqual(readdirSync(dir), ['good.bin']);
});

test('gzipped downloads are checked and stored uncompressed', async () => {
  const dir = tempDir();
  const path = await download({ name: 'plain.bin', url: `${server.base}/good.bin.gz`, sha256: sha, gunzip: true }, dir);
  assert.ok(readFileSync(path).equals(content));
});

test('a checksum mismatch is an error and leaves no file in the cache', async () => {
  const dir = tempDir();
  await assert.rejects(download({ name: 'good.bin', url: `${server.base}/good.bin`, sha256: '0'.repeat(64) }, dir), (e: Error) => {
    assert.match(e.message, new RegExp(`^cannot download ${server.base}/good\\.bin \\(checksum mismatch: SHA-256 ${sha}, expected 0{64}\\)\\.\\n`));
    return true;
  });
  assert.deepEqual(readdirSync(dir), []);
});

test('a transfer cut off halfway is an error and leaves no file in the cache', async () => {
  const dir = tempDir();
  await assert.rejects(download({ name: 'cut.bin', url: `${server.base}/cut.bin`, sha256: sha }, dir), { message: /^cannot download http:\/\/127\.0\.0\.1:\d+\/cut\.bin \(terminated: other side closed\)\./ });
  assert.deepEqual(readdirSync(dir), []);
  assert.equal(existsSync(join(dir, 'cut.bin')), false);
});

test('offline: the message says how to get the file', async () => {
  const dir = tempDir();
  await assert.rejects(download({ name: 'x.bin', url: 'http://127.0.0.1:9/x.bin', sha256: sha }, dir), (e: Error) => {
    assert.match(e.message, /^cannot download http:\/\/127\.0\.0\.1:9\/x\.bin \(fetch failed: .*\)\.\nWithout a network, get x\.bin elsewhere \(SHA-256 [0-9a-f]{64}\) and put it in .*, or set DLX_MIRROR to a base URL that serves it\.$/);
    return true;
  });
  assert.deepEqual(readdirSync(dir), []);
});

test('DLX_MIRROR fetches the same file name from another base URL', async () => {
  const dir = tempDir();
  process.env.DLX_MIRROR = server.base;
  try {
    await download({ name: 'm.bin', url: 'https://example.invalid/data/good.bin', sha256: sha }, dir);
  } finally {
    delete process.env.DLX_MIRROR;
  }
  assert.ok(readFileSync(join(dir, 'm.bin')).equals(content));
});
