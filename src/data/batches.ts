// Mini-batches: an epoch's order of row indices, and the batch gathered into one buffer that is
// reused from batch to batch, so an epoch never copies the dataset.
import { Tensor } from '../engine/tensor.js';
import type { Rng } from '../random/rng.js';
import type { Examples } from './dataset.js';

export interface Batch {
  x: Tensor;
  y: Int32Array;
}

export function epochOrder(rows: number, rng: Rng | undefined): Int32Array {
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  if (rng) rng.shuffle(order);
  return order;
}

/** Yields batches of `order`'s rows; the last one may be smaller. */
export function* batches(e: Examples, sampleShape: readonly number[], order: Int32Array, batchSize: number): Generator<Batch> {
  const width = sampleShape.reduce((a, b) => a * b, 1);
  // a batchSize beyond the rows (even 1e15) is one batch of every row: allocate only that
  const rows = Math.min(batchSize, order.length);
  const x = new Float32Array(rows * width);
  const y = new Int32Array(rows);
  for (let start = 0; start < order.length; start += batchSize) {
    const n = Math.min(batchSize, order.length - start);
    for (let i = 0; i < n; i++) {
      const r = order[start + i];
      x.set(e.x.subarray(r * width, (r + 1) * width), i * width);
      y[i] = e.y[r];
    }
    yield { x: new Tensor([n, ...sampleShape], x.subarray(0, n * width)), y: y.subarray(0, n) };
  }
}
