// A loss for a regression target: the batch's `labels` are row ids into the standardized
// targets (data/prepare.ts), and the one output unit predicts the standardized value.
import type { Tensor } from '../../engine/tensor.js';
import type { Loss } from './loss.js';
import { meanSquaredError } from './mse.js';
import { absolute, huberOf, pointwise } from './robust.js';

export const regressionLosses = ['mse', 'mae', 'huber'];

/** The loss `config` over `targets`; undefined for a loss that is not for regression. */
export function regressionLoss(config: { type: string } & Record<string, unknown>, targets: Float32Array): Loss | undefined {
  const gather = (labels: Int32Array) => Float32Array.from(labels, (id) => targets[id]);
  const outputs = (logits: Tensor) => logits.clone();
  switch (config.type) {
    case 'mse':
      return { output: 'linear', outputs, compute: (pred, labels, grad?) => meanSquaredError(pred, gather(labels), grad) };
    case 'mae':
      return { output: 'linear', outputs, compute: (pred, labels, grad?) => pointwise(pred, gather(labels), absolute.f, absolute.df, grad) };
    case 'huber': {
      const h = huberOf(typeof config.delta === 'number' ? config.delta : 1);
      return { output: 'linear', outputs, compute: (pred, labels, grad?) => pointwise(pred, gather(labels), h.f, h.df, grad) };
    }
    default:
      return undefined;
  }
}
