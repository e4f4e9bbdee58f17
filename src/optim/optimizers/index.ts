// Every optimizer a spec's `optimizer` may name.
import type * as z from 'zod';
import type { Backend } from '../../engine/backend.js';
import { registry } from '../../common/registry.js';
import { adadelta } from './adadelta.js';
import { adagrad } from './adagrad.js';
import { adam } from './adam.js';
import { adamax } from './adamax.js';
import { nadam } from './nadam.js';
import { Optimizer, type OptimizerComponent } from './optimizer.js';
import { rmsprop } from './rmsprop.js';
import { sgd } from './sgd.js';

export const optimizerRegistry = registry<OptimizerComponent>()('optimizer', [sgd, adagrad, adadelta, rmsprop, adam, adamax, nadam]);
export const optimizers = optimizerRegistry.components;
export const optimizerSchema = optimizerRegistry.schema;
export type OptimizerConfig = z.output<typeof optimizerSchema>;
export const findOptimizer = optimizerRegistry.find;

/** The optimizer a spec names, its rule inside the shared transforms; with a backend, rules that have a kernel use it. */
export function createOptimizer(config: OptimizerConfig, backend?: Backend): Optimizer {
  return new Optimizer(findOptimizer(config.type).create(config), config, backend);
}
