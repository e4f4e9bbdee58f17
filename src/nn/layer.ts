// A layer of a sequential model: forward and backward side by side, its parameters with their
// gradients. Shapes exclude the batch axis ("per-sample shapes").
import type { Backend } from '../engine/backend.js';
import type { Rng } from '../random/rng.js';
import { Tensor } from '../engine/tensor.js';
import type { Component } from '../common/schema.js';
import type * as z from 'zod';

export interface Param {
  /** 'weight', 'bias', … unique within its layer. */
  readonly name: string;
  readonly value: Tensor;
  readonly grad: Tensor;
  /** Weight penalties (L1/L2) apply to it: weights yes, biases and norm parameters no. */
  readonly penalized: boolean;
}

/** State a layer keeps that is not trained by gradients (batchnorm's running statistics). */
export interface StateBuffer {
  readonly name: string;
  readonly value: Tensor;
}

export interface Layer {
  readonly type: string;
  readonly outputShape: readonly number[];
  readonly params: readonly Param[];
  /** Saved and restored with the weights. */
  readonly buffers?: readonly StateBuffer[];
  /** Pre-defined sparsity: the fraction of weights that exist (its `mask` buffer holds them). */
  readonly density?: number;
  /** x has shape [batch, ...inputShape]. `training` switches dropout and batch statistics. */
  forward(x: Tensor, training: boolean): Tensor;
  /** Given d loss/d output of the last forward, sets each param's grad, returns d loss/d input. */
  backward(dy: Tensor): Tensor;
  /** backward without d loss/d input, for the first layer, whose input needs no gradient. */
  backwardParamsOnly?(dy: Tensor): void;
  /**
   * Offered by Model.build when a relu comes right before this layer: true when the layer
   * applies the relu itself from now on (max pooling: max and relu commute), and the relu
   * passes its input through. Saves the relu's passes over the larger tensor before the pooling.
   */
  takeRelu?(): boolean;
}

/** A layer that hands its input on unchanged (a relu whose work the next layer took over). */
export function passThrough(layer: Layer): Layer {
  return { type: layer.type, outputShape: layer.outputShape, params: [], forward: (x) => x, backward: (dy) => dy };
}

export interface LayerContext {
  readonly inputShape: readonly number[];
  readonly backend: Backend;
  /** The run's init stream. */
  readonly initRng: Rng;
  /** The run's dropout stream (checkpoints save it). */
  readonly dropoutRng: Rng;
}

export interface LayerComponent<S extends z.ZodObject = z.ZodObject> extends Component<S> {
  create(config: z.output<S>, context: LayerContext): Layer;
}

/** A parameter's value and gradient, in buffers the backend's kernels use in place. */
export function param(name: string, shape: readonly number[], backend: Backend, penalized: boolean): Param {
  const size = shape.reduce((a, b) => a * b, 1);
  return { name, value: new Tensor(shape, backend.alloc(size)), grad: new Tensor(shape, backend.alloc(size)), penalized };
}

/** A layer does not fit its input; Model.build names the layer and turns it into a spec error. */
export class LayerShapeError extends Error {}
