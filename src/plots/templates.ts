// The run plots' templates by name (template.ts): what scripts/build-plots.mjs compiles and
// parses at build time, and what render.ts compiles at run time when that was not done.
import type { TopLevelSpec } from 'vega-lite';
import { confusionTemplate } from './confusion.js';
import { curvesTemplate } from './curves.js';
import { lrTemplate } from './lr.js';
import type { TemplateName } from './template.js';
import { weightsTemplate } from './weights.js';

export const templateSpecs: Readonly<Record<TemplateName, TopLevelSpec>> = {
  curves: curvesTemplate,
  confusion: confusionTemplate,
  'lr-update': lrTemplate('update'),
  'lr-epoch': lrTemplate('epoch'),
  weights: weightsTemplate,
};
