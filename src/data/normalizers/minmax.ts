// Min-max scaling per feature to [0, 1] on the training split; a constant feature maps to 0.
import * as z from 'zod';
import { strictObject } from '../../common/schema.js';
import { affine, defineNormalizer, numberArray } from './normalizer.js';

export const minmax = defineNormalizer({
  type: 'minmax',
  summary: 'per feature (x − min)/(max − min) to [0, 1]; a constant feature maps to 0',
  schema: strictObject({ type: z.literal('minmax') }),
  fit(_c, { data, rows, cols }) {
    const min = new Array<number>(cols).fill(Infinity);
    const max = new Array<number>(cols).fill(-Infinity);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        min[c] = Math.min(min[c], data[r * cols + c]);
        max[c] = Math.max(max[c], data[r * cols + c]);
      }
    }
    const range = min.map((m, c) => max[c] - m || 1);
    return { state: { min, max }, apply: affine(min, range) };
  },
  restore(_c, state) {
    const min = numberArray(state, 'min', (state.min as number[]).length);
    const max = numberArray(state, 'max', min.length);
    return { state, apply: affine(min, min.map((m, c) => max[c] - m || 1)) };
  },
});
