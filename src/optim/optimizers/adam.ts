// Adam (Kingma & Ba 2015, https://arxiv.org/abs/1412.6980), in PyTorch's arithmetic:
// w ← w − (lr/(1−β1ᵗ))·m / (√v/√(1−β2ᵗ) + ε).
import * as z from 'zod';
import { positive } from '../../common/schema.js';
import type { AdamStep } from '../../engine/backend.js';
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
  create: ({ beta1, beta2, eps }) => {
    // the step's constants, worked out once per update and shared by its parameters
    let step: AdamStep = { stepSize: NaN, correction2: NaN, beta1, beta2, eps };
    let stepLr = NaN;
    let stepT = NaN;
    return {
      slots: ['m', 'v'],
      update(w, g, [m, v], lr, t, backend) {
        if (lr !== stepLr || t !== stepT) {
          step = { stepSize: lr / (1 - beta1 ** t), correction2: Math.sqrt(1 - beta2 ** t), beta1, beta2, eps };
          stepLr = lr;
          stepT = t;
        }
        if (backend && w instanceof Float32Array) backend.adam(w, g as Float32Array, m as Float32Array, v as Float32Array, step);
        else adamUpdate(w, g, m, v, step);
      },
    };
  },
});
