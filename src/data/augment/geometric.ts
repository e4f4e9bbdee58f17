// Flips, transpose, random crop with zero padding, and rotation (bilinear, fill 0) — the
// classic image augmentations (Krizhevsky et al. 2012; Simard et al. 2003).
import * as z from 'zod';
import { DataError } from '../../common/errors.js';
import { strictObject } from '../../common/schema.js';
import { defineAugmentation, resample, type Image } from './augmentation.js';

const probability = z.number().min(0).max(1).default(0.5);

export function flipImage(image: Image, axis: 'horizontal' | 'vertical'): void {
  const { data, channels, height, width } = image;
  for (let c = 0; c < channels; c++) {
    const base = c * height * width;
    if (axis === 'horizontal') {
      for (let y = 0; y < height; y++) data.subarray(base + y * width, base + (y + 1) * width).reverse();
    } else {
      for (let y = 0; y < height >> 1; y++) {
        const a = data.slice(base + y * width, base + (y + 1) * width);
        data.copyWithin(base + y * width, base + (height - 1 - y) * width, base + (height - y) * width);
        data.set(a, base + (height - 1 - y) * width);
      }
    }
  }
}

export function transposeImage(image: Image): void {
  const { data, channels, height: n } = image;
  for (let c = 0; c < channels; c++) {
    const base = c * n * n;
    for (let y = 0; y < n; y++) {
      for (let x = y + 1; x < n; x++) {
        const t = data[base + y * n + x];
        data[base + y * n + x] = data[base + x * n + y];
        data[base + x * n + y] = t;
      }
    }
  }
}

/** Rotates counter-clockwise by `degrees` about the image centre. */
export function rotateImage(image: Image, degrees: number): void {
  const t = (degrees * Math.PI) / 180;
  const [cos, sin] = [Math.cos(t), Math.sin(t)];
  const [cy, cx] = [(image.height - 1) / 2, (image.width - 1) / 2];
  // inverse map: the output pixel comes from the input rotated back by −θ; rows grow downwards,
  // so counter-clockwise on screen sends (y, x) to source (cy + sin·dx + cos·dy, cx + cos·dx − sin·dy)
  resample(image, (y, x) => {
    const [dy, dx] = [y - cy, x - cx];
    return [cy + cos * dy + sin * dx, cx - sin * dy + cos * dx];
  });
}

export const flip = defineAugmentation({
  type: 'flip',
  summary: 'mirror left-right (`axis: horizontal`) or top-bottom (`vertical`) with probability `p`',
  schema: strictObject({ type: z.literal('flip'), axis: z.enum(['horizontal', 'vertical']).default('horizontal'), p: probability }),
  create: ({ axis, p }) => (image, rng) => {
    if (rng.uniform() < p) flipImage(image, axis);
  },
});

export const transpose = defineAugmentation({
  type: 'transpose',
  summary: 'swap rows and columns (square images) with probability `p`',
  schema: strictObject({ type: z.literal('transpose'), p: probability }),
  create: (c, shape) => {
    if (shape.height !== shape.width) throw new DataError(`data.augment: transpose needs square images, found ${shape.height}×${shape.width}`);
    return (image, rng) => {
      if (rng.uniform() < c.p) transposeImage(image);
    };
  },
});

export const crop = defineAugmentation({
  type: 'crop',
  summary: 'pad every side with `padding` zeros, then crop the original size at a random offset',
  schema: strictObject({ type: z.literal('crop'), padding: z.number().int().min(1).default(4) }),
  create: ({ padding }) => (image, rng) => {
    const dy = rng.int(2 * padding + 1) - padding;
    const dx = rng.int(2 * padding + 1) - padding;
    resample(image, (y, x) => [y + dy, x + dx]);
  },
});

export const rotate = defineAugmentation({
  type: 'rotate',
  summary: 'rotate by an angle drawn uniformly from ±`degrees`, bilinear, fill 0',
  schema: strictObject({ type: z.literal('rotate'), degrees: z.number().gt(0).max(180).default(15) }),
  create: ({ degrees }) => (image, rng) => rotateImage(image, (2 * rng.uniform() - 1) * degrees),
});
