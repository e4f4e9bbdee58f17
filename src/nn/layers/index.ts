// Every layer type a spec's `model.layers` may list.
import { componentSchema } from '../../common/schema.js';
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

export const layers: readonly LayerComponent[] = [
  dense as unknown as LayerComponent,
  conv2d as unknown as LayerComponent,
  maxpool2d as unknown as LayerComponent,
  avgpool2d as unknown as LayerComponent,
  flatten as unknown as LayerComponent,
  dropout as unknown as LayerComponent,
  batchnorm as unknown as LayerComponent,
  maxout as unknown as LayerComponent,
  relu, leakyRelu, elu, sigmoid, tanh, linear, softmaxLayer as unknown as LayerComponent,
] as readonly LayerComponent[];

export const layerSchema = componentSchema(layers);
export type LayerConfig = { type: string } & Record<string, unknown>;

export function findLayer(type: string): LayerComponent {
  const component = layers.find((c) => c.type === type);
  if (!component) throw new Error(`no layer '${type}'`);
  return component;
}
