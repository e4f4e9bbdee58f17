// Standardization per feature: x ← (x − mean) / std, population std from the training split;
// a constant feature keeps std 1 (LeCun et al. 1998, "Efficient BackProp" §4.3).
import * as z from 'zod';
import { strictObject } from '../../common/schema.js';
import { affine, defineNormalizer, numberArray } from './normalizer.js';

export const zscore = defineNormalizer({
  type: 'zscore',
  summary: 'per feature (x − mean)/std, population std; a constant feature keeps std 1',
  schema: strictObject({ type: z.literal('zscore') }),
  fit(_c, { data, rows, cols }) {
    const mean = new Array<number>(cols).fill(0);
    const std = new Array<number>(cols).fill(0);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c] += data[r * cols + c];
    for (let c = 0; c < cols; c++) mean[c] /= rows;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) std[c] += (data[r * cols + c] - mean[c]) ** 2;
    }
    for (let c = 0; c < cols; c++) std[c] = Math.sqrt(std[c] / rows) || 1;
    return { state: { mean, std }, apply: affine(mean, std) };
  },
  restore(_c, state) {
    const mean = state.mean as number[];
    return { state, apply: affine(numberArray(state, 'mean', mean.length), numberArray(state, 'std', mean.length)) };
  },
});
