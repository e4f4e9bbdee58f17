// A LayerContext for unit tests: the reference backend and seeded streams.
import { referenceBackend } from '../src/engine/reference.js';
import { Rng } from '../src/engine/rng.js';
import type { LayerContext } from '../src/nn/layer.js';

export function context(inputShape: readonly number[], initRng = Rng.stream(0, 'init')): LayerContext {
  return { inputShape, backend: referenceBackend, initRng, dropoutRng: Rng.stream(0, 'dropout') };
}
