// Constant initializers: zeros, ones, constant(value). Zero weights keep every unit of a layer
// identical forever (the symmetry problem of REFERENCE.md §5); biases are where they belong.
import * as z from 'zod';
import { strictObject } from '../../common/schema.js';
import { defineInitializer } from './initializer.js';

export const zeros = defineInitializer({
  type: 'zeros',
  summary: 'every value 0',
  schema: strictObject({ type: z.literal('zeros') }),
  create: () => (data) => data.fill(0),
});

export const ones = defineInitializer({
  type: 'ones',
  summary: 'every value 1',
  schema: strictObject({ type: z.literal('ones') }),
  create: () => (data) => data.fill(1),
});

export const constant = defineInitializer({
  type: 'constant',
  summary: 'every value `value`',
  schema: strictObject({ type: z.literal('constant'), value: z.number().finite().default(0) }),
  create: (c) => (data) => data.fill(c.value),
});
