// Every loss a spec's `loss` may name.
import { componentSchema } from '../../common/schema.js';
import { binaryCrossEntropy } from './binary-cross-entropy.js';
import { crossEntropy } from './cross-entropy.js';
import type { LossComponent } from './loss.js';
import { mse } from './mse.js';
import { huber, mae } from './robust.js';

export const losses: readonly LossComponent[] = [crossEntropy, binaryCrossEntropy, mse, mae, huber as unknown as LossComponent];
export const lossSchema = componentSchema(losses);

export function findLoss(type: string): LossComponent {
  const component = losses.find((c) => c.type === type);
  if (!component) throw new Error(`no loss '${type}'`);
  return component;
}
