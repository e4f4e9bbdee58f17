// The smallest valid config of each registered component: its type and whatever is required.
import type { Component } from '../src/common/schema.js';

export const minimal: Record<string, Record<string, unknown>> = {
  dense: { units: 3 },
  maxout: { units: 3 },
  conv2d: { filters: 2 },
  exponential: { gamma: 0.99 },
  step: { every: 20 },
  'inverse-time': { rate: 0.5 },
  triangular: { maxLr: 1, stepSize: 4 },
  triangular2: { maxLr: 1, stepSize: 4 },
  'cosine-restarts': { period: 5 },
  pca: { components: 1 },
  lda: { components: 1 },
  csv: { path: 'data.csv', target: 'label' },
  idx: { images: 'images.idx', labels: 'labels.idx' },
};

export function minimalConfig(c: Component): Record<string, unknown> {
  return c.schema.parse({ type: c.type, ...minimal[c.type] }) as Record<string, unknown>;
}
