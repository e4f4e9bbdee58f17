// Every initializer, and the schema of a slot that takes one.
import type * as z from 'zod';
import { registry } from '../../common/registry.js';
import { constant, ones, zeros } from './constant.js';
import { glorotNormal, glorotUniform } from './glorot.js';
import { heNormal, heUniform } from './he.js';
import type { Fill, InitializerComponent } from './initializer.js';

export const initializerRegistry = registry<InitializerComponent>()('initializer', [
  zeros, ones, constant, glorotNormal, glorotUniform, heNormal, heUniform,
]);
export const initializers = initializerRegistry.components;

export const initializerSchema = initializerRegistry.schema;

export type InitializerConfig = z.output<typeof initializerSchema>;

export function createInitializer(config: InitializerConfig): Fill {
  return initializerRegistry.find(config.type).create(config);
}
