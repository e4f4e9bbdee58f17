// An element-wise activation as a layer: y = f(x), dx = dy · f′(x), run by the backend's
// kernels (the formulas live with them: engine/reference.ts and its SIMD twins).
import type * as z from 'zod';
import type { Squash } from '../../engine/backend.js';
import { Tensor } from '../../engine/tensor.js';
import type { Layer, LayerComponent } from '../layer.js';

/** Which kernel computes an activation: a rectifier with its slope below 0, a smooth one, or none. */
export type ActivationKernel = { slope: number } | { squash: Squash; alpha: number } | 'identity';

export interface ElementwiseActivation<S extends z.ZodObject = z.ZodObject> {
  readonly type: string;
  readonly summary: string;
  readonly schema: S;
  kernel(config: z.output<S>): ActivationKernel;
}

export function activationLayer<S extends z.ZodObject>(a: ElementwiseActivation<S>): LayerComponent<S> {
  return {
    type: a.type,
    summary: a.summary,
    schema: a.schema,
    create(config, { inputShape, backend }): Layer {
      const kernel = a.kernel(config);
      let input: Tensor | undefined;
      let output: Tensor | undefined;
      let y: Tensor | undefined;
      let dx: Tensor | undefined;
      return {
        type: a.type,
        outputShape: inputShape,
        params: [],
        forward(x) {
          if (kernel === 'identity') return x;
          y = Tensor.reuse(y, x.shape, backend);
          if ('slope' in kernel) backend.leakyRelu(x.data, y.data, kernel.slope);
          else backend.squash(kernel.squash, x.data, y.data, kernel.alpha);
          input = x;
          output = y;
          return y;
        },
        backward(dy) {
          if (kernel === 'identity') return dy;
          if (!input || !output) throw new Error(`${a.type}.backward before forward`);
          dx = Tensor.reuse(dx, dy.shape, backend);
          if ('slope' in kernel) backend.leakyReluBackward(input.data, dy.data, dx.data, kernel.slope);
          else backend.squashBackward(kernel.squash, input.data, output.data, dy.data, dx.data, kernel.alpha);
          return dx;
        },
      };
    },
  };
}
