// A search space: searched spec paths, each with a distribution; a choice's options may hold
// distributions of their own (a tree-structured space, the conditional space TPE was made for:
// Bergstra et al. 2011, https://papers.nips.cc/paper/4443-algorithms-for-hyper-parameter-optimization).
// Pure: raw YAML values in, a tree and sampled spec values out.
import type { CategoricalDist, Distribution } from './distribution.js';

export type Path = (string | number)[];

/** One searched value. Its id is its path, with `[i]` after a choice's path for its option i. */
export interface Param {
  id: string;
  /** Where the value goes: a spec path (top level) or a path inside a choice's option. */
  path: Path;
  dist: Distribution;
  /** For a choice: the distributions inside each option (empty space when none). */
  options?: Space[];
  /** For a choice: a short label per option (its `type`, or the value as text). */
  labels?: string[];
  /** Written `grid:` rather than `choice:` (the same finite set; the name documents intent). */
  grid?: boolean;
}

export interface Space {
  params: Param[];
}

/** What a problem in the sweep section looks like before it gets a file position. */
export interface SpaceProblem {
  /** Path inside the sweep's `params` mapping (first element: the dotted key as written). */
  at: Path;
  message: string;
}

export const distributionNames = ['choice', 'grid', 'uniform', 'log-uniform', 'int', 'log-int'] as const;

/** A mapping whose single distribution key (plus an optional `step`) makes it a distribution. */
export function isDistribution(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  const named = keys.filter((k) => (distributionNames as readonly string[]).includes(k));
  return named.length === 1 && keys.every((k) => k === named[0] || k === 'step');
}

/** `optimizer.lr`, `model.layers.0.units`: numeric segments are list indexes, as `--set`. */
export function parsePath(key: string): Path | undefined {
  if (key === '' || key.split('.').some((s) => s === '')) return undefined;
  return key.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function label(v: unknown): string {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as { type?: unknown }).type === 'string') {
    return (v as { type: string }).type;
  }
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** Labels that tell the options apart: `type` names, numbered when two share one. */
function labels(choices: readonly unknown[]): string[] {
  const raw = choices.map(label);
  return raw.map((l, i) => (raw.indexOf(l) !== raw.lastIndexOf(l) ? `${l}#${i}` : l));
}

function numberPair(v: unknown): [number, number] | undefined {
  return Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isFinite(x)) ? [v[0], v[1]] : undefined;
}

