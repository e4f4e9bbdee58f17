// Batch normalization (Ioffe & Szegedy 2015, https://arxiv.org/abs/1502.03167): per feature of
// dense input, per channel (over N, H, W) of images. Training normalizes with the batch mean and
// biased variance and updates running statistics (unbiased variance) with `momentum`;
// inference uses the running statistics. γ and β are not penalized. The loops are the
// backend's (batchnormStats, batchnormApply, batchnormBackward).
import * as z from 'zod';
import { strictObject } from '../../common/schema.js';
import { Tensor } from '../../engine/tensor.js';
import { param, type Layer, type LayerComponent } from '../layer.js';

const schema = strictObject({
  type: z.literal('batchnorm'),
  momentum: z.number().gt(0).max(1).default(0.1),
  eps: z.number().positive().default(1e-5),
});

export const batchnorm = {
  type: 'batchnorm',
  summary: 'batch normalization per feature (dense) or per channel (images); `momentum` 0.1, `eps` 1e-5',
  schema,
  create({ momentum, eps }, { inputShape, backend }): Layer {
    const channels = inputShape[0];
    const spatial = inputShape.slice(1).reduce((a, b) => a * b, 1); // 1 for dense input
    const gamma = param('gamma', [channels], backend, false);
    const beta = param('beta', [channels], backend, false);
    gamma.value.data.fill(1);
    const runningMean = Tensor.zeros([channels]);
    const runningVar = Tensor.from([channels], new Array(channels).fill(1));
    const [mean64, m2] = [new Float64Array(channels), new Float64Array(channels)];
    // the statistics the last forward normalized with, as the kernels take them
    const [mean, invStd] = [backend.alloc(channels), backend.alloc(channels)];
    let [y, xhat, dx]: (Tensor | undefined)[] = [];
    return {
      type: 'batchnorm',
      outputShape: inputShape,
      params: [gamma, beta],
      buffers: [{ name: 'running_mean', value: runningMean }, { name: 'running_var', value: runningVar }],
      forward(x, training) {
        const n = x.rows;
        const count = n * spatial;
        y = Tensor.reuse(y, x.shape, backend);
        if (training) {
          xhat = Tensor.reuse(xhat, x.shape, backend);
          backend.batchnormStats(x.data, n, spatial, mean64, m2);
        }
        for (let c = 0; c < channels; c++) {
          let variance = runningVar.data[c];
          mean[c] = runningMean.data[c];
          if (training) {
            [mean[c], variance] = [mean64[c], m2[c] / count];
            runningMean.data[c] = (1 - momentum) * runningMean.data[c] + momentum * mean64[c];
            runningVar.data[c] = (1 - momentum) * runningVar.data[c] + momentum * (count > 1 ? m2[c] / (count - 1) : variance);
          }
          invStd[c] = 1 / Math.sqrt(variance + eps);
        }
        backend.batchnormApply(x.data, y.data, training ? xhat!.data : undefined, mean, invStd, gamma.value.data, beta.value.data, n, spatial);
        return y;
      },
      backward(dy) {
        if (!xhat) throw new Error('batchnorm.backward before a training forward');
        dx = Tensor.reuse(dx, dy.shape, backend);
        backend.batchnormBackward(dy.data, xhat.data, dx.data, gamma.value.data, invStd, gamma.grad.data, beta.grad.data, dy.rows, spatial);
        return dx;
      },
    };
  },
} satisfies LayerComponent<typeof schema>;
