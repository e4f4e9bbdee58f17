// A float32 tensor: a shape and one contiguous row-major buffer (DESIGN.md "The engine").

export class ShapeError extends Error {}

/** A buffer larger than the memory can hold, refused before anything is allocated. */
export class MemoryLimitError extends Error {}

/** Beyond this, one buffer is refused whatever the machine (V8's typed arrays stop near 2³² values). */
const MAX_VALUES = 2 ** 32 - 1;

/** A zeroed float32 buffer, or a MemoryLimitError (never a raw RangeError) when it cannot be had. */
export function allocFloats(length: number): Float32Array {
  // the messages are written only when needed: toLocaleString costs more than a small buffer
  const bytes = () => `${(4 * length).toLocaleString('en-US')} bytes`;
  if (length > MAX_VALUES) throw new MemoryLimitError(`a buffer of ${length.toLocaleString('en-US')} values (${bytes()}) is more than one buffer can hold`);
  try {
    return new Float32Array(length);
  } catch (e) {
    if (e instanceof RangeError) throw new MemoryLimitError(`a buffer of ${bytes()} cannot be allocated (${e.message})`);
    throw e;
  }
}

/** Where a layer's long-lived buffers come from (a backend: resident memory its kernels use in place). */
export interface TensorMemory {
  alloc(length: number): Float32Array;
  free(buffer: Float32Array): void;
}

/** Tensor.reuse's views on the front of a larger buffer: the whole buffer each one is part of. */
const allocations = new WeakMap<Tensor, Float32Array>();

export class Tensor {
  readonly size: number;

  constructor(
    readonly shape: readonly number[],
    readonly data: Float32Array = allocFloats(shape.reduce((a, b) => a * b, 1)),
  ) {
    this.size = shape.reduce((a, b) => a * b, 1);
    if (data.length !== this.size) {
      throw new ShapeError(`buffer of ${data.length} values does not fit shape [${shape.join(', ')}]`);
    }
  }

  static zeros(shape: readonly number[]): Tensor {
    return new Tensor(shape);
  }

  static from(shape: readonly number[], values: ArrayLike<number>): Tensor {
    return new Tensor(shape, Float32Array.from(values));
  }

  /** Rows of a 2-D view: the first axis, everything else flattened. */
  get rows(): number {
    return this.shape[0] ?? 1;
  }

  get cols(): number {
    return this.rows === 0 ? 0 : this.size / this.rows;
  }

  /**
   * `previous` when it already has this shape, else a tensor of this shape: a layer's output
   * buffer kept from batch to batch, since allocating (and faulting in) megabytes per batch costs
   * more than the loops that fill them. A reused buffer holds earlier values. A smaller shape
   * (an epoch's last batch, validation's batches and back) takes the front of the buffer already
   * held, so an epoch allocates nothing; only a larger one allocates, from `memory` when given,
   * and the smaller buffer goes back to it.
   */
  static reuse(previous: Tensor | undefined, shape: readonly number[], memory?: TensorMemory): Tensor {
    if (previous && sameShape(previous.shape, shape)) return previous;
    const size = shape.reduce((a, b) => a * b, 1);
    const held = previous && (allocations.get(previous) ?? previous.data);
    if (held && held.length >= size) {
      const t = new Tensor(shape, held.subarray(0, size));
      allocations.set(t, held);
      return t;
    }
    if (!memory) return new Tensor(shape);
    if (held) memory.free(held);
    return new Tensor(shape, memory.alloc(size));
  }

  reshape(shape: readonly number[]): Tensor {
    return new Tensor(shape, this.data);
  }

  clone(): Tensor {
    return new Tensor(this.shape, this.data.slice());
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
