import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../random/rng.js';
import { Tensor } from '../../engine/tensor.js';
import type { Image } from './augmentation.js';
import { elastic } from './elastic.js';
import { crop, flipImage, rotateImage, transposeImage } from './geometric.js';
import { augmentationSchema, createAugmenter } from './index.js';

function image(channels = 2, n = 5): Image {
  const rng = Rng.stream(1, 'img');
  return { data: Float32Array.from({ length: channels * n * n }, () => rng.normal()), channels, height: n, width: n };
}
const copy = (i: Image): Image => ({ ...i, data: i.data.slice() });

test('two flips along the same axis are the identity; a flip is not', () => {
  for (const axis of ['horizontal', 'vertical'] as const) {
    const a = image();
    const b = copy(a);
    flipImage(b, axis);
    assert.notDeepEqual(b.data, a.data);
    flipImage(b, axis);
    assert.deepEqual(b.data, a.data);
  }
});

test('rotating by 90° (counter-clockwise) equals a transpose and a vertical flip', () => {
  const a = image(3, 6);
  const rotated = copy(a);
  rotateImage(rotated, 90);
  const other = copy(a);
  transposeImage(other);
  flipImage(other, 'vertical');
  for (let i = 0; i < a.data.length; i++) assert.ok(Math.abs(rotated.data[i] - other.data[i]) < 1e-5, `pixel ${i}`);
});

test('elastic distortion with alpha 0 is the identity, and with alpha > 0 is not', () => {
  const a = image(1, 12);
  const b = copy(a);
  elastic.create(elastic.schema.parse({ type: 'elastic', alpha: 0, sigma: 3 }) as never, { channels: 1, height: 12, width: 12 })(b, Rng.stream(2, 'a'));
  assert.deepEqual(b.data, a.data);
  elastic.create(elastic.schema.parse({ type: 'elastic', alpha: 8, sigma: 2 }) as never, { channels: 1, height: 12, width: 12 })(b, Rng.stream(2, 'a'));
  assert.notDeepEqual(b.data, a.data);
});

test('crop with padding shifts the image by at most the padding and fills with zeros', () => {
  const n = 6;
  for (let seed = 0; seed < 10; seed++) {
    const a = image(1, n);
    const b = copy(a);
    crop.create(crop.schema.parse({ type: 'crop', padding: 2 }) as never, { channels: 1, height: n, width: n })(b, Rng.stream(seed, 'crop'));
    const match = [-2, -1, 0, 1, 2].flatMap((dy) => [-2, -1, 0, 1, 2].map((dx) => [dy, dx])).find(([dy, dx]) => {
      for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
        const [sy, sx] = [y + dy, x + dx];
        const expected = sy < 0 || sy >= n || sx < 0 || sx >= n ? 0 : a.data[sy * n + sx];
        if (b.data[y * n + x] !== expected) return false;
      }
      return true;
    });
    assert.ok(match, `seed ${seed}: the output is a shifted copy`);
  }
});

test('an augmenter needs image samples and changes batches sample by sample', () => {
  const configs = [augmentationSchema.parse({ type: 'flip', p: 1 })];
  assert.throws(() => createAugmenter(configs, [64], Rng.stream(0, 'augment')), {
    message: 'data.augment: augmentations need images (channels × height × width); this dataset\'s samples have shape [64]',
  });
  const augment = createAugmenter(configs, [1, 2, 2], Rng.stream(0, 'augment'))!;
  const batch = Tensor.from([2, 1, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
  augment(batch);
  assert.deepEqual([...batch.data], [2, 1, 4, 3, 6, 5, 8, 7]);
  assert.equal(createAugmenter([], [64], Rng.stream(0, 'augment')), undefined);
});
