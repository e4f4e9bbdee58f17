// Adamax (Kingma & Ba 2015 §7.1): Adam with the infinity norm, u ← max(β2u, |g| + ε).
import { defineOptimizer, optimizerSchema } from './optimizer.js';
import { betas } from './adam.js';

export const adamax = defineOptimizer({
  type: 'adamax',
  summary: 'm ← β1m + (1−β1)g; u ← max(β2u, |g| + ε); w ← w − lr/(1−β1ᵗ)·m/u',
  schema: optimizerSchema('adamax', 0.002, betas),
  create: ({ beta1, beta2, eps }) => ({
    slots: ['m', 'u'],
    update(w, g, [m, u], lr, t) {
      const clr = lr / (1 - beta1 ** t);
      for (let i = 0; i < w.length; i++) {
        m[i] = beta1 * m[i] + (1 - beta1) * g[i];
        u[i] = Math.max(beta2 * u[i], Math.abs(g[i]) + eps);
        w[i] -= (clr * m[i]) / u[i];
      }
    },
  }),
});
