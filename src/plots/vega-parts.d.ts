// Types of the vega packages vega-load.ts imports directly. They ship no declarations of their
// own; the `vega` package's (vega-typings) describe the same functions, which it re-exports.
declare module 'vega-dataflow' {
  /** The registry of transform constructors that parsed specs look their `type` up in. */
  export const transforms: Record<string, unknown>;
}
declare module 'vega-transforms' {
  const transforms: Record<string, unknown>;
  export = transforms;
}
declare module 'vega-view-transforms' {
  const transforms: Record<string, unknown>;
  export = transforms;
}
declare module 'vega-encode' {
  const transforms: Record<string, unknown>;
  export = transforms;
}
declare module 'vega-view' {
  export { View } from 'vega';
}
declare module 'vega-parser' {
  export { parse } from 'vega';
}
