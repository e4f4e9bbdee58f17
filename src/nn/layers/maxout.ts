// Maxout (Goodfellow et al. 2013, https://arxiv.org/abs/1302.4389): a dense layer with `pieces`
// affine maps per unit; the unit outputs their maximum. Weights [in, units, pieces], biases
// [units, pieces]; the gradient flows to the winning piece (the first, on a tie), picked by the
// backend's max pooling over each unit's pieces.
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
    let winners: Int32Array = new Int32Array(0);
    let winnersMemory: Float32Array | undefined; // winners' int32s live in the backend's memory
    let [z, y, dz, dx]: (Tensor | undefined)[] = [];
    // the maximum over pieces is max pooling of 1×pieces windows, one plane per (sample, unit)
    const windows = (n: number) => ({ planes: n * units, H: 1, W: pieces, kh: 1, kw: pieces, sh: 1, sw: pieces, outH: 1, outW: 1 });
    return {
      type: 'maxout',
      outputShape: [units],
      params: [weight, bias],
      forward(x) {
        const n = x.rows;
        z = Tensor.reuse(z, [n, width], backend);
        backend.matmul(x.data, weight.value.data, z.data, { m: n, k: inputs, n: width });
        backend.addRowVector(z.data, bias.value.data);
        y = Tensor.reuse(y, [n, units], backend);
        if (winners.length < n * units) {
          if (winnersMemory) backend.free(winnersMemory);
          winnersMemory = backend.alloc(n * units);
          winners = new Int32Array(winnersMemory.buffer, winnersMemory.byteOffset, n * units);
        }
        backend.maxpool(z.data, y.data, winners, windows(n));
        input = x;
        return y;
      },
      backward(g) {
        if (!input) throw new Error('maxout.backward before forward');
        const n = g.rows;
        dz = Tensor.reuse(dz, [n, width], backend);
        backend.maxpoolBackward(g.data, winners, dz.data, windows(n));
        backend.matmul(input.data, dz.data, weight.grad.data, { m: inputs, k: n, n: width, transA: true });
        backend.sumRows(dz.data, width, bias.grad.data);
        dx = Tensor.reuse(dx, input.shape, backend);
        backend.matmul(dz.data, weight.value.data, dx.data, { m: n, k: width, n: inputs, transB: true });
        return dx;
      },
    };
  },
} satisfies LayerComponent<typeof schema>;
