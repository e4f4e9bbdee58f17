// Maxout (Goodfellow et al. 2013, https://arxiv.org/abs/1302.4389): a dense layer with `pieces`
// affine maps per unit; the unit outputs their maximum. Weights [in, units, pieces], biases
// [units, pieces]; the gradient flows to the winning piece (the first, on a tie).
import * as z from 'zod';
import { count, strictObject } from '../../common/schema.js';
import { Tensor } from '../../engine/tensor.js';
import { createInitializer, initializerSchema } from '../initializers/index.js';
import { param, type Layer, type LayerComponent } from '../layer.js';

const schema = strictObject({
  type: z.literal('maxout'),
  units: count(),
  pieces: z.number().int().min(2).default(2),
  init: initializerSchema.prefault({ type: 'glorot-uniform' }),
  bias: z.union([z.number().finite(), initializerSchema]).default(0),
});

export const maxout = {
  type: 'maxout',
  summary: 'dense with `pieces` (2) affine maps per unit, keeping the largest: `units`, `pieces`, `init`, `bias`',
  schema,
  create(config, { inputShape, backend, initRng }): Layer {
    const inputs = inputShape.reduce((a, b) => a * b, 1);
    const { units, pieces } = config;
    const width = units * pieces;
    const weight = param('weight', [inputs, units, pieces], backend, true);
    const bias = param('bias', [units, pieces], backend, false);
    const fans = { fanIn: inputs, fanOut: units };
    createInitializer(config.init)(weight.value.data, fans, initRng);
    createInitializer(typeof config.bias === 'number' ? { type: 'constant', value: config.bias } : config.bias)(bias.value.data, fans, initRng);
    let input: Tensor | undefined;
    let winners = new Int32Array(0);
    return {
      type: 'maxout',
      outputShape: [units],
      params: [weight, bias],
      forward(x) {
        const n = x.rows;
        const z = new Float32Array(n * width);
        backend.matmul(x.data, weight.value.data, z, { m: n, k: inputs, n: width });
        backend.addRowVector(z, bias.value.data);
        const y = Tensor.zeros([n, units]);
        if (winners.length < n * units) winners = new Int32Array(n * units);
        for (let i = 0; i < n * units; i++) {
          let best = i * pieces;
          for (let k = 1; k < pieces; k++) if (z[i * pieces + k] > z[best]) best = i * pieces + k;
          y.data[i] = z[best];
          winners[i] = best;
        }
        input = x;
        return y;
      },
      backward(dy) {
        if (!input) throw new Error('maxout.backward before forward');
        const n = dy.rows;
        const dz = new Float32Array(n * width);
        for (let i = 0; i < n * units; i++) dz[winners[i]] = dy.data[i];
        backend.matmul(input.data, dz, weight.grad.data, { m: inputs, k: n, n: width, transA: true });
        backend.sumRows(dz, width, bias.grad.data);
        const dx = new Tensor(input.shape);
        backend.matmul(dz, weight.value.data, dx.data, { m: n, k: width, n: inputs, transB: true });
        return dx;
      },
    };
  },
} satisfies LayerComponent<typeof schema>;
