// Every loss a spec's `loss` may name.
import type * as z from 'zod';
import { registry } from '../../common/registry.js';
import { binaryCrossEntropy } from './binary-cross-entropy.js';
import { crossEntropy } from './cross-entropy.js';
import type { LossComponent } from './loss.js';
import { mse } from './mse.js';
import { huber, mae } from './robust.js';

export const lossRegistry = registry<LossComponent>()('loss', [crossEntropy, binaryCrossEntropy, mse, mae, huber]);
export const losses = lossRegistry.components;
export const lossSchema = lossRegistry.schema;
export type LossConfig = z.output<typeof lossSchema>;
export const findLoss = lossRegistry.find;
