// ELU (Clevert et al. 2015, https://arxiv.org/abs/1511.07289): smooth negative saturation.
import * as z from 'zod';
import { strictObject } from '../../common/schema.js';
import { activationLayer } from './activation.js';

export const elu = activationLayer({
  type: 'elu',
  summary: 'x for x > 0, else `alpha`·(eˣ − 1) (alpha 1.0)',
  schema: strictObject({ type: z.literal('elu'), alpha: z.number().finite().min(0).default(1) }),
  kernel: ({ alpha }) => ({ squash: 'elu', alpha }),
});
