// Adam (Kingma & Ba 2015, https://arxiv.org/abs/1412.6980), in PyTorch's arithmetic:
// w ← w − (lr/(1−β1ᵗ))·m / (√v/√(1−β2ᵗ) + ε).
import * as z from 'zod';
import { positive } from '../../common/schema.js';
import { adamUpdate } from '../../engine/reference.js';
import { defineOptimizer, optimizerSchema } from './optimizer.js';

export const betas = {
  beta1: z.number().min(0).lt(1).default(0.9),
  beta2: z.number().min(0).lt(1).default(0.999),
  eps: positive().default(1e-8),
};

export const adam = defineOptimizer({
  type: 'adam',
  summary: 'm ← β1m + (1−β1)g; v ← β2v + (1−β2)g²; w ← w − lr·m̂/(√v̂ + ε) with bias-corrected m̂, v̂',
  schema: optimizerSchema('adam', 0.001, betas),
  create: ({ beta1, beta2, eps }) => ({
    slots: ['m', 'v'],
    update(w, g, [m, v], lr, t, backend) {
      const step = { stepSize: lr / (1 - beta1 ** t), correction2: Math.sqrt(1 - beta2 ** t), beta1, beta2, eps };
      if (backend && w instanceof Float32Array) backend.adam(w, g as Float32Array, m as Float32Array, v as Float32Array, step);
      else adamUpdate(w, g, m, v, step);
    },
  }),
});
