// `--set a.b.c=value`: the value is read as YAML (numbers, booleans, strings, [lists]) and
// placed into the spec before validation, so it is checked exactly like the file.
import YAML from 'yaml';
import { SpecError } from '../common/errors.js';
import type { Path } from './issues.js';

export interface Override {
  /** As typed, for messages and overrides.json. */
  text: string;
  path: Path;
  value: unknown;
}

export function parseOverride(text: string): Override {
  const eq = text.indexOf('=');
  const key = eq < 0 ? '' : text.slice(0, eq).trim();
  if (eq < 0 || key === '' || key.split('.').some((s) => s === '')) {
    throw new SpecError([`--set ${text}: expected key.path=value, for example --set optimizer.lr=0.01`]);
  }
  let value: unknown;
  try {
    value = YAML.parse(text.slice(eq + 1), { maxAliasCount: 0 });
  } catch (e) {
    throw new SpecError([`--set ${text}: the value is not valid YAML (${(e as Error).message.split('\n')[0]})`]);
  }
  const path = key.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  return { text, path, value: value === null && text.slice(eq + 1).trim() === '' ? '' : value };
}

/** Keys that would reach JavaScript's object machinery instead of the spec. */
const forbidden = new Set(['__proto__', 'constructor', 'prototype']);

function fail(o: Override, message: string): never {
  throw new SpecError([`--set ${o.text}: ${message}`]);
}

/** The child of `node` at `key`, checked: list indexes exist, no prototype keys. */
function childKey(o: Override, node: object, key: string | number, at: string): string | number {
  if (forbidden.has(String(key))) fail(o, `'${String(key)}' is not a spec key`);
  if (!Array.isArray(node)) return String(key);
  const range = node.length === 0 ? 'none: it is empty' : `0 to ${node.length - 1}`;
  if (typeof key !== 'number') fail(o, `${at} is a list: expected an index (${range}), found '${key}'`);
  if (key >= node.length) fail(o, `${at} has ${node.length} item${node.length === 1 ? '' : 's'} (indexes ${range}), no item ${key}; set the whole list to add one`);
  return key;
}

/**
 * Sets each override into `spec` (mutated), turning a shorthand `type` string into a mapping.
 * Missing mappings on the way are created; a value that is not a mapping or list is an error,
 * and so is a list index that does not exist: --set changes items, it does not invent them.
 */
export function applyOverrides(spec: Record<string, unknown>, overrides: readonly Override[]): void {
  for (const o of overrides) {
    let node: object = spec;
    o.path.forEach((raw, i) => {
      const at = o.path.slice(0, i).join('.') || '(top level)';
      const key = childKey(o, node, raw, at);
      const slot = node as Record<string | number, unknown>;
      if (i === o.path.length - 1) {
        slot[key] = o.value;
        return;
      }
      let next = slot[key];
      if (typeof next === 'string') next = { type: next };
      if (next === undefined || next === null) {
        if (typeof o.path[i + 1] === 'number') fail(o, `${o.path.slice(0, i + 1).join('.')} is not in the spec: set the whole list, e.g. --set '${o.path.slice(0, i + 1).join('.')}=[…]'`);
        next = {};
      }
      if (typeof next !== 'object') fail(o, `${o.path.slice(0, i + 1).join('.')} is ${JSON.stringify(next)}, not a mapping or a list`);
      slot[key] = next;
      node = next as object;
    });
  }
}

export function overrideFor(path: Path, overrides: readonly Override[]): Override | undefined {
  // The last override that set this path or one of its parents wins, as it was applied last.
  return [...overrides].reverse().find((o) => o.path.every((k, i) => String(path[i]) === String(k)));
}
