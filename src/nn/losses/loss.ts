// A cost paired with the output function it is fused with (REFERENCE.md §2).
import type * as z from 'zod';
import type { Tensor } from '../../engine/tensor.js';
import type { Component } from '../../common/schema.js';

export interface LossValue {
  /** Mean loss over the batch. */
  loss: number;
  /** d loss / d logits. */
  grad: Tensor;
}

export interface Loss {
  /** The output function the model applies to its last layer (e.g. softmax). */
  readonly output: string;
  /**
   * The batch's loss and its gradient, written into `grad` when given (a tensor of the logits'
   * shape that the model keeps from batch to batch; every value is overwritten), else into a new one.
   */
  compute(logits: Tensor, labels: Int32Array, grad?: Tensor): LossValue;
  /** The model's outputs (e.g. class probabilities) from logits. */
  outputs(logits: Tensor): Tensor;
}

export interface LossComponent<S extends z.ZodObject = z.ZodObject> extends Component<S> {
  /** The spec's `model.output` values this loss can follow. */
  readonly outputs: readonly string[];
  create(config: z.output<S>): Loss;
}
