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

/** Sets each override into `spec` (mutated), turning a shorthand `type` string into a mapping. */
export function applyOverrides(spec: Record<string, unknown>, overrides: readonly Override[]): void {
  for (const o of overrides) {
    let node: Record<string | number, unknown> = spec;
    o.path.forEach((key, i) => {
      if (i === o.path.length - 1) {
        node[key] = o.value;
        return;
      }
      let next = node[key];
      if (typeof next === 'string') next = { type: next };
      if (next === null || typeof next !== 'object') next = typeof o.path[i + 1] === 'number' ? [] : {};
      node[key] = next;
      node = next as Record<string | number, unknown>;
    });
  }
}

export function overrideFor(path: Path, overrides: readonly Override[]): Override | undefined {
  // The last override that set this path or one of its parents wins, as it was applied last.
  return [...overrides].reverse().find((o) => o.path.every((k, i) => String(path[i]) === String(k)));
}
