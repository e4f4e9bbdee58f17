// Binary cross-entropy over sigmoid outputs, computed from the logits (REFERENCE.md §2): each
// output unit is an independent yes/no for its class, against the one-hot target; the mean is
// over all N×C elements, as PyTorch's BCEWithLogitsLoss. From logits it stays finite where
// log(σ(z)) would not: ℓ = max(z, 0) − z·y + log(1 + e^−|z|), dℓ/dz = σ(z) − y.
import * as z from 'zod';
import { strictObject } from '../../common/schema.js';
import { Tensor } from '../../engine/tensor.js';
import type { LossComponent, LossValue } from './loss.js';
import { oneHot } from './targets.js';

const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

export function sigmoidOutputs(logits: Tensor): Tensor {
  return new Tensor(logits.shape, logits.data.map(sigmoid));
}

/** Mean binary cross-entropy of logits against 0/1 targets of the same size, and its gradient. */
export function binaryCrossEntropyWithLogits(logits: Tensor, targets: ArrayLike<number>, grad = new Tensor(logits.shape)): LossValue {
  const n = logits.size;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const x = logits.data[i];
    const y = targets[i];
    total += Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));
    grad.data[i] = (sigmoid(x) - y) / n;
  }
  return { loss: total / n, grad };
}

export const binaryCrossEntropy = {
  type: 'binary-cross-entropy',
  summary: 'mean over all outputs of −[y·log σ(z) + (1−y)·log(1−σ(z))] with one-hot y, from logits',
  outputs: ['sigmoid'],
  schema: strictObject({ type: z.literal('binary-cross-entropy') }),
  create: () => ({
    output: 'sigmoid',
    outputs: sigmoidOutputs,
    compute: (logits, labels, grad?) => binaryCrossEntropyWithLogits(logits, oneHot(labels, logits.cols).data, grad),
  }),
} satisfies LossComponent;
