// Loading a spec: YAML with source positions, overrides, validation against the assembled
// schema; every problem of the file reported at once as `file:line:col: key.path: message`.
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import YAML, { isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';
import { SpecError } from '../common/errors.js';
import { problemsOf, type Path, type Problem } from './issues.js';
import { applyOverrides, overrideFor, type Override } from './overrides.js';
import { runName, specSchema, type ResolvedSpec } from './spec.js';

/** Aliases expanded per file: enough for any real spec, fatal to a billion-laughs file. */
export const MAX_ALIASES = 100;

/**
 * A spec is a few kilobytes; these limits refuse a generated monster (a 50 MB file of 4.6 M
 * layers took 95 s and 4.4 GB) at once, before parsing or validating it.
 */
export const MAX_SPEC_BYTES = 1 << 20;
export const MAX_LAYERS = 10_000;

export interface LoadedSpec {
  file: string;
  /** The file's text, saved as spec.yaml. */
  text: string;
  overrides: Override[];
  resolved: ResolvedSpec;
  /** The spec as read, overrides applied, before validation (a sweep sets its values into it). */
  raw: Record<string, unknown>;
  /** A sweep spec's `sweep:` section, as read (only when parsed with `sweep: 'allow'`). */
  sweep?: unknown;
  /** `file:line:col` of a path of the file (the deepest part of it that exists). */
  at(path: Path): string;
}

export interface ParseOptions {
  /** 'allow': a top-level `sweep:` section is taken apart for dlx sweep; otherwise it is an error. */
  sweep?: 'allow';
  /** Sets values into the spec before it is validated (a sweep: each searched path's first value). */
  fill?(spec: Record<string, unknown>, sweep: unknown, at: (path: Path) => string): void;
  /** Problems at these paths are left out (a sweep reports its searched paths' problems itself). */
  ignore?(path: Path): boolean;
}

interface Located {
  line: number;
  col: number;
}

/** The deepest node along `path` that exists; the key's own position when `atKey`. */
function locate(doc: Document, path: Path, atKey: boolean, lines: LineCounter): Located {
  let node: unknown = doc.contents;
  let at = node as Node | null;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key));
      if (!pair) break;
      at = (atKey && key === path[path.length - 1] ? pair.key : (pair.value ?? pair.key)) as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number' && node.items[key]) {
      node = node.items[key];
      at = node as Node;
    } else break;
  }
  const offset = at?.range?.[0] ?? 0;
  return lines.linePos(offset);
}

/** `file:line:col` of the key at `path` in a loaded spec, for problems found after validation. */
export function positionOf(spec: LoadedSpec, path: Path): string {
  const lines = new LineCounter();
  const doc = YAML.parseDocument(spec.text, { lineCounter: lines });
  const pos = locate(doc, path, false, lines);
  return `${spec.file}:${pos.line}:${pos.col}`;
}

function pathText(path: Path): string {
  return path.length === 0 ? '(top level)' : path.join('.');
}

export async function loadSpec(file: string, overrides: readonly Override[] = [], options: ParseOptions = {}): Promise<LoadedSpec> {
  let text: string;
  try {
    const { size } = await stat(file);
    if (size > MAX_SPEC_BYTES) throw new SpecError([`${file}: ${size.toLocaleString('en-US')} bytes; a spec may have at most ${MAX_SPEC_BYTES.toLocaleString('en-US')} (1 MiB)`]);
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof SpecError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new SpecError([`${file}: cannot read the spec (${code === 'ENOENT' ? 'no such file' : code ?? String(e)})`]);
  }
  return parseSpec(file, text, overrides, options);
}

