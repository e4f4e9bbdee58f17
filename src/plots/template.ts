// Run plots whose Vega-Lite spec does not depend on the run: everything that does (panels per
// metric, split or layer, class order, titles with accuracies and counts) comes in as named data
// sets and signals. scripts/build-plots.mjs compiles each template with Vega-Lite and parses it
// into a Vega runtime spec at build time (dist/vega/templates.json); a run then only inserts its
// data and runs the View (render.ts), which saves about half of drawing's CPU. Pure: specs only.
import type { TopLevelSpec } from 'vega-lite';

/** A template's name and the run's values for it. */
export interface TemplatePlot {
  template: TemplateName;
  /** Named data set → rows. */
  data: Readonly<Record<string, readonly object[]>>;
  /** Signal (Vega-Lite param or compiled size signal) → value, set before the View runs. */
  signals: Readonly<Record<string, unknown>>;
}

export type TemplateName = 'curves' | 'confusion' | 'lr-update' | 'lr-epoch' | 'weights';

export type Drawable = TopLevelSpec | TemplatePlot;

/**
 * The templates' panels: one per value of the rows' `panel` field, in the order of their `order`
 * field (facets sort by name otherwise), each labelled at its top left.
 */
export const panelFacet = (header: { labelPadding?: number } = {}) => ({
  field: 'panel',
  type: 'nominal' as const,
  sort: { field: 'order' },
  header: { title: null, labelFontSize: 13, labelAnchor: 'start' as const, ...header },
});

export const isTemplatePlot = (d: Drawable): d is TemplatePlot => 'template' in d && typeof d.template === 'string';
