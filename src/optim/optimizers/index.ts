// Every optimizer a spec's `optimizer` may name.
import { componentSchema } from '../../common/schema.js';
import type { OptimizerComponent } from './optimizer.js';
import { sgd } from './sgd.js';

export const optimizers: readonly OptimizerComponent[] = [sgd as unknown as OptimizerComponent];
export const optimizerSchema = componentSchema(optimizers);

export function findOptimizer(type: string): OptimizerComponent {
  const component = optimizers.find((c) => c.type === type);
  if (!component) throw new Error(`no optimizer '${type}'`);
  return component;
}