export function parseSpec(file: string, text: string, overrides: readonly Override[] = [], options: ParseOptions = {}): LoadedSpec {
  if (text.length > MAX_SPEC_BYTES) throw new SpecError([`${file}: ${text.length.toLocaleString('en-US')} characters; a spec may have at most ${MAX_SPEC_BYTES.toLocaleString('en-US')} (1 MiB)`]);
  const lines = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new SpecError(doc.errors.map((e) => {
      const pos = lines.linePos(e.pos[0]);
      const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      return `${file}:${pos.line}:${pos.col}: YAML syntax: ${message}`;
    }));
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    if (e instanceof ReferenceError && /alias/i.test(e.message)) {
      throw new SpecError([`${file}: too many YAML alias expansions (more than ${MAX_ALIASES}); a file like this is a resource-exhaustion attack, not a spec`]);
    }
    throw new SpecError([`${file}: cannot read the YAML (${(e as Error).message})`]);
  }
  if (raw === null || raw === undefined) {
    throw new SpecError([`${file}:1:1: the spec is empty: expected a mapping with data, model, optimizer, train`]);
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    const found = Array.isArray(raw) ? 'a list' : `${typeof raw} '${String(raw)}'`;
    const pos = lines.linePos(doc.contents?.range?.[0] ?? 0);
    throw new SpecError([`${file}:${pos.line}:${pos.col}: expected a mapping at the top level, found ${found}`]);
  }
  const spec = raw as Record<string, unknown>;
  const at = (path: Path) => {
    const pos = locate(doc, path, false, lines);
    return `${file}:${pos.line}:${pos.col}`;
  };
  // a sweep's own settings take --set too (sweep.trials=50), before the section is taken apart
  const hasSweep = spec.sweep !== undefined && options.sweep === 'allow';
  const ofSweep = (o: Override) => hasSweep && o.path[0] === 'sweep';
  applyOverrides(spec, overrides.filter(ofSweep));
  const sweep = spec.sweep;
  if (sweep !== undefined) {
    if (options.sweep !== 'allow') {
      throw new SpecError([`${at(['sweep'])}: sweep: this spec describes a sweep: run it with dlx sweep ${file} (dlx train runs one spec)`]);
    }
    delete spec.sweep;
  }
  applyOverrides(spec, overrides.filter((o) => !ofSweep(o)));
  const model = spec.model;
  const layers = model !== null && typeof model === 'object' && 'layers' in model ? model.layers : undefined;
  if (Array.isArray(layers) && layers.length > MAX_LAYERS) {
    throw new SpecError([`${file}: model.layers: ${layers.length.toLocaleString('en-US')} layers; a model may have at most ${MAX_LAYERS.toLocaleString('en-US')}`]);
  }
  if (spec.name === undefined) spec.name = defaultName(file);
  const base = structuredClone(spec);
  if (sweep !== undefined) options.fill?.(spec, sweep, at);
  const result = specSchema.safeParse(spec);
  if (!result.success) {
    const problems = problemsOf(result.error.issues, spec).filter((p) => !options.ignore?.(p.path)).map((p) => formatProblem(file, doc, lines, overrides, p));
    problems.sort((a, b) => a.order - b.order);
    throw new SpecError(problems.map((p) => p.text));
  }
  if (result.data.name === undefined) {
    throw new SpecError([`${file}:1:1: name: missing, and the file's name cannot serve as a run name: add name: my-experiment`]);
  }
  return { file, text, overrides: [...overrides], resolved: result.data as ResolvedSpec, raw: base, at, ...(sweep !== undefined && { sweep }) };
}

/**
 * Validates a spec given as a value (a sweep's trial: the base spec with searched values set in);
 * the problems as `key.path: message`.
 */
export function validateValue(raw: unknown): { ok: true; resolved: ResolvedSpec } | { ok: false; problems: string[] } {
  const result = specSchema.safeParse(raw);
  if (result.success && result.data.name !== undefined) return { ok: true, resolved: result.data as ResolvedSpec };
  if (result.success) return { ok: false, problems: ['name: missing'] };
  return { ok: false, problems: problemsOf(result.error.issues, raw).map((p) => `${pathText(p.path)}: ${p.message}`) };
}

/** The message, and an order that lists a file's problems by line, then those of --set. */
function formatProblem(file: string, doc: Document, lines: LineCounter, overrides: readonly Override[], p: Problem) {
  const override = overrideFor(p.path, overrides);
  if (override) return { order: Infinity, text: `--set ${override.text}: ${pathText(p.path)}: ${p.message}` };
  const pos = locate(doc, p.path, p.atKey, lines);
  // a key of the file that became wrong through a sibling's --set (optimizer.type=adam meets momentum)
  const sibling = [...overrides].reverse().find((o) => o.path.length > 1 && o.path.slice(0, -1).every((k, i) => String(p.path[i]) === String(k)));
  const cause = sibling ? ` (with --set ${sibling.text})` : '';
  return { order: pos.line * 1e6 + pos.col, text: `${file}:${pos.line}:${pos.col}: ${pathText(p.path)}: ${p.message}${cause}` };
}

/** A spec without `name` is named after its file, when that makes a valid name. */
function defaultName(file: string): string | undefined {
  const stem = basename(file, extname(file));
  return runName.safeParse(stem).success ? stem : undefined;
}
