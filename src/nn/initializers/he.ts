// He/Kaiming initialization for ReLU networks (He et al. 2015,
// https://arxiv.org/abs/1502.01852): variance 2/fanIn.
import * as z from 'zod';
import { strictObject } from '../../common/schema.js';
import { fillNormal, fillUniform, defineInitializer } from './initializer.js';

export const heNormal = defineInitializer({
  type: 'he-normal',
  summary: 'normal, σ = √(2/fanIn)',
  schema: strictObject({ type: z.literal('he-normal') }),
  create: () => (data, { fanIn }, rng) => fillNormal(data, Math.sqrt(2 / fanIn), rng),
});

export const heUniform = defineInitializer({
  type: 'he-uniform',
  summary: 'uniform in ±√(6/fanIn)',
  schema: strictObject({ type: z.literal('he-uniform') }),
  create: () => (data, { fanIn }, rng) => fillUniform(data, Math.sqrt(6 / fanIn), rng),
});
