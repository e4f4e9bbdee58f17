// Stochastic gradient descent with optional momentum (Polyak 1964; Sutskever et al. 2013,
// https://proceedings.mlr.press/v28/sutskever13.html) in PyTorch's form v ← μv + g, w ← w − lr·v,
// the deck's form v ← μv − lr·g, w ← w + v (`momentumForm: decoupled`), and Nesterov's.
import * as z from 'zod';
import { defineOptimizer, optimizerSchema, type UpdateRule } from './optimizer.js';

export const sgd = defineOptimizer({
  type: 'sgd',
  summary: 'w ← w − lr·g; with `momentum` μ: v ← μv + g, w ← w − lr·v; `nesterov`: w ← w − lr·(g + μv); `momentumForm: decoupled`: v ← μv − lr·g, w ← w + v',
  schema: optimizerSchema('sgd', 0.01, {
    momentum: z.number().min(0).lt(1).default(0),
    nesterov: z.boolean().default(false),
    momentumForm: z.enum(['pytorch', 'decoupled']).default('pytorch'),
  }),
  create({ momentum, nesterov, momentumForm }): UpdateRule {
    if (momentum === 0) {
      return {
        slots: [],
        update(w, g, _s, lr) {
          for (let i = 0; i < w.length; i++) w[i] -= lr * g[i];
        },
      };
    }
    if (momentumForm === 'decoupled' && !nesterov) {
      return {
        slots: ['velocity'],
        update(w, g, [v], lr) {
          for (let i = 0; i < w.length; i++) {
            v[i] = momentum * v[i] - lr * g[i];
            w[i] += v[i];
          }
        },
      };
    }
    return {
      slots: ['velocity'],
      update(w, g, [v], lr, t) {
        for (let i = 0; i < w.length; i++) {
          // PyTorch starts the buffer at g on the first step
          v[i] = t === 1 ? g[i] : momentum * v[i] + g[i];
          w[i] -= lr * (nesterov ? g[i] + momentum * v[i] : v[i]);
        }
      },
    };
  },
});
