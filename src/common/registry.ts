// One typed registry for every kind of component (layers, optimizers, schedules, initializers,
// losses, normalizers, datasets, augmentations): the slot schema a spec uses, whose output is
// the union of the components' own configs, and the component a validated config names.
import * as z from 'zod';
import type { Component } from './schema.js';

/** The validated config of any of the components C: the union of their schemas' outputs. */
export type ConfigOf<C extends Component> = z.output<C['schema']>;

export interface Registry<K extends Component<z.ZodObject> = Component<z.ZodObject>, C extends K = K> {
  /** What one component is called in messages: 'layer', 'optimizer', … */
  readonly noun: string;
  /** In spec order. A kind's own interface K takes any config of the kind (its methods' first parameter). */
  readonly components: readonly K[];
  readonly types: readonly string[];
  /**
   * The schema of one slot that takes any of the components: a mapping with a `type`, or the
   * bare type name as shorthand for `{type: name}`. Its output is the union of their configs.
   */
  readonly schema: z.ZodType<ConfigOf<C>>;
  /** The discriminated union inside `schema` (the JSON Schema finds the component slots by it). */
  readonly union: z.ZodType;
  /** The component of a type; a spec is validated before, so an unknown type is a bug. */
  find(type: string): K;
}

/**
 * registry<LayerComponent>()('layer', [dense, conv2d, …]): K is the kind's interface, which each
 * component satisfies with its own config type; C keeps those types for the slot's output.
 */
export function registry<K extends Component<z.ZodObject>>() {
  return <const C extends readonly [K, ...K[]]>(noun: string, components: C): Registry<K, C[number]> => {
    const [first, ...rest] = components;
    const union = z.discriminatedUnion('type', [first.schema, ...rest.map((c) => c.schema)]);
    // zod widens the options of a generic list to ZodObject; the union's output is theirs
    const schema = z.preprocess((v) => (typeof v === 'string' ? { type: v } : v), union) as z.ZodType as z.ZodType<ConfigOf<C[number]>>;
    const byType = new Map<string, K>(components.map((c) => [c.type, c]));
    return {
      noun,
      components,
      types: components.map((c) => c.type),
      schema,
      union,
      find(type) {
        const component = byType.get(type);
        if (!component) throw new Error(`no ${noun} '${type}'`);
        return component;
      },
    };
  };
}
