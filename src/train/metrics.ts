// Loss and accuracy of a model over a whole split, in inference mode, batch by batch in file
// order. Training's end-of-epoch validation and `dlx eval` call this same function, so eval
// reproduces a run's numbers exactly.
import { batches, epochOrder } from '../data/batches.js';
import type { Examples } from '../data/dataset.js';
import type { Tensor } from '../engine/tensor.js';
import type { Model } from '../nn/model.js';

export const EVAL_BATCH = 256;

export interface Metrics {
  loss: number;
  accuracy: number;
  count: number;
}

/** Number of rows whose largest logit is at the label. */
export function correct(logits: Tensor, labels: Int32Array): number {
  const classes = logits.cols;
  let hits = 0;
  for (let r = 0; r < labels.length; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits.data[r * classes + c] > logits.data[r * classes + best]) best = c;
    if (best === labels[r]) hits++;
  }
  return hits;
}

export function evaluate(model: Model, e: Examples, sampleShape: readonly number[]): Metrics {
  let loss = 0;
  let hits = 0;
  const count = e.y.length;
  for (const batch of batches(e, sampleShape, epochOrder(count, undefined), EVAL_BATCH)) {
    const logits = model.logits(batch.x, false);
    loss += model.loss.compute(logits, batch.y).loss * batch.y.length;
    hits += correct(logits, batch.y);
  }
  return { loss: loss / count, accuracy: hits / count, count };
}
