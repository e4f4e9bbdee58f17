// Mean squared error (the deck's quadratic cost, REFERENCE.md §2) over a linear output, against
// one-hot targets for classes: the mean is over all N×C elements, as PyTorch's MSELoss.
// ℓ = mean (ŷ − y)², dℓ/dŷ = 2(ŷ − y)/(N·C).
import * as z from 'zod';
import { strictObject } from '../../common/schema.js';
import { Tensor } from '../../engine/tensor.js';
import type { LossComponent, LossValue } from './loss.js';
import { oneHot } from './targets.js';

export function meanSquaredError(pred: Tensor, targets: ArrayLike<number>, grad = new Tensor(pred.shape)): LossValue {
  const n = pred.size;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const d = pred.data[i] - targets[i];
    total += d * d;
    grad.data[i] = (2 * d) / n;
  }
  return { loss: total / n, grad };
}

export const mse = {
  type: 'mse',
  summary: 'mean over all outputs of (ŷ − y)² with one-hot y, on a linear output',
  outputs: ['linear'],
  schema: strictObject({ type: z.literal('mse') }),
  create: () => ({
    output: 'linear',
    outputs: (logits: Tensor) => logits.clone(),
    compute: (logits, labels, grad?) => meanSquaredError(logits, oneHot(labels, logits.cols).data, grad),
  }),
} satisfies LossComponent;
