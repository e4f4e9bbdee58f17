// Every normalizer a spec's `data.normalize` list may name, and fitting a chain of them.
import { SpecError } from '../../common/errors.js';
import type * as z from 'zod';
import { registry } from '../../common/registry.js';
import { gcn } from './gcn.js';
import { lda } from './lda.js';
import { minmax } from './minmax.js';
import type { Fitted, Matrix, NormalizerComponent } from './normalizer.js';
import { pca } from './pca.js';
import { zca } from './zca.js';
import { zscore } from './zscore.js';

export const normalizerRegistry = registry<NormalizerComponent>()('normalizer', [zscore, minmax, zca, pca, lda, gcn]);
export const normalizers = normalizerRegistry.components;
export const normalizerSchema = normalizerRegistry.schema;
export type NormalizerConfig = z.output<typeof normalizerSchema>;
const find = normalizerRegistry.find;

export interface SavedStep {
  config: NormalizerConfig;
  state: Record<string, unknown>;
}

/**
 * Fits each step on the training data as the previous steps left it; returns the steps and the
 * transformed training data (with `inPlace`, possibly in train's own buffer).
 */
export function fitChain(configs: readonly NormalizerConfig[], train: Matrix, labels: Int32Array, inPlace = false): { steps: Fitted[]; saved: SavedStep[]; transformed: Matrix } {
  const steps: Fitted[] = [];
  let x = train;
  for (const [i, config] of configs.entries()) {
    let fitted: Fitted;
    try {
      fitted = find(config.type).fit(config, x, labels);
    } catch (e) {
      // a configuration that does not fit the data (more components than features…)
      throw new SpecError([`data.normalize.${i}: ${(e as Error).message}`]);
    }
    steps.push(fitted);
    x = fitted.apply(x, inPlace);
  }
  return { steps, saved: steps.map((s, i) => ({ config: configs[i], state: s.state })), transformed: x };
}

export function restoreChain(saved: readonly SavedStep[]): Fitted[] {
  return saved.map((s) => find(s.config.type).restore(s.config, s.state));
}

export function applyChain(steps: readonly Fitted[], x: Matrix, inPlace = false): Matrix {
  return steps.reduce((m, s) => s.apply(m, inPlace), x);
}
