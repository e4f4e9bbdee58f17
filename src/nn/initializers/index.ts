// Every initializer, and the schema of a slot that takes one.
import { componentSchema } from '../../common/schema.js';
import { constant, ones, zeros } from './constant.js';
import { glorotNormal, glorotUniform } from './glorot.js';
import { heNormal, heUniform } from './he.js';
import type { Fill, InitializerComponent } from './initializer.js';

export const initializers: readonly InitializerComponent[] = [
  zeros, ones, constant, glorotNormal, glorotUniform, heNormal, heUniform,
];

export const initializerSchema = componentSchema(initializers);

import type { ComponentConfig as InitializerConfig } from "../../common/schema.js";
export type { InitializerConfig };

export function createInitializer(config: InitializerConfig): Fill {
  const component = initializers.find((c) => c.type === config.type);
  if (!component) throw new Error(`no initializer '${config.type}'`);
  return component.create(config as never);
}
