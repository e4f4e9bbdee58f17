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
   * `previous` when it already has this shape, else a new zero tensor: a layer's output buffer
   * kept from batch to batch, since allocating (and faulting in) megabytes per batch costs more
   * than the loops that fill them. A reused buffer holds the last batch's values. With `memory`,
   * buffers come from it, and a buffer replaced by one of another shape goes back to it.
   */
  static reuse(previous: Tensor | undefined, shape: readonly number[], memory?: TensorMemory): Tensor {
    const same = previous && previous.shape.length === shape.length && previous.shape.every((d, i) => d === shape[i]);
    if (same) return previous;
    if (!memory) return new Tensor(shape);
    if (previous) memory.free(previous.data);
    return new Tensor(shape, memory.alloc(shape.reduce((a, b) => a * b, 1)));
  }

  reshape(shape: readonly number[]): Tensor {
    return new Tensor(shape, this.data);
  }

  clone(): Tensor {
    return new Tensor(this.shape, this.data.slice());
  }
}

export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
