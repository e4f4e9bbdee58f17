// An augmentation changes training images in a batch, in place, drawing from the run's seeded
// `augment` stream; validation and test data never pass through one (REFERENCE.md §7).
import type * as z from 'zod';
import type { Component } from '../../common/schema.js';
import type { Rng } from '../../random/rng.js';

/** One image: channels × height × width, row-major. */
export interface Image {
  data: Float32Array;
  channels: number;
  height: number;
  width: number;
}

export type ImageOp = (image: Image, rng: Rng) => void;

export interface AugmentationComponent<S extends z.ZodObject = z.ZodObject> extends Component<S> {
  create(config: z.output<S>, shape: { channels: number; height: number; width: number }): ImageOp;
}

export const defineAugmentation = <S extends z.ZodObject>(c: AugmentationComponent<S>) => c;

/** Samples a channel at (y, x) bilinearly; outside the image is `fill`. */
export function bilinear(src: Float32Array, height: number, width: number, y: number, x: number, fill = 0): number {
  const y0 = Math.floor(y);
  const x0 = Math.floor(x);
  const fy = y - y0;
  const fx = x - x0;
  const at = (yy: number, xx: number) => (yy < 0 || yy >= height || xx < 0 || xx >= width ? fill : src[yy * width + xx]);
  // exact at integer coordinates, so a zero displacement is the identity
  if (fy === 0 && fx === 0) return at(y0, x0);
  return (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) + fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1));
}

/** Rebuilds every channel from a map output (y, x) → source (sy, sx), sampled bilinearly. */
export function resample(image: Image, source: (y: number, x: number) => [number, number]): void {
  const { channels, height, width, data } = image;
  const plane = height * width;
  const copy = data.slice(0, channels * plane);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [sy, sx] = source(y, x);
      for (let c = 0; c < channels; c++) data[c * plane + y * width + x] = bilinear(copy.subarray(c * plane, (c + 1) * plane), height, width, sy, sx);
    }
  }
}
