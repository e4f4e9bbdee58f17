// The classic squashing functions: the logistic sigmoid and tanh (LeCun et al., "Efficient
// BackProp", 1998, http://yann.lecun.com/exdb/publis/pdf/lecun-98b.pdf), and the identity.
import * as z from 'zod';
import { strictObject } from '../../common/schema.js';
import { activationLayer } from './activation.js';

export const sigmoid = activationLayer({
  type: 'sigmoid',
  summary: '1/(1 + e⁻ˣ)',
  schema: strictObject({ type: z.literal('sigmoid') }),
  kernel: () => ({ squash: 'sigmoid', alpha: 0 }),
});

export const tanh = activationLayer({
  type: 'tanh',
  summary: 'tanh(x)',
  schema: strictObject({ type: z.literal('tanh') }),
  kernel: () => ({ squash: 'tanh', alpha: 0 }),
});

export const linear = activationLayer({
  type: 'linear',
  summary: 'the identity',
  schema: strictObject({ type: z.literal('linear') }),
  kernel: () => 'identity',
});
