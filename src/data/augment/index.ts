// Every augmentation a spec's `data.augment` list may name, and the batch transform they make.
import { DataError } from '../../common/errors.js';
import type * as z from 'zod';
import { registry } from '../../common/registry.js';
import type { Rng } from '../../random/rng.js';
import type { Tensor } from '../../engine/tensor.js';
import type { AugmentationComponent } from './augmentation.js';
import { elastic } from './elastic.js';
import { crop, flip, rotate, transpose } from './geometric.js';

export const augmentationRegistry = registry<AugmentationComponent>()('augmentation', [crop, flip, transpose, rotate, elastic]);
export const augmentations = augmentationRegistry.components;
export const augmentationSchema = augmentationRegistry.schema;
export type AugmentationConfig = z.output<typeof augmentationSchema>;

/** A transform of training batches [n, C, H, W], in place, sample by sample in order. */
export function createAugmenter(configs: readonly AugmentationConfig[], sampleShape: readonly number[], rng: Rng): ((batch: Tensor) => void) | undefined {
  if (configs.length === 0) return undefined;
  if (sampleShape.length !== 3) {
    throw new DataError(`data.augment: augmentations need images (channels × height × width); this dataset's samples have shape [${sampleShape.join(', ')}]`);
  }
  const [channels, height, width] = sampleShape;
  const ops = configs.map((c) => augmentationRegistry.find(c.type).create(c, { channels, height, width }));
  const size = channels * height * width;
  return (batch) => {
    for (let i = 0; i < batch.rows; i++) {
      const image = { data: batch.data.subarray(i * size, (i + 1) * size), channels, height, width };
      for (const op of ops) op(image, rng);
    }
  };
}
