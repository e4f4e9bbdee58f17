// Elastic distortion (Simard, Steinkraus & Platt 2003, "Best practices for convolutional neural
// networks applied to visual document analysis"): random displacement fields U(−1, 1) per pixel,
// smoothed by a Gaussian of `sigma`, scaled by `alpha`, sampled bilinearly.
import * as z from 'zod';
import { strictObject } from '../../common/schema.js';
import { defineAugmentation, resample } from './augmentation.js';

/** Separable Gaussian blur of a height×width field, zero outside, kernel radius 3σ. */
export function gaussianBlur(field: Float64Array, height: number, width: number, sigma: number): Float64Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const total = kernel.reduce((a, b) => a + b, 0);
  const k = kernel.map((v) => v / total);
  const pass = (src: Float64Array, horizontal: boolean) => {
    const out = new Float64Array(src.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let s = 0;
        for (let i = -radius; i <= radius; i++) {
          const [yy, xx] = horizontal ? [y, x + i] : [y + i, x];
          if (yy >= 0 && yy < height && xx >= 0 && xx < width) s += k[i + radius] * src[yy * width + xx];
        }
        out[y * width + x] = s;
      }
    }
    return out;
  };
  return pass(pass(field, true), false);
}

export const elastic = defineAugmentation({
  type: 'elastic',
  summary: 'elastic distortion: random displacements smoothed by a Gaussian of `sigma`, scaled by `alpha`',
  schema: strictObject({ type: z.literal('elastic'), alpha: z.number().min(0).default(34), sigma: z.number().positive().default(4) }),
  create: ({ alpha, sigma }, { height, width }) => (image, rng) => {
    const field = () => gaussianBlur(Float64Array.from({ length: height * width }, () => 2 * rng.uniform() - 1), height, width, sigma);
    const [dy, dx] = [field(), field()];
    resample(image, (y, x) => [y + alpha * dy[y * width + x], x + alpha * dx[y * width + x]]);
  },
});
