// Fully connected layer y = x·W + b, W of shape [in, out] (the layout golden.json uses).
import * as z from 'zod';
import { count, strictObject } from '../../common/schema.js';
import { Tensor } from '../../engine/tensor.js';
import { createInitializer, initializerSchema } from '../initializers/index.js';
import { param, type Layer, type LayerComponent } from '../layer.js';
import { applyMask, connectionMask, sparsitySchema } from '../sparsity.js';

const schema = strictObject({
  type: z.literal('dense'),
  units: count(),
  init: initializerSchema.prefault({ type: 'glorot-uniform' }),
  /** A number is shorthand for a constant bias. */
  bias: z.union([z.number().finite(), initializerSchema]).default(0),
  /** Pre-defined sparsity: a fixed connection mask (sparsity.ts). */
  sparsity: sparsitySchema.optional(),
});

export const dense = {
  type: 'dense',
  summary: 'fully connected: `units`, `init` (weights, default glorot-uniform), `bias` (a number or an initializer, default 0), `sparsity` ({fanOut, pattern: structured | random}: pre-defined sparsity)',
  schema,
  create(config, { inputShape, backend, initRng }): Layer {
    const inputs = inputShape.reduce((a, b) => a * b, 1);
    const units = config.units;
    const weight = param('weight', [inputs, units], backend, true);
    const bias = param('bias', [units], backend, false);
    createInitializer(config.init)(weight.value.data, { fanIn: inputs, fanOut: units }, initRng);
    const biasInit = typeof config.bias === 'number' ? { type: 'constant' as const, value: config.bias } : config.bias;
    createInitializer(biasInit)(bias.value.data, { fanIn: inputs, fanOut: units }, initRng);
    // the mask is a buffer, so checkpoints carry it; masked weights start and stay at 0
    const mask = config.sparsity && new Tensor([inputs, units], connectionMask(inputs, units, config.sparsity, initRng));
    if (mask) applyMask(weight.value.data, mask.data);
    let input: Tensor | undefined;
    let out: Tensor | undefined;
    let dx: Tensor | undefined;
    const paramGrads = (dy: Tensor) => {
      if (!input) throw new Error('dense.backward before forward');
      // dW = xᵀ·dy, db = Σ_rows dy
      backend.matmul(input.data, dy.data, weight.grad.data, { m: inputs, k: dy.rows, n: units, transA: true });
      if (mask) applyMask(weight.grad.data, mask.data);
      backend.sumRows(dy.data, units, bias.grad.data);
    };

    return {
      type: 'dense',
      outputShape: [units],
      params: [weight, bias],
      ...(mask && { buffers: [{ name: 'mask', value: mask }], density: config.sparsity!.fanOut / units }),
      forward(x) {
        input = x;
        const batch = x.rows;
        const y = (out = Tensor.reuse(out, [batch, units], backend));
        backend.matmul(x.data, weight.value.data, y.data, { m: batch, k: inputs, n: units });
        backend.addRowVector(y.data, bias.value.data);
        return y;
      },
      backwardParamsOnly: paramGrads,
      backward(dy) {
        paramGrads(dy);
        // dx = dy·Wᵀ
        dx = Tensor.reuse(dx, input!.shape, backend);
        backend.matmul(dy.data, weight.value.data, dx.data, { m: dy.rows, k: units, n: inputs, transB: true });
        return dx;
      },
    };
  },
} satisfies LayerComponent<typeof schema>;
