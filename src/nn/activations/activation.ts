// An element-wise activation as a layer: y = f(x), dx = dy · f'(x) with f' written from x and y.
import type * as z from 'zod';
import { Tensor } from '../../engine/tensor.js';
import type { Layer, LayerComponent } from '../layer.js';

export interface ElementwiseActivation<S extends z.ZodObject = z.ZodObject> {
  readonly type: string;
  readonly summary: string;
  readonly schema: S;
  /** Returns y = f(x) and the derivative f'(x) given x and y, for this config. */
  make(config: z.output<S>): { f: (x: number) => number; df: (x: number, y: number) => number };
  /** For rectifiers: the slope below 0, so that the backend's leakyRelu kernel runs them. */
  slopeBelowZero?(config: z.output<S>): number;
}

export function activationLayer<S extends z.ZodObject>(a: ElementwiseActivation<S>): LayerComponent<S> {
  return {
    type: a.type,
    summary: a.summary,
    schema: a.schema,
    create(config, { inputShape, backend }): Layer {
      const { f, df } = a.make(config);
      const slope = a.slopeBelowZero?.(config);
      let input: Tensor | undefined;
      let output: Tensor | undefined;
      let y: Tensor | undefined;
      let dx: Tensor | undefined;
      return {
        type: a.type,
        outputShape: inputShape,
        params: [],
        forward(x) {
          y = Tensor.reuse(y, x.shape, backend);
          const xd = x.data;
          const yd = y.data;
          if (slope !== undefined) backend.leakyRelu(xd, yd, slope);
          else for (let i = 0; i < xd.length; i++) yd[i] = f(xd[i]);
          input = x;
          output = y;
          return y;
        },
        backward(dy) {
          if (!input || !output) throw new Error(`${a.type}.backward before forward`);
          dx = Tensor.reuse(dx, dy.shape, backend);
          const [xd, yd, dyd, dxd] = [input.data, output.data, dy.data, dx.data];
          if (slope !== undefined) backend.leakyReluBackward(xd, dyd, dxd, slope);
          else for (let i = 0; i < xd.length; i++) dxd[i] = dyd[i] * df(xd[i], yd[i]);
          return dx;
        },
      };
    },
  };
}
