// Glorot/Xavier initialization (Glorot & Bengio 2010,
// https://proceedings.mlr.press/v9/glorot10a.html): variance 2/(fanIn+fanOut).
import * as z from 'zod';
import { strictObject } from '../../common/schema.js';
import { fillNormal, fillUniform, defineInitializer } from './initializer.js';

export const glorotNormal = defineInitializer({
  type: 'glorot-normal',
  summary: 'normal, σ = √(2/(fanIn+fanOut))',
  schema: strictObject({ type: z.literal('glorot-normal') }),
  create: () => (data, { fanIn, fanOut }, rng) => fillNormal(data, Math.sqrt(2 / (fanIn + fanOut)), rng),
});

export const glorotUniform = defineInitializer({
  type: 'glorot-uniform',
  summary: 'uniform in ±√(6/(fanIn+fanOut))',
  schema: strictObject({ type: z.literal('glorot-uniform') }),
  create: () => (data, { fanIn, fanOut }, rng) => fillUniform(data, Math.sqrt(6 / (fanIn + fanOut)), rng),
});
