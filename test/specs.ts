// The small experiment the sweep and queue tests search over: a dense–relu–dense network on a
// shipped dataset, with a stratified 20 % validation split, as YAML text that a `sweep:` section
// follows. One builder, so that the tests differ only in what they vary.
export interface MlpSpec {
  name: string;
  seed: number;
  dataset: 'iris' | 'digits';
  epochs: number;
  batchSize: number;
  units: number;
  /** The first layer's initial bias (none: the default, zero). */
  bias?: number;
}

export function mlpSpec(o: MlpSpec): string {
  const [normalize, classes] = o.dataset === 'iris' ? ['zscore', 3] : ['minmax', 10];
  return `name: ${o.name}
seed: ${o.seed}
data:
  dataset: ${o.dataset}
  split: {val: 0.2, stratify: true}
  normalize: [${normalize}]
model:
  layers:
    - {type: dense, units: ${o.units}, init: he-normal${o.bias === undefined ? '' : `, bias: ${o.bias}`}}
    - relu
    - {type: dense, units: ${classes}}
optimizer: {type: sgd, lr: 0.1}
train: {epochs: ${o.epochs}, batchSize: ${o.batchSize}}
`;
}
