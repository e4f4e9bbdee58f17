// A sequential model built from the spec's layer list, with each layer's input shape taken
// from the one before it (the first from the dataset), and a loss fused with its output.
import type { Backend } from '../engine/backend.js';
import type { Rng } from '../random/rng.js';
import { MemoryLimitError, Tensor, shapeText } from '../engine/tensor.js';
import { LayerShapeError, passThrough, type Layer, type Param } from './layer.js';
import { findLayer, type LayerConfig } from './layers/index.js';
import { findLoss, type LossConfig } from './losses/index.js';
import type { Loss, LossValue } from './losses/loss.js';
import { regressionLoss, regressionLosses } from './losses/regression.js';

export interface ModelSpec {
  layers: LayerConfig[];
  output?: string;
}

export interface SummaryRow {
  layer: string;
  outputShape: readonly number[];
  /** Trainable values; a sparse layer counts only the weights its mask keeps. */
  params: number;
  /** Pre-defined sparsity: the fraction of the layer's weights that exist. */
  density?: number;
  /** …and the count of weights it keeps. */
  weights?: number;
}

export class Model {
  private lossGrad: Tensor | undefined;

  constructor(
    readonly inputShape: readonly number[],
    readonly layers: readonly Layer[],
    readonly loss: Loss,
  ) {}

  static build(
    spec: ModelSpec,
    loss: LossConfig,
    inputShape: readonly number[],
    classes: number,
    backend: Backend,
    initRng: Rng,
    dropoutRng: Rng,
    /** A regression task: its standardized targets by row id (labels are row ids). */
    regression?: Float32Array,
  ): Model {
    const layers: Layer[] = [];
    let shape = inputShape;
    for (const [i, config] of spec.layers.entries()) {
      try {
        const layer = findLayer(config.type).create(config, { inputShape: shape, backend, initRng, dropoutRng });
        layers.push(layer);
        shape = layer.outputShape;
      } catch (e) {
        if (e instanceof LayerShapeError) throw new ModelError(`model.layers.${i}: ${e.message}`);
        if (e instanceof MemoryLimitError) throw new ModelError(`model.layers.${i} (${config.type}): too big for the memory: ${e.message}; make the layer smaller`);
        throw e;
      }
    }
    // relu then max pooling: the pooling applies the relu to its (4× smaller) output
    for (let i = 0; i + 1 < layers.length; i++) {
      if (layers[i].type === 'relu' && layers[i + 1].takeRelu?.()) layers[i] = passThrough(layers[i]);
    }
    const lossComponent = findLoss(loss.type);
    if (spec.output !== undefined && !lossComponent.outputs.includes(spec.output)) {
      throw new ModelError(`model.output: loss '${loss.type}' needs output ${lossComponent.outputs.map((o) => `'${o}'`).join(' or ')}, found '${spec.output}'`);
    }
    // Keras's Dense(…, activation='softmax') before a cross-entropy: softmax twice, a flat loss
    if (spec.layers.length > 0 && spec.layers[spec.layers.length - 1].type === 'softmax' && lossComponent.outputs.includes('softmax')) {
      throw new ModelError(`model.layers.${spec.layers.length - 1}: loss '${loss.type}' applies softmax to the last layer's outputs itself; a softmax layer here would apply it twice: remove it`);
    }
    const outputSize = shape.reduce((a, b) => a * b, 1);
    if (outputSize !== classes) {
      const last = layers.length === 0 ? 'the input' : `layer ${layers.length} (${layers[layers.length - 1].type})`;
      if (regression) throw new ModelError(`model.layers: ${last} gives shape ${shapeText(shape)}, but a regression target needs one output: make the last layer a dense layer with units: 1`);
      throw new ClassCountError(`model.layers: ${last} gives shape ${shapeText(shape)}, but the dataset has ${classes} classes`, classes);
    }
    if (regression) {
      const fitted = regressionLoss(loss, regression);
      if (!fitted) throw new ModelError(`loss: '${loss.type}' is for classes; a regression target needs ${regressionLosses.map((l) => `'${l}'`).join(', ')}`);
      return new Model(inputShape, layers, fitted);
    }
    return new Model(inputShape, layers, lossComponent.create(loss));
  }

  get params(): Param[] {
    return this.layers.flatMap((l) => l.params);
  }

  /** Parameters by stable names, `layers.<index>.<param>`, as checkpoints store them. */
  namedParams(): [string, Param][] {
    return this.layers.flatMap((l, i) => l.params.map((p): [string, Param] => [`layers.${i}.${p.name}`, p]));
  }

  /** Everything a checkpoint keeps of the model: parameter values and buffers, by name. */
  namedState(): [string, Tensor][] {
    return this.layers.flatMap((l, i) => [
      ...l.params.map((p): [string, Tensor] => [`layers.${i}.${p.name}`, p.value]),
      ...(l.buffers ?? []).map((b): [string, Tensor] => [`layers.${i}.${b.name}`, b.value]),
    ]);
  }

  logits(x: Tensor, training: boolean): Tensor {
    let h = x;
    for (const layer of this.layers) h = layer.forward(h, training);
    return h;
  }

  /**
   * One training step's forward and backward: sets every param's grad, returns the loss. The
   * loss's gradient goes into a buffer kept from batch to batch, as the layers' outputs do.
   */
  lossAndGradients(x: Tensor, labels: Int32Array): LossValue & { logits: Tensor } {
    const logits = this.logits(x, true);
    this.lossGrad = Tensor.reuse(this.lossGrad, logits.shape);
    const value = this.loss.compute(logits, labels, this.lossGrad);
    let g = value.grad;
    for (let i = this.layers.length - 1; i > 0; i--) g = this.layers[i].backward(g);
    // the data needs no gradient: the first layer skips its input product where it can
    const first = this.layers[0];
    if (first.backwardParamsOnly) first.backwardParamsOnly(g);
    else first.backward(g);
    return { loss: value.loss, grad: value.grad, logits };
  }

  summary(): SummaryRow[] {
    return this.layers.map((l) => {
      const all = l.params.reduce((a, p) => a + p.value.size, 0);
      const mask = l.buffers?.find((b) => b.name === 'mask')?.value.data;
      const kept = mask ? mask.reduce((a, b) => a + b, 0) : 0;
      const row: SummaryRow = { layer: l.type, outputShape: l.outputShape, params: all - (mask ? mask.length - kept : 0) };
      return mask ? { ...row, density: l.density, weights: kept } : row;
    });
  }
}

/** The layer list does not fit the data or the loss; the run layer turns it into a spec error. */
export class ModelError extends Error {}

/** The model's outputs do not match the dataset's classes: the caller adds what the labels are. */
export class ClassCountError extends ModelError {
  constructor(message: string, readonly classes: number) {
    super(message);
  }
}

export { Tensor };
