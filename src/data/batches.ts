// Mini-batches: an epoch's order of row indices, and the batch gathered into one buffer that is
// reused from batch to batch, so an epoch never copies the dataset.
import type { Backend } from '../engine/backend.js';
import { gatherRows } from '../engine/reference.js';
import { Tensor } from '../engine/tensor.js';
import type { Rng } from '../random/rng.js';
import type { Examples } from './dataset.js';

export interface Batch {
  x: Tensor;
  y: Int32Array;
}

export function epochOrder(rows: number, rng: Rng | undefined): Int32Array {
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i; // a plain loop: Int32Array.from with a callback is ~10× slower
  if (rng) rng.shuffle(order);
  return order;
}

/**
 * Yields batches of `order`'s rows; the last one may be smaller. `backend` gathers the rows (the
 * native one copies them in C, on its threads: a fifth of a small MLP's batch in TypeScript).
 * Every full batch is the same Batch over the same buffers (each batch is used up before the
 * next is asked for), so a small model's epoch allocates per batch only the rows' views.
 */
export function* batches(e: Examples, sampleShape: readonly number[], order: Int32Array, batchSize: number,
  backend?: Pick<Backend, 'gatherRows' | 'prefetchRows'>): Generator<Batch> {
  const width = sampleShape.reduce((a, b) => a * b, 1);
  // a batchSize beyond the rows (even 1e15) is one batch of every row: allocate only that
  const rows = Math.min(batchSize, order.length);
  const x = new Float32Array(rows * width);
  const y = new Int32Array(rows);
  const full: Batch = { x: new Tensor([rows, ...sampleShape], x), y };
  const gather = backend ?? { gatherRows };
  for (let start = 0; start < order.length; start += batchSize) {
    const n = Math.min(batchSize, order.length - start);
    const taken = order.subarray(start, start + n);
    gather.gatherRows(e.x, width, taken, x);
    // the next batch's rows are scattered over the dataset: a backend may fetch them during this step
    if (start + n < order.length) backend?.prefetchRows?.(e.x, width, order.subarray(start + n, Math.min(start + n + batchSize, order.length)));
    for (let i = 0; i < n; i++) y[i] = e.y[taken[i]];
    yield n === rows ? full : { x: new Tensor([n, ...sampleShape], x.subarray(0, n * width)), y: y.subarray(0, n) };
  }
}