/** Every distribution inside a value (a choice's option), with its path inside that value. */
function nestedDistributions(v: unknown, at: Path = []): { path: Path; raw: Record<string, unknown> }[] {
  if (isDistribution(v)) return [{ path: at, raw: v }];
  if (v === null || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(([k, x]) => nestedDistributions(x, [...at, Array.isArray(v) ? Number(k) : k]));
}

function parseDistribution(raw: Record<string, unknown>, id: string, path: Path, at: Path, problems: SpaceProblem[]): Param | undefined {
  const name = Object.keys(raw).find((k) => k !== 'step')!;
  const arg = raw[name];
  const step = raw.step;
  const bad = (message: string, where: Path = [...at, name]) => {
    problems.push({ at: where, message });
    return undefined;
  };
  if (name === 'choice' || name === 'grid') {
    if (step !== undefined) return bad(`a ${name} takes no step`, [...at, 'step']);
    if (!Array.isArray(arg)) return bad(`expected a list of values, found ${typeof arg === 'object' ? 'a mapping' : String(arg)}`);
    if (arg.length === 0) return bad(`an empty ${name}: expected at least one value`);
    const options: Space[] = [];
    arg.forEach((option, i) => {
      const nested: Param[] = [];
      for (const d of nestedDistributions(option)) {
        const p = parseDistribution(d.raw, `${id}[${i}].${d.path.join('.')}`, d.path, [...at, name, i, ...d.path], problems);
        if (p) nested.push(p);
      }
      options.push({ params: nested });
    });
    const dist: CategoricalDist = { kind: 'categorical', choices: arg };
    return { id, path, dist, options, labels: labels(arg), ...(name === 'grid' && { grid: true }) };
  }
  const pair = numberPair(arg);
  if (!pair) return bad(`expected [low, high], two numbers, found ${JSON.stringify(arg)}`);
  const [low, high] = pair;
  if (low > high) return bad(`reversed bounds: low ${low} is above high ${high}`);
  const log = name.startsWith('log-');
  if (log && low <= 0) return bad(`log bounds must be above 0, found low ${low}`);
  const isInt = name === 'int' || name === 'log-int';
  if (isInt && !(Number.isInteger(low) && Number.isInteger(high))) return bad(`expected whole-number bounds, found [${low}, ${high}]`);
  if (step !== undefined) {
    if (typeof step !== 'number' || !(step > 0) || !Number.isFinite(step)) return bad(`expected a step above 0, found ${JSON.stringify(step)}`, [...at, 'step']);
    if (isInt && !Number.isInteger(step)) return bad(`an int's step is a whole number, found ${step}`, [...at, 'step']);
    if (log) return bad(`a step on a log scale is not supported: use ${name.slice(4)} with a step, or no step`, [...at, 'step']);
  }
  if (isInt) return { id, path, dist: { kind: 'int', low, high, log, step: step ?? 1 } };
  return { id, path, dist: { kind: 'float', low, high, log, ...(step !== undefined && { step }) } };
}

/** The `params` mapping of a sweep section: dotted spec path → distribution. */
export function parseSpace(raw: unknown, problems: SpaceProblem[]): Space {
  const params: Param[] = [];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ at: [], message: 'expected a mapping of spec paths to distributions, e.g. optimizer.lr: {log-uniform: [1e-4, 1e-1]}' });
    return { params };
  }
  const entries = Object.entries(raw);
  if (entries.length === 0) problems.push({ at: [], message: 'no parameter to search: add at least one, e.g. optimizer.lr: {log-uniform: [1e-4, 1e-1]}' });
  for (const [key, value] of entries) {
    const path = parsePath(key);
    if (!path) {
      problems.push({ at: [key], message: `'${key}' is not a spec path: expected dotted keys such as optimizer.lr or model.layers.0.units` });
      continue;
    }
    if (!isDistribution(value)) {
      problems.push({ at: [key], message: `expected one distribution: ${distributionNames.map((n) => `{${n}: …}`).join(', ')}` });
      continue;
    }
    const p = parseDistribution(value, key, path, [key], problems);
    if (p) params.push(p);
  }
  for (const a of params) {
    for (const b of params) {
      const prefix = a !== b && a.path.length < b.path.length && a.path.every((k, i) => String(k) === String(b.path[i]));
      if (prefix) problems.push({ at: [b.id], message: `${b.id} lies inside ${a.id}, which is searched too: put it inside ${a.id}'s options instead` });
    }
  }
  return { params };
}

/** Every param of the tree, parents before their options' params (the order of sweep.json). */
export function allParams(space: Space): Param[] {
  return space.params.flatMap((p) => [p, ...(p.options ?? []).flatMap(allParams)]);
}

/** A point of the space: internal numbers by param id, for the params that are present. */
export type Assignment = Record<string, number>;

/**
 * Walks the tree: `pick` chooses each present param's internal number (a choice's index first,
 * then the params of the chosen option). Returns the assignment, in tree order.
 */
export function assign(space: Space, pick: (p: Param) => number): Assignment {
  const out: Assignment = {};
  const walk = (s: Space) => {
    for (const p of s.params) {
      const x = pick(p);
      out[p.id] = x;
      if (p.options) walk(p.options[x]);
    }
  };
  walk(space);
  return out;
}

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const node = (root !== null && typeof root === 'object' ? root : typeof head === 'number' ? [] : {}) as Record<string | number, unknown>;
  node[head] = setAt(node[head], rest, value);
  return node;
}

/** The spec value of a param under an assignment: a number, or a choice's option with its own params filled in. */
function valueOf(p: Param, a: Assignment): unknown {
  const x = a[p.id];
  if (p.dist.kind !== 'categorical') return x;
  let v: unknown = structuredClone(p.dist.choices[x]);
  for (const q of p.options![x].params) v = setAt(v, q.path, valueOf(q, a));
  return v;
}

/** The top-level spec paths and the values an assignment puts there. */
export function specValues(space: Space, a: Assignment): { path: Path; value: unknown }[] {
  return space.params.map((p) => ({ path: p.path, value: valueOf(p, a) }));
}

/** An assignment's values as people read them: numbers, and a choice's label. */
export function readable(space: Space, a: Assignment): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const p of allParams(space)) {
    if (!(p.id in a)) continue;
    const x = a[p.id];
    const v = p.dist.kind === 'categorical' ? p.dist.choices[x] : x;
    // a plain number or string stands for itself; a mapping or list by its label
    out[p.id] = typeof v === 'number' || typeof v === 'string' ? v : p.labels![x];
  }
  return out;
}
