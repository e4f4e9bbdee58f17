// Adadelta (Zeiler 2012, https://arxiv.org/abs/1212.5701): step sizes from the ratio of running
// RMS of updates and of gradients, so lr 1.0 works.
import * as z from 'zod';
import { positive } from '../../common/schema.js';
import { defineOptimizer, optimizerSchema } from './optimizer.js';

export const adadelta = defineOptimizer({
  type: 'adadelta',
  summary: 'a ← ρa + (1−ρ)g²; Δ = √(u+ε)/√(a+ε)·g; u ← ρu + (1−ρ)Δ²; w ← w − lr·Δ',
  schema: optimizerSchema('adadelta', 1.0, { rho: z.number().gt(0).lt(1).default(0.9), eps: positive().default(1e-6) }),
  create: ({ rho, eps }) => ({
    slots: ['squareAvg', 'deltaAvg'],
    update(w, g, [a, u], lr) {
      for (let i = 0; i < w.length; i++) {
        a[i] = rho * a[i] + (1 - rho) * g[i] * g[i];
        const delta = (Math.sqrt(u[i] + eps) / Math.sqrt(a[i] + eps)) * g[i];
        u[i] = rho * u[i] + (1 - rho) * delta * delta;
        w[i] -= lr * delta;
      }
    },
  }),
});
