// The spec's JSON Schema for editors. Component slots (those of kinds.ts) also accept the bare
// type name (the shorthand for {type: name}) when that type needs no other key.
import * as z from 'zod';
import { kinds } from './kinds.js';
import { specSchema } from './spec.js';

interface JsonObject {
  [key: string]: unknown;
}

interface JsonSchemaNode {
  default?: unknown;
  properties?: Record<string, JsonSchemaNode>;
}

/**
 * zod's input-mode JSON Schema keeps `.prefault` defaults but drops `.default` ones, which the
 * output mode has: copy those over, key by key.
 */
export function withDefaults(input: JsonSchemaNode, output: JsonSchemaNode): void {
  for (const [key, p] of Object.entries(input.properties ?? {})) {
    const o = output.properties?.[key];
    if (!o) continue;
    if (p.default === undefined && o.default !== undefined) p.default = o.default;
    withDefaults(p, o);
  }
}

/** The spec's JSON Schema; `sections` adds top-level sections validated elsewhere (a sweep spec's `sweep:`). */
export function specJsonSchema(sections: Record<string, z.ZodType> = {}): JsonObject {
  const slots = new Set<unknown>(kinds.map((k) => k.registry.union));
  const schema = z.toJSONSchema(specSchema, {
    io: 'input',
    unrepresentable: 'any',
    override(ctx) {
      if (!slots.has(ctx.zodSchema)) return;
      const schema = ctx.jsonSchema as JsonObject;
      const options = (schema.oneOf ?? schema.anyOf) as JsonObject[] | undefined;
      if (!options) return;
      const bare = options
        .filter((o) => ((o.required as string[] | undefined) ?? []).every((k) => k === 'type'))
        .map((o) => ((o.properties as JsonObject).type as JsonObject).const as string);
      const objects = { ...schema };
      for (const key of Object.keys(schema)) delete schema[key];
      schema.anyOf = bare.length > 0 ? [{ type: 'string', enum: bare }, objects] : [objects];
    },
  }) as JsonObject;
  withDefaults(schema as JsonSchemaNode, z.toJSONSchema(specSchema, { io: 'output', unrepresentable: 'any' }) as JsonSchemaNode);
  for (const [key, section] of Object.entries(sections)) {
    const json = z.toJSONSchema(section, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
    withDefaults(json, z.toJSONSchema(section, { io: 'output', unrepresentable: 'any' }) as JsonSchemaNode);
    delete (json as JsonObject).$schema;
    (schema.properties as JsonObject)[key] = json;
  }
  return schema;
}
