// Every layer type a spec's `model.layers` may list.
import { registry } from '../../common/registry.js';
import type * as z from 'zod';
import { elu } from '../activations/elu.js';
import { leakyRelu, relu } from '../activations/relu.js';
import { softmaxLayer } from '../activations/softmax.js';
import { linear, sigmoid, tanh } from '../activations/squashing.js';
import type { LayerComponent } from '../layer.js';
import { batchnorm } from './batchnorm.js';
import { conv2d } from './conv2d.js';
import { maxout } from './maxout.js';
import { dense } from './dense.js';
import { avgpool2d, maxpool2d } from './pool.js';
import { dropout, flatten } from './reshape.js';

export const layerRegistry = registry<LayerComponent>()('layer', [
  dense,
  conv2d,
  maxpool2d,
  avgpool2d,
  flatten,
  dropout,
  batchnorm,
  maxout,
  relu, leakyRelu, elu, sigmoid, tanh, linear, softmaxLayer,
]);

export const layers = layerRegistry.components;
export const layerSchema = layerRegistry.schema;
export type LayerConfig = z.output<typeof layerSchema>;
export const findLayer = layerRegistry.find;
