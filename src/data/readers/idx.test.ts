import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { decodeIdx } from './idx.js';

function idx(type: number, shape: number[], values: number[], bytes: number, write: (b: Buffer, v: number, at: number) => void): Buffer {
  const b = Buffer.alloc(4 + 4 * shape.length + values.length * bytes);
  b.set([0, 0, type, shape.length]);
  shape.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
  values.forEach((v, i) => write(b, v, 4 + 4 * shape.length + i * bytes));
  return b;
}

test('IDX of bytes, gzipped or not, and of big-endian int16 and float64', () => {
  const bytes = idx(0x08, [2, 2, 2], [0, 1, 2, 3, 252, 253, 254, 255], 1, (b, v, at) => b.writeUInt8(v, at));
  assert.deepEqual(decodeIdx(bytes, 'a'), { shape: [2, 2, 2], data: Float32Array.from([0, 1, 2, 3, 252, 253, 254, 255]) });
  assert.deepEqual(decodeIdx(gzipSync(bytes), 'a.gz').data, decodeIdx(bytes, 'a').data);
  assert.deepEqual([...decodeIdx(idx(0x0b, [3], [-2, 0, 300], 2, (b, v, at) => b.writeInt16BE(v, at)), 'b').data], [-2, 0, 300]);
  assert.deepEqual([...decodeIdx(idx(0x0e, [2], [0.5, -1.25], 8, (b, v, at) => b.writeDoubleBE(v, at)), 'c').data], [0.5, -1.25]);
});

test('sizes are checked against the file before anything is allocated', () => {
  const huge = Buffer.alloc(12);
  huge.set([0, 0, 0x08, 2]);
  huge.writeUInt32BE(100000, 4);
  huge.writeUInt32BE(100000, 8);
  assert.throws(() => decodeIdx(huge, 'h'), { message: 'h: not a valid IDX file (dimensions [100000, 100000] of uint8 need 10000000012 bytes, the file has 12)' });
  assert.throws(() => decodeIdx(Buffer.from([1, 0, 8, 1]), 'm'), { message: 'm: not a valid IDX file (the magic number does not start with two zero bytes)' });
  assert.throws(() => decodeIdx(Buffer.from([0, 0, 0x42, 1, 0, 0, 0, 0]), 't'), { message: 't: not a valid IDX file (unknown type code 0x42)' });
  assert.throws(() => decodeIdx(Buffer.from([0x1f, 0x8b, 1, 2, 3]), 'g.gz'), { message: /^g\.gz: a gzip file that does not decompress/ });
});
