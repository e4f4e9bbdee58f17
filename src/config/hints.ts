// Advice for keys that people bring from Keras and PyTorch, where the nearest key by spelling
// would mislead: a key that belongs in another section, an activation given as a layer option,
// dropout's drop rate where dlx takes the keep probability.
import type { Path } from './issues.js';

/** Keys at the top level that live in a section. */
const sectionOf: Readonly<Record<string, string>> = {
  epochs: 'train.epochs',
  batchsize: 'train.batchSize',
  shuffle: 'train.shuffle',
  earlystopping: 'train.earlyStopping',
  lr: 'optimizer.lr',
  learningrate: 'optimizer.lr',
  momentum: 'optimizer.momentum',
  layers: 'model.layers',
  output: 'model.output',
  dataset: 'data.dataset',
  normalize: 'data.normalize',
  split: 'data.split',
  l1: 'regularization.l1',
  l2: 'regularization.l2',
};

/** Options of a dataset (csv, idx) written directly under `data`. */
const datasetKeys = new Set(['path', 'target', 'header', 'columns', 'ignore', 'categorical', 'delimiter', 'testpath', 'images', 'labels', 'testimages', 'testlabels', 'divideby', 'type']);

const layersWithActivation = new Set(['dense', 'conv2d', 'maxout']);

const normalized = (key: string) => key.toLowerCase().replace(/[-_\s]/g, '');

/** 1 − rate without float noise: 1 − 0.3 is 0.7, not 0.7000000000000001. */
const complement = (rate: number) => Number((1 - rate).toPrecision(12));

/**
 * The message for an unknown key `key` at `path` (its parent's path) of the spec `root`, or
 * undefined when plain did-you-mean is the right advice.
 */
export function keyHint(path: Path, key: string, parent: unknown): string | undefined {
  const norm = normalized(key);
  const value = parent !== null && typeof parent === 'object' ? (parent as Record<string, unknown>)[key] : undefined;
  if (path.length === 0 && sectionOf[norm] !== undefined) {
    const [section, inner] = sectionOf[norm].split('.');
    return `unknown key '${key}': it goes under '${section}', as ${section}.${inner}`;
  }
  if (path.length === 1 && path[0] === 'data' && datasetKeys.has(norm)) {
    return `unknown key '${key}': dataset options go under 'data.dataset', as data: {dataset: {type: csv, path: …, target: …}}`;
  }
  const type = parent !== null && typeof parent === 'object' ? (parent as Record<string, unknown>).type : undefined;
  if (path[0] === 'model' && path[1] === 'layers' && typeof type === 'string') {
    if (norm === 'activation' && layersWithActivation.has(type)) {
      const name = typeof value === 'string' ? value : 'relu';
      return `unknown key '${key}': activations are layers: add '- ${name}' after it`;
    }
    if (type === 'dropout' && (norm === 'rate' || norm === 'p')) {
      const keep = typeof value === 'number' && value >= 0 && value < 1 ? String(complement(value)) : '1 − rate';
      return `unknown key '${key}': dlx's dropout takes the keep probability, and keep is 1 − rate: keep: ${keep}`;
    }
  }
  return undefined;
}
