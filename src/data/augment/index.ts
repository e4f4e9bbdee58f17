// Every augmentation a spec's `data.augment` list may name, and the batch transform they make.
import { DataError } from '../../common/errors.js';
import { componentSchema, type ComponentConfig } from '../../common/schema.js';
import type { Rng } from '../../random/rng.js';
import type { Tensor } from '../../engine/tensor.js';
import type { AugmentationComponent } from './augmentation.js';
import { elastic } from './elastic.js';
import { crop, flip, rotate, transpose } from './geometric.js';

export const augmentations: readonly AugmentationComponent[] = [crop, flip, transpose, rotate, elastic];
export const augmentationSchema = componentSchema(augmentations);

/** A transform of training batches [n, C, H, W], in place, sample by sample in order. */
export function createAugmenter(configs: readonly ComponentConfig[], sampleShape: readonly number[], rng: Rng): ((batch: Tensor) => void) | undefined {
  if (configs.length === 0) return undefined;
  if (sampleShape.length !== 3) {
    throw new DataError(`data.augment: augmentations need images (channels × height × width); this dataset's samples have shape [${sampleShape.join(', ')}]`);
  }
  const [channels, height, width] = sampleShape;
  const ops = configs.map((c) => {
    const component = augmentations.find((a) => a.type === c.type)!;
    return component.create(c as never, { channels, height, width });
  });
  const size = channels * height * width;
  return (batch) => {
    for (let i = 0; i < batch.rows; i++) {
      const image = { data: batch.data.subarray(i * size, (i + 1) * size), channels, height, width };
      for (const op of ops) op(image, rng);
    }
  };
}
