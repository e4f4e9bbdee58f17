import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

test('byte layout: u64 LE header length, JSON header with dtype/shape/data_offsets, tensors back to back', () => {
  const tensors = new Map([
    ['a', { shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) }],
    ['b', { shape: [3], data: Uint32Array.from([7, 8, 9]) }],
  ]);
  const bytes = encodeSafetensors(tensors, { note: 'hi' });
  const view = new DataView(bytes.buffer);
  const n = Number(view.getBigUint64(0, true));
  assert.equal(n % 8, 0, 'header padded so data is 8-byte aligned');
  const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + n)).toString('utf8'));
  assert.deepEqual(header, {
    __metadata__: { note: 'hi' },
    a: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] },
    b: { dtype: 'U32', shape: [3], data_offsets: [16, 28] },
  });
  assert.equal(bytes.length, 8 + n + 28);
  assert.equal(view.getFloat32(8 + n + 4, true), 2);
  assert.equal(view.getUint32(8 + n + 20, true), 8);
  const back = decodeSafetensors(bytes, 'x.safetensors');
  assert.deepEqual([...back.tensors.get('a')!.data], [1, 2, 3, 4]);
  assert.deepEqual(back.metadata, { note: 'hi' });
});

test('sizes are checked against the file before use', () => {
  const huge = new Uint8Array(16);
  new DataView(huge.buffer).setBigUint64(0, 2n ** 40n, true);
  assert.throws(() => decodeSafetensors(huge, 'f.safetensors'), {
    message: 'f.safetensors: not a valid safetensors file (header length 1099511627776 exceeds the file\'s 16 bytes)',
  });
  assert.throws(() => decodeSafetensors(new Uint8Array(3), 'g'), { message: 'g: not a valid safetensors file (3 bytes, shorter than the 8-byte header length)' });
  const good = encodeSafetensors(new Map([['a', { shape: [4], data: new Float32Array(4) }]]), {});
  assert.throws(() => decodeSafetensors(good.subarray(0, good.length - 4), 'h'), /tensor 'a' claims bytes 0\.\.16 for 4 F32 values in 12 bytes of data/);
});
