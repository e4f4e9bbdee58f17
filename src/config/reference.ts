// The README's spec reference, generated from the component registries and the spec schema,
// so that a test can keep the README in step with what dlx accepts.
import * as z from 'zod';
import type { Component } from '../common/schema.js';
import { datasets } from '../data/datasets/index.js';
import { normalizers } from '../data/normalizers/index.js';
import { initializers } from '../nn/initializers/index.js';
import { layers } from '../nn/layers/index.js';
import { losses } from '../nn/losses/index.js';
import { optimizers } from '../optim/optimizers/index.js';
import { schedules } from '../optim/schedules/index.js';
import { withDefaults } from './json-schema.js';
import { specSchema } from './spec.js';

interface JsonSchema {
  type?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

function kind(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (s.anyOf || s.oneOf) {
    const parts = (s.anyOf ?? s.oneOf)!;
    return parts.some((p) => p.properties?.type) || parts.some((p) => p.anyOf) ? 'component' : parts.map(kind).join(' or ');
  }
  if (s.type === 'array') return `list of ${s.items ? kind(s.items) : 'values'}`;
  if (s.type === 'object') return 'mapping';
  const bounds = [
    s.minimum !== undefined ? `≥ ${s.minimum}` : '',
    s.exclusiveMinimum !== undefined ? `> ${s.exclusiveMinimum}` : '',
    s.exclusiveMaximum !== undefined ? `< ${s.exclusiveMaximum}` : '',
    s.maximum !== undefined && s.maximum < 1e9 ? `≤ ${s.maximum}` : '',
  ].filter(Boolean).join(', ');
  return [s.type ?? 'value', bounds].filter(Boolean).join(' ');
}

/** A default as a spec would write it: a component with no options by its type name. */
function shown(v: unknown): string {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && 'type' in v) return `\`${String((v as { type: unknown }).type)}\``;
  return `\`${JSON.stringify(v)}\``;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

function options(schema: z.ZodType): string {
  // input mode: what a spec may write, with the defaults it gets when it leaves a key out
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  withDefaults(json, z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema);
  const props = Object.entries(json.properties ?? {}).filter(([k]) => k !== 'type');
  if (props.length === 0) return '—';
  return props.map(([key, s]) => {
    const required = json.required?.includes(key) ?? false;
    const dflt = s.default === undefined ? (required ? 'required' : 'optional') : `default ${shown(s.default)}`;
    return `\`${key}\` (${kind(s)}; ${dflt})`;
  }).join(', ');
}

function componentTable(title: string, slot: string, list: readonly Component[]): string {
  const rows = list.map((c) => `| \`${c.type}\` | ${cell(c.summary)} | ${options(c.schema)} |`);
  return [`### ${title} (\`${slot}\`)`, '', '| type | what | options |', '|---|---|---|', ...rows].join('\n');
}

function sectionTable(): string {
  const json = z.toJSONSchema(specSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  withDefaults(json, z.toJSONSchema(specSchema, { io: 'output', unrepresentable: 'any' }) as JsonSchema);
  const rows: string[] = [];
  const walk = (s: JsonSchema, prefix: string) => {
    for (const [key, p] of Object.entries(s.properties ?? {})) {
      const path = prefix ? `${prefix}.${key}` : key;
      const required = s.required?.includes(key) && p.default === undefined;
      const dflt = p.default === undefined ? (required ? 'required' : 'optional') : shown(p.default);
      if (p.type === 'object' && p.properties && !p.properties.type) {
        rows.push(`| \`${path}\` | mapping | ${dflt} |`);
        walk(p, path);
      } else rows.push(`| \`${path}\` | ${kind(p)} | ${dflt} |`);
    }
  };
  walk(json, '');
  return ['| key | value | default |', '|---|---|---|', ...rows].join('\n');
}

export function specReference(): string {
  return [
    sectionTable(),
    '',
    'A component is a mapping with a `type` and its options, or just the type name when the defaults suit: `relu` is `{type: relu}`. `name` defaults to the spec file\'s name.',
    '',
    componentTable('Datasets', 'data.dataset', datasets),
    '',
    componentTable('Normalizers', 'data.normalize: [...]', normalizers),
    '',
    componentTable('Layers', 'model.layers: [...]', layers),
    '',
    componentTable('Initializers', 'init, bias of a layer', initializers),
    '',
    componentTable('Losses', 'loss', losses),
    '',
    componentTable('Optimizers', 'optimizer', optimizers),
    '',
    componentTable('Schedules', 'schedule', schedules),
  ].join('\n');
}

export const REFERENCE_START = '<!-- spec-reference:start (generated by npm run docs; do not edit) -->';
export const REFERENCE_END = '<!-- spec-reference:end -->';
