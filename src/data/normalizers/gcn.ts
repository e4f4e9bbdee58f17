// Global contrast normalization per sample (Goodfellow et al. 2013, Maxout networks §5.1;
// Coates et al. 2011): x ← s·(x − mean(x)) / max(ε, √(λ + var(x))). Nothing is fitted.
import * as z from 'zod';
import { strictObject } from '../../common/schema.js';
import { defineNormalizer, type Matrix } from './normalizer.js';

function gcnOf(scale: number, lambda: number, eps: number) {
  return ({ data, rows, cols }: Matrix): Matrix => {
    const out = new Float32Array(data.length);
    for (let r = 0; r < rows; r++) {
      const row = data.subarray(r * cols, (r + 1) * cols);
      let mean = 0;
      for (const v of row) mean += v;
      mean /= cols;
      let variance = 0;
      for (const v of row) variance += (v - mean) ** 2;
      variance /= cols;
      const divisor = Math.max(eps, Math.sqrt(lambda + variance));
      for (let c = 0; c < cols; c++) out[r * cols + c] = (scale * (row[c] - mean)) / divisor;
    }
    return { data: out, rows, cols };
  };
}

const schema = strictObject({
  type: z.literal('gcn'),
  scale: z.number().positive().default(1),
  lambda: z.number().min(0).default(0),
  eps: z.number().positive().default(1e-8),
});

export const gcn = defineNormalizer({
  type: 'gcn',
  summary: 'per sample s·(x − mean)/max(ε, √(λ + var)); fits nothing',
  schema,
  fit: ({ scale, lambda, eps }) => ({ state: {}, apply: gcnOf(scale, lambda, eps) }),
  restore: ({ scale, lambda, eps }, state) => ({ state, apply: gcnOf(scale, lambda, eps) }),
});
