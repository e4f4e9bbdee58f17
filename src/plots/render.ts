// Vega-Lite specs to SVG strings, server-side: vega's headless View (renderer 'none') needs no
// DOM, canvas or native module (Satyanarayan et al. 2017, https://doi.org/10.1109/TVCG.2016.2599030).
// Pure: no files, no clock. Vega numbers clip paths and gradients from process-wide counters,
// so the ids are renumbered in order of appearance: the same spec gives the same bytes.
import type { TopLevelSpec } from 'vega-lite';
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

export async function toSvg(spec: TopLevelSpec): Promise<string> {
  return (await drawUnless(spec, async () => false)) as string;
}

/**
 * Draws like toSvg, but awaits `stop` between the stages (compile, parse, dataflow, SVG) and
 * gives up, returning undefined, when it says true: the plot worker's warm-up plots end there
 * when the real plots are asked for, instead of making them wait for a whole plot. `vega` is
 * the code to draw with (tests compare the built script with the ES modules).
 */
export async function drawUnless(spec: TopLevelSpec, stop: () => Promise<boolean>, vega?: Vega): Promise<string | undefined> {
  const withConfig = { ...spec, config: { ...baseConfig, ...spec.config } } as TopLevelSpec;
  // loaded on first use: html.ts takes renumberIds from here and draws nothing
  const { View, parse, vegaLite } = vega ?? (await (await import('./vega-load.js')).loadVega());
  const compiled = vegaLite.compile(withConfig).spec;
  if (await stop()) return undefined;
  const view = new View(parse(compiled), { renderer: 'none' });
  try {
    if (await stop()) return undefined;
    await view.runAsync();
    if (await stop()) return undefined;
    return renumberIds(await view.toSVG());
  } finally {
    view.finalize();
  }
}
