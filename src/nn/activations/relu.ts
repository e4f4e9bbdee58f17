// Rectifiers: relu (Nair & Hinton 2010, https://www.cs.toronto.edu/~hinton/absps/reluICML.pdf;
// gradient 0 at 0) and leaky-relu (Maas et al. 2013, slope `alpha` below 0).
import * as z from 'zod';
import { strictObject } from '../../common/schema.js';
import { activationLayer } from './activation.js';

export const relu = activationLayer({
  type: 'relu',
  summary: 'max(0, x)',
  schema: strictObject({ type: z.literal('relu') }),
  kernel: () => ({ slope: 0 }),
});

export const leakyRelu = activationLayer({
  type: 'leaky-relu',
  summary: 'x for x > 0, else `alpha`·x (alpha 0.01)',
  schema: strictObject({ type: z.literal('leaky-relu'), alpha: z.number().finite().min(0).default(0.01) }),
  kernel: ({ alpha }) => ({ slope: alpha }),
});
