// The IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): two zero
// bytes, a type code, the number of dimensions, big-endian uint32 sizes, then the values
// big-endian. gzip-compressed files are recognized by their magic bytes. Every size is checked
// against the file's length before anything is allocated.
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { DataError } from '../../common/errors.js';

const types: Record<number, { name: string; bytes: number; read: (v: DataView, at: number) => number }> = {
  0x08: { name: 'uint8', bytes: 1, read: (v, at) => v.getUint8(at) },
  0x09: { name: 'int8', bytes: 1, read: (v, at) => v.getInt8(at) },
  0x0b: { name: 'int16', bytes: 2, read: (v, at) => v.getInt16(at, false) },
  0x0c: { name: 'int32', bytes: 4, read: (v, at) => v.getInt32(at, false) },
  0x0d: { name: 'float32', bytes: 4, read: (v, at) => v.getFloat32(at, false) },
  0x0e: { name: 'float64', bytes: 8, read: (v, at) => v.getFloat64(at, false) },
};

export interface IdxArray {
  shape: number[];
  data: Float32Array;
}

export function decodeIdx(raw: Uint8Array, file: string): IdxArray {
  let bytes = raw;
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      bytes = gunzipSync(raw);
    } catch (e) {
      throw new DataError(`${file}: a gzip file that does not decompress (${(e as Error).message})`);
    }
  }
  const bad = (why: string) => new DataError(`${file}: not a valid IDX file (${why})`);
  if (bytes.length < 4) throw bad(`${bytes.length} bytes, shorter than the 4-byte magic number`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] !== 0 || bytes[1] !== 0) throw bad('the magic number does not start with two zero bytes');
  const type = types[bytes[2]];
  if (!type) throw bad(`unknown type code 0x${bytes[2].toString(16)}`);
  const dims = bytes[3];
  if (dims < 1) throw bad('zero dimensions');
  const headerEnd = 4 + 4 * dims;
  if (bytes.length < headerEnd) throw bad(`${dims} dimensions need ${headerEnd} header bytes, the file has ${bytes.length}`);
  const shape = Array.from({ length: dims }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = headerEnd + count * type.bytes;
  if (expected !== bytes.length) {
    throw bad(`dimensions [${shape.join(', ')}] of ${type.name} need ${expected} bytes, the file has ${bytes.length}`);
  }
  const data = new Float32Array(count);
  if (type.bytes === 1 && bytes[2] === 0x08) data.set(bytes.subarray(headerEnd)); // the common case, fast
  else for (let i = 0; i < count; i++) data[i] = type.read(view, headerEnd + i * type.bytes);
  return { shape, data };
}

export async function readIdx(path: string): Promise<IdxArray> {
  const raw = await readFile(path).catch((e: NodeJS.ErrnoException) => {
    throw new DataError(`${path}: cannot read the file (${e.code ?? String(e)})`);
  });
  return decodeIdx(raw, path);
}
