// Cross-entropy over softmax outputs, fused with the softmax so that the gradient is the
// stable (softmax − onehot)/N (Bridle 1990; REFERENCE.md §2). Labels are class indices.
import * as z from 'zod';
import { strictObject } from '../../common/schema.js';
import { Tensor } from '../../engine/tensor.js';
import type { LossComponent } from './loss.js';

/** Row-wise softmax, shifted by the row maximum for stability. */
export function softmax(logits: Tensor): Tensor {
  const out = new Tensor(logits.shape);
  const classes = logits.cols;
  for (let r = 0; r < logits.rows; r++) {
    const o = r * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits.data[o + c]);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits.data[o + c] - max);
    for (let c = 0; c < classes; c++) out.data[o + c] = Math.exp(logits.data[o + c] - max) / sum;
  }
  return out;
}

export const crossEntropy = {
  type: 'cross-entropy',
  summary: 'mean −log p(label) over the batch, fused with a softmax output',
  outputs: ['softmax'],
  schema: strictObject({ type: z.literal('cross-entropy') }),
  create: () => {
    // a row's e^(z−max), kept from call to call: this runs once a batch
    let rowExp = new Float64Array(0);
    return {
      output: 'softmax',
      outputs: softmax,
      compute(logits, labels, grad = new Tensor(logits.shape)) {
        const batch = logits.rows;
        const classes = logits.cols;
        const g = grad.data;
        const z = logits.data;
        const e = rowExp.length >= classes ? rowExp : (rowExp = new Float64Array(classes));
        let total = 0;
        // softmax() and log softmax from one e^(z−max) per value (the same values softmax() computes)
        for (let r = 0; r < batch; r++) {
          const o = r * classes;
          const label = labels[r];
          let max = -Infinity;
          for (let c = 0; c < classes; c++) max = Math.max(max, z[o + c]);
          let sum = 0;
          for (let c = 0; c < classes; c++) sum += (e[c] = Math.exp(z[o + c] - max));
          // (p − onehot)/N in one pass, each step rounded to float32 as a store would round it
          for (let c = 0; c < classes; c++) {
            const p = Math.fround(e[c] / sum);
            g[o + c] = (c === label ? Math.fround(p - 1) : p) / batch;
          }
          // log p = z − max − log Σ e^(z−max)
          total -= z[o + label] - max - Math.log(sum);
        }
        return { loss: total / batch, grad };
      },
    };
  },
} satisfies LossComponent;
