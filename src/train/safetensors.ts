// The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
// header length, a JSON header {name: {dtype, shape, data_offsets}, __metadata__: {str: str}},
// then the tensors' little-endian bytes back to back. Every size is checked before use.
import { DataError } from '../common/errors.js';

export type StoredArray = Float32Array | Float64Array | Uint32Array | Int32Array;

export interface StoredTensor {
  shape: number[];
  data: StoredArray;
}

const dtypes = { F32: Float32Array, F64: Float64Array, U32: Uint32Array, I32: Int32Array } as const;
type Dtype = keyof typeof dtypes;

function dtypeOf(a: StoredArray): Dtype {
  if (a instanceof Float32Array) return 'F32';
  if (a instanceof Float64Array) return 'F64';
  if (a instanceof Uint32Array) return 'U32';
  return 'I32';
}

export function encodeSafetensors(tensors: ReadonlyMap<string, StoredTensor>, metadata: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of tensors) {
    if (t.shape.reduce((a, b) => a * b, 1) !== t.data.length) throw new Error(`tensor ${name}: shape does not match its data`);
    header[name] = { dtype: dtypeOf(t.data), shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8); // keeps tensor data 8-byte aligned
  const headerBytes = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors.values()) {
    // typed arrays are little-endian on every platform Node runs on
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

export interface Decoded {
  tensors: Map<string, StoredTensor>;
  metadata: Record<string, string>;
}

export function decodeSafetensors(bytes: Uint8Array, file: string): Decoded {
  const bad = (why: string) => new DataError(`${file}: not a valid safetensors file (${why})`);
  if (bytes.length < 8) throw bad(`${bytes.length} bytes, shorter than the 8-byte header length`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (headerLength > BigInt(bytes.length - 8)) throw bad(`header length ${headerLength} exceeds the file's ${bytes.length} bytes`);
  const dataStart = 8 + Number(headerLength);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(8, dataStart)).toString('utf8'));
  } catch {
    throw bad('the header is not JSON');
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw bad('the header is not a JSON object');
  const dataLength = bytes.length - dataStart;
  const tensors = new Map<string, StoredTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = entry as Record<string, string>;
      continue;
    }
    const { dtype, shape, data_offsets: offsets } = (entry ?? {}) as { dtype?: string; shape?: unknown; data_offsets?: unknown };
    if (!dtype || !(dtype in dtypes)) throw bad(`tensor '${name}' has dtype ${String(dtype)}; dlx reads F32, F64, U32, I32`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw bad(`tensor '${name}' has no valid shape`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0)) throw bad(`tensor '${name}' has no valid data_offsets`);
    const [begin, end] = offsets as number[];
    const Type = dtypes[dtype as Dtype];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end < begin || end > dataLength || end - begin !== count * Type.BYTES_PER_ELEMENT) {
      throw bad(`tensor '${name}' claims bytes ${begin}..${end} for ${count} ${dtype} values in ${dataLength} bytes of data`);
    }
    // a fresh, aligned copy (Buffer.slice would share the file buffer's memory)
    const copy = new Uint8Array(end - begin);
    copy.set(bytes.subarray(dataStart + begin, dataStart + end));
    tensors.set(name, { shape: shape as number[], data: new Type(copy.buffer, 0, count) });
  }
  return { tensors, metadata };
}
