// A LayerContext for unit tests: the reference backend (or the one given) and seeded streams;
// and the backends golden cases run on: the reference, wasm, and native when it is built, on 2 threads.
import type { Backend } from '../src/engine/backend.js';
import { loadBackend } from '../src/engine/backends.js';
import { nativeAddon } from '../src/engine/native/addon.js';
import { referenceBackend } from '../src/engine/reference.js';
import { Rng } from '../src/random/rng.js';
import type { LayerContext } from '../src/nn/layer.js';

export function context(inputShape: readonly number[], initRng = Rng.stream(0, 'init'), backend: Backend = referenceBackend): LayerContext {
  return { inputShape, backend, initRng, dropoutRng: Rng.stream(0, 'dropout') };
}

export async function goldenBackends(): Promise<[string, Backend][]> {
  const native: [string, Backend][] = 'addon' in nativeAddon() ? [['native', (await loadBackend('native', 2))!]] : [];
  return [['reference', referenceBackend], ['wasm', (await loadBackend('wasm', 2))!], ...native];
}
