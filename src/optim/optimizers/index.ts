// Every optimizer a spec's `optimizer` may name.
import type { Backend } from '../../engine/backend.js';
import { componentSchema, type ComponentConfig } from '../../common/schema.js';
import { adadelta } from './adadelta.js';
import { adagrad } from './adagrad.js';
import { adam } from './adam.js';
import { adamax } from './adamax.js';
import { nadam } from './nadam.js';
import { Optimizer, type OptimizerComponent, type SharedOptions } from './optimizer.js';
import { rmsprop } from './rmsprop.js';
import { sgd } from './sgd.js';

export const optimizers: readonly OptimizerComponent[] = [sgd, adagrad, adadelta, rmsprop, adam, adamax, nadam];
export const optimizerSchema = componentSchema(optimizers);

export function findOptimizer(type: string): OptimizerComponent {
  const component = optimizers.find((c) => c.type === type);
  if (!component) throw new Error(`no optimizer '${type}'`);
  return component;
}

/** The optimizer of a validated config: its rule inside the shared transforms. */
/** The optimizer a spec names; with a backend, rules that have a kernel use it. */
export function createOptimizer(config: ComponentConfig, backend?: Backend): Optimizer {
  return new Optimizer(findOptimizer(config.type).create(config as never), config as unknown as SharedOptions, backend);
}
