// Nadam (Dozat 2016, https://openreview.net/forum?id=OM0jvwB8jIp57ZJjtNEZ): Adam with Nesterov
// momentum and PyTorch's momentum schedule μt = β1(1 − ½·0.96^(tψ)).
import * as z from 'zod';
import { defineOptimizer, optimizerSchema } from './optimizer.js';
import { betas } from './adam.js';

export const nadam = defineOptimizer({
  type: 'nadam',
  summary: 'Adam with Nesterov momentum; μt = β1(1 − ½·0.96^(t·momentumDecay)), the PyTorch form',
  schema: optimizerSchema('nadam', 0.002, { ...betas, momentumDecay: z.number().min(0).default(0.004) }),
  create({ beta1, beta2, eps, momentumDecay }) {
    const mu = (t: number) => beta1 * (1 - 0.5 * 0.96 ** (t * momentumDecay));
    // Π μi for i ≤ t, accumulated in update order as PyTorch does; a function of t alone, so
    // checkpoints need not store it.
    const products = [1];
    const product = (t: number) => {
      while (products.length <= t) products.push(products[products.length - 1] * mu(products.length));
      return products[t];
    };
    return {
      slots: ['m', 'v'],
      update(w, g, [m, v], lr, t) {
        const correction2 = 1 - beta2 ** t;
        const muT = mu(t);
        const muNext = mu(t + 1);
        const prod = product(t);
        const gradStep = (lr * (1 - muT)) / (1 - prod);
        const momentumStep = (lr * muNext) / (1 - prod * muNext);
        for (let i = 0; i < w.length; i++) {
          m[i] = beta1 * m[i] + (1 - beta1) * g[i];
          v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
          const denom = Math.sqrt(v[i] / correction2) + eps;
          w[i] -= (gradStep * g[i]) / denom;
          w[i] -= (momentumStep * m[i]) / denom;
        }
      },
    };
  },
});
