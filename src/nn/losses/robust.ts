// Losses that outliers pull less than the squared error: the mean absolute error
// ℓ = mean |ŷ − y| (gradient sign(ŷ − y)/n, 0 at 0 as PyTorch's L1Loss), and Huber's loss
// (Huber 1964, https://doi.org/10.1214/aoms/1177703732): ½d² within `delta` of the target,
// delta·(|d| − ½delta) beyond (PyTorch's HuberLoss). Both over a linear output; for classes,
// against one-hot targets like mse.
import * as z from 'zod';
import { positive, strictObject } from '../../common/schema.js';
import { Tensor } from '../../engine/tensor.js';
import type { LossComponent, LossValue } from './loss.js';
import { oneHot } from './targets.js';

/** A mean over all elements of f(ŷ − y), with its derivative f′. */
export function pointwise(pred: Tensor, targets: ArrayLike<number>, f: (d: number) => number, df: (d: number) => number,
  grad = new Tensor(pred.shape)): LossValue {
  const n = pred.size;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const d = pred.data[i] - targets[i];
    total += f(d);
    grad.data[i] = df(d) / n;
  }
  return { loss: total / n, grad };
}

export const absolute = { f: (d: number) => Math.abs(d), df: (d: number) => Math.sign(d) };

export function huberOf(delta: number) {
  return {
    f: (d: number) => (Math.abs(d) <= delta ? 0.5 * d * d : delta * (Math.abs(d) - 0.5 * delta)),
    df: (d: number) => (Math.abs(d) <= delta ? d : delta * Math.sign(d)),
  };
}

export const mae = {
  type: 'mae',
  summary: 'mean absolute error, mean over all outputs of |ŷ − y|, on a linear output (regression; one-hot y for classes)',
  outputs: ['linear'],
  schema: strictObject({ type: z.literal('mae') }),
  create: () => ({
    output: 'linear',
    outputs: (logits: Tensor) => logits.clone(),
    compute: (logits, labels, grad?) => pointwise(logits, oneHot(labels, logits.cols).data, absolute.f, absolute.df, grad),
  }),
} satisfies LossComponent;

const huberSchema = strictObject({ type: z.literal('huber'), delta: positive().default(1) });
export const huber = {
  type: 'huber',
  summary: 'Huber: ½(ŷ − y)² within `delta` (1) of y, linear beyond; mean over all outputs, on a linear output',
  outputs: ['linear'],
  schema: huberSchema,
  create: ({ delta }) => {
    const h = huberOf(delta);
    return {
      output: 'linear',
      outputs: (logits: Tensor) => logits.clone(),
      compute: (logits, labels, grad?) => pointwise(logits, oneHot(labels, logits.cols).data, h.f, h.df, grad),
    };
  },
} satisfies LossComponent<typeof huberSchema>;
