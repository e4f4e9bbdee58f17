// The WebAssembly memory as the backend uses it, managed from TypeScript (the kernels allocate
// nothing): resident buffers from alloc() at the bottom, for tensors the kernels use in place
// (parameters, optimizer state, the layers' output buffers; first fit, freed blocks merged),
// and above them a staging area that each kernel call lays its other operands out in afresh. Shared memory never moves when it grows, so views made
// before a grow stay valid.
import { MAX_PAGES } from './module.js';
import { MemoryLimitError } from '../tensor.js';

const PAGE = 65536;
export const align = (bytes: number) => Math.ceil(bytes / 64) * 64;

export class Arena {
  private view: Float32Array;
  private ints: Int32Array;
  /** Buffers from alloc() live in [64, residentEnd); each call's operands are staged above. */
  private residentEnd = 64;
  /** The SharedArrayBuffer objects alloc() made views on: how a resident array is recognized. */
  private readonly ours = new WeakSet<ArrayBufferLike>();
  /** Freed blocks below residentEnd, [offset, bytes], by offset. */
  private holes: [number, number][] = [];

  constructor(private readonly memory: WebAssembly.Memory) {
    this.view = new Float32Array(memory.buffer);
    this.ints = new Int32Array(memory.buffer);
  }

  alloc(length: number): Float32Array {
    const bytes = align(4 * length);
    const hole = this.holes.findIndex(([, size]) => size >= bytes);
    let at: number;
    if (hole >= 0) {
      at = this.holes[hole][0];
      if (this.holes[hole][1] === bytes) this.holes.splice(hole, 1);
      else this.holes[hole] = [at + bytes, this.holes[hole][1] - bytes];
    } else {
      at = this.residentEnd;
      this.reserve(at + bytes);
      this.residentEnd = at + bytes;
    }
    const buffer = new Float32Array(this.memory.buffer, at, length);
    buffer.fill(0); // the space may have held staged operands
    this.ours.add(buffer.buffer);
    return buffer;
  }

  /** Returns a buffer from alloc() (a whole one, not a subarray); using it afterwards is a bug. */
  free(buffer: Float32Array): void {
    if (!this.resident(buffer)) return;
    const block: [number, number] = [buffer.byteOffset, align(buffer.byteLength)];
    const holes = [...this.holes, block].sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [at, size] of holes) {
      const last = merged[merged.length - 1];
      if (last && last[0] + last[1] === at) last[1] += size;
      else merged.push([at, size]);
    }
    const top = merged[merged.length - 1];
    if (top && top[0] + top[1] === this.residentEnd) {
      this.residentEnd = top[0];
      merged.pop();
    }
    this.holes = merged;
  }

  /**
   * Forgets every resident buffer: the memory (which never shrinks) is reused from the bottom.
   * For a process that runs one trial after another, between trials, when no buffer of the one
   * that ended is used any more.
   */
  reset(): void {
    this.residentEnd = 64;
    this.holes = [];
  }

  resident(a: Float32Array | Int32Array): boolean {
    return this.ours.has(a.buffer);
  }

  /** An output for place(): where it is when resident, else space for its values. */
  out<T extends Float32Array | Int32Array>(a: T): T | number {
    return this.resident(a) ? a : a.length;
  }

  /**
   * Byte offsets for arrays (resident ones where they are, others copied in) and sizes (space
   * for that many values), staged one after another above the resident buffers; and the first
   * free byte after them.
   */
  place(items: (Float32Array | Int32Array | number)[]): { at: number[]; end: number } {
    const at: number[] = [];
    let end = this.residentEnd;
    for (const item of items) {
      if (typeof item !== 'number' && this.resident(item)) {
        at.push(item.byteOffset);
        continue;
      }
      at.push(end);
      end = align(end + 4 * (typeof item === 'number' ? item : item.length));
    }
    this.reserve(end);
    items.forEach((item, i) => {
      if (typeof item === 'number' || this.resident(item)) return;
      if (item instanceof Int32Array) this.ints.set(item, at[i] / 4);
      else this.view.set(item, at[i] / 4);
    });
    return { at, end };
  }

  /** Copies a result out, unless it was computed in place in a resident buffer. */
  fetch(offset: number, into: Float32Array): void {
    if (!this.resident(into)) into.set(this.view.subarray(offset / 4, offset / 4 + into.length));
  }

  /** Copies float64 results out (`into` is never resident). */
  fetchFloat64(offset: number, into: Float64Array): void {
    into.set(new Float64Array(this.memory.buffer, offset, into.length));
  }

  fetchInts(offset: number, into: Int32Array): void {
    if (!this.resident(into)) into.set(this.ints.subarray(offset / 4, offset / 4 + into.length));
  }

  /** Grows the memory to hold `bytes`. */
  reserve(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) {
      const pages = Math.ceil((bytes - have) / PAGE);
      if (have / PAGE + pages > MAX_PAGES) throw new MemoryLimitError(`${bytes.toLocaleString('en-US')} bytes are needed, more than the 2 GiB WebAssembly memory`);
      this.memory.grow(pages);
    }
    if (this.view.buffer.byteLength !== this.memory.buffer.byteLength) {
      this.view = new Float32Array(this.memory.buffer);
      this.ints = new Int32Array(this.memory.buffer);
    }
  }
}
