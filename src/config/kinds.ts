// Every kind of component a spec can name, in the README's order: its registry and where a
// spec takes one. This list drives the JSON Schema (json-schema.ts), the README's spec
// reference (reference.ts), the registry-wide tests, and the sweep's path checks (componentsAt).
import type { Registry } from '../common/registry.js';
import { augmentationRegistry } from '../data/augment/index.js';
import { datasetRegistry } from '../data/datasets/index.js';
import { normalizerRegistry } from '../data/normalizers/index.js';
import { initializerRegistry } from '../nn/initializers/index.js';
import { layerRegistry } from '../nn/layers/index.js';
import { lossRegistry } from '../nn/losses/index.js';
import { optimizerRegistry } from '../optim/optimizers/index.js';
import { scheduleRegistry } from '../optim/schedules/index.js';

export interface Kind {
  /** 'layers', 'optimizers', … */
  readonly kind: string;
  /** Its heading in the spec reference. */
  readonly title: string;
  /** Where a spec takes one, as the spec reference says it. */
  readonly slot: string;
  /** The spec paths of its slots, `*` standing for a list index. */
  readonly paths: readonly string[];
  readonly registry: Registry;
}

export const kinds: readonly Kind[] = [
  { kind: 'datasets', title: 'Datasets', slot: 'data.dataset', paths: ['data.dataset'], registry: datasetRegistry },
  { kind: 'normalizers', title: 'Normalizers', slot: 'data.normalize: [...]', paths: ['data.normalize.*'], registry: normalizerRegistry },
  { kind: 'augmentations', title: 'Augmentations', slot: 'data.augment: [...]', paths: ['data.augment.*'], registry: augmentationRegistry },
  { kind: 'layers', title: 'Layers', slot: 'model.layers: [...]', paths: ['model.layers.*'], registry: layerRegistry },
  { kind: 'initializers', title: 'Initializers', slot: 'init, bias of a layer', paths: ['model.layers.*.init', 'model.layers.*.bias'], registry: initializerRegistry },
  { kind: 'losses', title: 'Losses', slot: 'loss', paths: ['loss'], registry: lossRegistry },
  { kind: 'optimizers', title: 'Optimizers', slot: 'optimizer', paths: ['optimizer'], registry: optimizerRegistry },
  { kind: 'schedules', title: 'Schedules', slot: 'schedule', paths: ['schedule'], registry: scheduleRegistry },
];

/** A component slot that a spec path falls in. */
export interface SlotAt {
  /** The kind of component there: 'layers'. */
  kind: string;
  /** The component's own path: 'model.layers.0'. */
  slot: string;
  /** The option of the component the path names ('units'); absent when the path is the slot itself. */
  key?: string;
  /** The types that could be there: with a key, those that have that option (none: no component has it). */
  types: string[];
}

/**
 * Which components could be at a spec path (`optimizer.lr`, `model.layers.0.units`,
 * `data.augment.0.degrees`), outermost slot first: `model.layers.0.init.value` is in a layer
 * (its option `init`) and in an initializer (its option `value`). A path in no slot gives [].
 */
export function componentsAt(path: string | readonly (string | number)[]): SlotAt[] {
  const parts = typeof path === 'string' ? path.split('.') : path.map(String);
  const found: SlotAt[] = [];
  for (const { kind, paths, registry } of kinds) {
    for (const pattern of paths.map((p) => p.split('.'))) {
      if (parts.length < pattern.length || !pattern.every((q, i) => (q === '*' ? /^\d+$/.test(parts[i]) : q === parts[i]))) continue;
      const slot = parts.slice(0, pattern.length).join('.');
      const key = parts[pattern.length];
      const types = registry.components.filter((c) => key === undefined || Object.hasOwn(c.schema.shape, key)).map((c) => c.type);
      found.push(key === undefined ? { kind, slot, types } : { kind, slot, key, types });
    }
  }
  return found.sort((a, b) => a.slot.length - b.slot.length);
}
