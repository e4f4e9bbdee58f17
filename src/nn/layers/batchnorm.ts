// Batch normalization (Ioffe & Szegedy 2015, https://arxiv.org/abs/1502.03167): per feature of
// dense input, per channel (over N, H, W) of images. Training normalizes with the batch mean and
// biased variance and updates running statistics (unbiased variance) with `momentum`;
// inference uses the running statistics. γ and β are not penalized.
import * as z from 'zod';
import { strictObject } from '../../common/schema.js';
import { Tensor } from '../../engine/tensor.js';
import type { Layer, LayerComponent, Param } from '../layer.js';

const schema = strictObject({
  type: z.literal('batchnorm'),
  momentum: z.number().gt(0).max(1).default(0.1),
  eps: z.number().positive().default(1e-5),
});

export const batchnorm = {
  type: 'batchnorm',
  summary: 'batch normalization per feature (dense) or per channel (images); `momentum` 0.1, `eps` 1e-5',
  schema,
  create({ momentum, eps }, { inputShape }): Layer {
    const channels = inputShape[0];
    const spatial = inputShape.slice(1).reduce((a, b) => a * b, 1); // 1 for dense input
    const param = (name: string, fill: number): Param => ({ name, value: Tensor.from([channels], new Array(channels).fill(fill)), grad: Tensor.zeros([channels]), penalized: false });
    const gamma = param('gamma', 1);
    const beta = param('beta', 0);
    const runningMean = Tensor.zeros([channels]);
    const runningVar = Tensor.from([channels], new Array(channels).fill(1));
    let xhat = new Float32Array(0);
    const invStd = new Float64Array(channels);
    let shape: readonly number[] = [];
    const at = (n: number, c: number) => (n * channels + c) * spatial; // first element of (n, c)
    return {
      type: 'batchnorm',
      outputShape: inputShape,
      params: [gamma, beta],
      buffers: [{ name: 'running_mean', value: runningMean }, { name: 'running_var', value: runningVar }],
      forward(x, training) {
        const n = x.rows;
        const y = new Tensor(x.shape);
        shape = x.shape;
        if (training && xhat.length < x.size) xhat = new Float32Array(x.size);
        const count = n * spatial;
        for (let c = 0; c < channels; c++) {
          let mean: number;
          let variance: number;
          if (training) {
            let s = 0;
            for (let i = 0; i < n; i++) for (let k = 0; k < spatial; k++) s += x.data[at(i, c) + k];
            mean = s / count;
            let v = 0;
            for (let i = 0; i < n; i++) for (let k = 0; k < spatial; k++) v += (x.data[at(i, c) + k] - mean) ** 2;
            variance = v / count;
            runningMean.data[c] = (1 - momentum) * runningMean.data[c] + momentum * mean;
            runningVar.data[c] = (1 - momentum) * runningVar.data[c] + momentum * (count > 1 ? (v / (count - 1)) : variance);
          } else {
            [mean, variance] = [runningMean.data[c], runningVar.data[c]];
          }
          const inv = 1 / Math.sqrt(variance + eps);
          invStd[c] = inv;
          const [g, b] = [gamma.value.data[c], beta.value.data[c]];
          for (let i = 0; i < n; i++) for (let k = 0; k < spatial; k++) {
            const idx = at(i, c) + k;
            const h = (x.data[idx] - mean) * inv;
            if (training) xhat[idx] = h;
            y.data[idx] = g * h + b;
          }
        }
        return y;
      },
      backward(dy) {
        const n = dy.rows;
        const count = n * spatial;
        const dx = new Tensor(shape);
        for (let c = 0; c < channels; c++) {
          let sumDy = 0;
          let sumDyXhat = 0;
          for (let i = 0; i < n; i++) for (let k = 0; k < spatial; k++) {
            const idx = at(i, c) + k;
            sumDy += dy.data[idx];
            sumDyXhat += dy.data[idx] * xhat[idx];
          }
          gamma.grad.data[c] = sumDyXhat;
          beta.grad.data[c] = sumDy;
          // dx = γ/σ · (dy − mean(dy) − x̂·mean(dy·x̂))
          const scale = gamma.value.data[c] * invStd[c];
          for (let i = 0; i < n; i++) for (let k = 0; k < spatial; k++) {
            const idx = at(i, c) + k;
            dx.data[idx] = scale * (dy.data[idx] - sumDy / count - (xhat[idx] * sumDyXhat) / count);
          }
        }
        return dx;
      },
    };
  },
} satisfies LayerComponent<typeof schema>;
