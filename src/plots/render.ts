// Vega-Lite specs, and run plot templates with their data (template.ts), to SVG strings,
// server-side: vega's headless View (renderer 'none') needs no DOM, canvas or native module
// (Satyanarayan et al. 2017, https://doi.org/10.1109/TVCG.2016.2599030). A template's View is
// made from the runtime spec parsed at build time when there is one (vega-load.ts), its data sets
// and signals set before it runs: no compiling, no parsing.
// Pure: no files, no clock. Vega numbers clip paths and gradients from process-wide counters,
// so the ids are renumbered in order of appearance: the same spec gives the same bytes.
import type { TopLevelSpec } from 'vega-lite';
import { isTemplatePlot, type Drawable } from './template.js';
import { templateSpecs } from './templates.js';
import type { Vega } from './vega-load.js';

/** Shared look: plain sans-serif text, no outer padding surprises. */
export const baseConfig = {
  font: 'sans-serif',
  background: 'white',
  title: { fontSize: 13, anchor: 'start' },
  axis: { labelFontSize: 10, titleFontSize: 11 },
  legend: { labelFontSize: 10, titleFontSize: 11 },
} as const;

/** Ids renamed to `<prefix><n>` in order of first appearance, with every reference to them. */
export function renumberIds(svg: string, prefix = 'i'): string {
  const names = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) if (!names.has(m[1])) names.set(m[1], `${prefix}${names.size}`);
  if (names.size === 0) return svg;
  return svg.replace(/(\sid=")([^"]+)(")|(url\(#)([^)]+)(\))|(href="#)([^"]+)(")/g, (all, a, id1, b, c, id2, d, e, id3, f) => {
    if (id1 !== undefined) return `${a}${names.get(id1) ?? id1}${b}`;
    if (id2 !== undefined) return `${c}${names.get(id2) ?? id2}${d}`;
    if (id3 !== undefined) return `${e}${names.get(id3) ?? id3}${f}`;
    return all;
  });
}

/** A spec with the shared look. */
export const withConfig = (spec: TopLevelSpec) => ({ ...spec, config: { ...baseConfig, ...spec.config } }) as TopLevelSpec;

export async function toSvg(plot: Drawable): Promise<string> {
  return (await drawUnless(plot, async () => false)) as string;
}

/** The Vega runtime spec a plot's View is made from: a template's, parsed at build time where
 * dist/vega/templates.json has it for this template, else compiled and parsed now. */
function runtimeSpec(plot: Drawable, vega: Vega): object {
  if (!isTemplatePlot(plot)) return vega.parse(vega.vegaLite.compile(withConfig(plot)).spec);
  const spec = templateSpecs[plot.template];
  if (!spec) throw new Error(`no plot template ${plot.template}`);
  const full = withConfig(spec);
  return vega.prebuilt(plot.template, full) ?? vega.parse(vega.vegaLite.compile(full).spec);
}

/**
 * Draws like toSvg, but awaits `stop` between the stages (spec, dataflow, SVG) and gives up,
 * returning undefined, when it says true: the plot worker's warm-up plots end there when the
 * real plots are asked for, instead of making them wait for a whole plot. `vega` is the code to
 * draw with (tests compare the built script with the ES modules).
 */
export async function drawUnless(plot: Drawable, stop: () => Promise<boolean>, vega?: Vega): Promise<string | undefined> {
  // loaded on first use: html.ts takes renumberIds from here and draws nothing
  const v = vega ?? (await (await import('./vega-load.js')).loadVega());
  const runtime = runtimeSpec(plot, v);
  if (await stop()) return undefined;
  const view = new v.View(runtime as ConstructorParameters<typeof v.View>[0], { renderer: 'none' });
  try {
    if (isTemplatePlot(plot)) {
      for (const [name, rows] of Object.entries(plot.data)) view.data(name, rows.map((r) => ({ ...r })));
      for (const [name, value] of Object.entries(plot.signals)) view.signal(name, value);
    }
    if (await stop()) return undefined;
    await view.runAsync();
    if (await stop()) return undefined;
    return renumberIds(await view.toSVG());
  } finally {
    view.finalize();
  }
}
