// RMSprop (Tieleman & Hinton 2012, Coursera lecture 6.5): divide by a running RMS of the
// gradient; optional momentum on the scaled step as PyTorch does it.
import * as z from 'zod';
import { positive } from '../../common/schema.js';
import { defineOptimizer, optimizerSchema } from './optimizer.js';

export const rmsprop = defineOptimizer({
  type: 'rmsprop',
  summary: 'a ← ρa + (1−ρ)g²; w ← w − lr·g/(√a + ε); with `momentum` μ: b ← μb + g/(√a + ε), w ← w − lr·b',
  schema: optimizerSchema('rmsprop', 0.001, {
    rho: z.number().gt(0).lt(1).default(0.9),
    eps: positive().default(1e-8),
    momentum: z.number().min(0).lt(1).default(0),
  }),
  create: ({ rho, eps, momentum }) => ({
    slots: momentum > 0 ? ['squareAvg', 'momentum'] : ['squareAvg'],
    update(w, g, [a, b], lr) {
      for (let i = 0; i < w.length; i++) {
        a[i] = rho * a[i] + (1 - rho) * g[i] * g[i];
        const step = g[i] / (Math.sqrt(a[i]) + eps);
        if (momentum > 0) {
          b[i] = momentum * b[i] + step;
          w[i] -= lr * b[i];
        } else w[i] -= lr * step;
      }
    },
  }),
});
