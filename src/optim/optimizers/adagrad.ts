// Adagrad (Duchi, Hazan & Singer 2011, https://jmlr.org/papers/v12/duchi11a.html):
// s ← s + g², w ← w − lr·g/(√s + ε).
import { positive } from '../../common/schema.js';
import { defineOptimizer, optimizerSchema } from './optimizer.js';

export const adagrad = defineOptimizer({
  type: 'adagrad',
  summary: 's ← s + g²; w ← w − lr·g/(√s + ε)',
  schema: optimizerSchema('adagrad', 0.01, { eps: positive().default(1e-10) }),
  create: ({ eps }) => ({
    slots: ['sum'],
    update(w, g, [s], lr) {
      for (let i = 0; i < w.length; i++) {
        s[i] += g[i] * g[i];
        w[i] -= (lr * g[i]) / (Math.sqrt(s[i]) + eps);
      }
    },
  }),
});
