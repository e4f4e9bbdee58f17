// A sweep spec: an experiment spec plus a `sweep:` section. Loading checks both before any
// trial runs — the settings, the space, and every searched value's extremes (low and high, each
// choice) through the same spec schema as `dlx train` — and reports every problem at once with
// its file:line:col.
import { readFile } from 'node:fs/promises';
import { SpecError } from '../common/errors.js';
import { loadSpec, parseSpec, validateValue, type LoadedSpec, type ParseOptions } from '../config/load.js';
import { overrideFor, type Override } from '../config/overrides.js';
import type { ResolvedSpec } from '../config/spec.js';
import { continuousParams, gridSize } from '../sweep/grid.js';
import { problemsOf } from '../config/issues.js';
import { allParams, parseSpace, specValues, type Assignment, type Param, type Path, type Space, type SpaceProblem } from '../sweep/space.js';
import { sweepSchema, type SweepSettings } from '../sweep/settings.js';
import { trialSeed } from '../sweep/sampler.js';
import { curveColumns } from './layout.js';

/** What a sweep optimizes: a curve.csv column, minimized or maximized. */
export interface Objective {
  metric: string;
  mode: 'min' | 'max';
}

export interface LoadedSweep {
  loaded: LoadedSpec;
  settings: SweepSettings;
  space: Space;
  objective: Objective;
  /** The trial budget (a grid's is its size). */
  trials: number;
  /** The sampler's seed. */
  seed: number;
}

/** Columns a sweep can optimize: every curve.csv column but the epoch number and the timings. */
export const metricColumns = curveColumns.filter((c) => c !== 'epoch' && c !== 'seconds' && c !== 'train_seconds');

export function modeOfMetric(metric: string, mode: 'auto' | 'min' | 'max'): 'min' | 'max' {
  if (mode !== 'auto') return mode;
  return /acc/.test(metric) ? 'max' : 'min';
}

function setAt(root: Record<string, unknown>, path: Path, value: unknown): void {
  let node: Record<string | number, unknown> = root;
  path.forEach((key, i) => {
    if (i === path.length - 1) {
      node[key] = value;
      return;
    }
    let next = node[key];
    if (typeof next === 'string') next = { type: next };
    if (next === null || typeof next !== 'object') next = typeof path[i + 1] === 'number' ? [] : {};
    node[key] = next;
    node = next as Record<string | number, unknown>;
  });
}

/** The spec with searched values set in (a copy). */
export function withValues(raw: Record<string, unknown>, space: Space, a: Assignment): Record<string, unknown> {
  const spec = structuredClone(raw);
  for (const { path, value } of specValues(space, a)) setAt(spec, path, value);
  return spec;
}

/** Internal numbers that probe a param's extremes: low and high, or every option. */
function extremes(p: Param): number[] {
  if (p.dist.kind === 'categorical') return p.dist.choices.map((_, i) => i);
  return p.dist.low === p.dist.high ? [p.dist.low] : [p.dist.low, p.dist.high];
}

/** Assignments that put each value of `target` in turn, every other param at its first extreme. */
function probes(space: Space, target: Param): { x: number; a: Assignment }[] {
  return extremes(target).flatMap((x) => {
    const a: Assignment = {};
    const walk = (s: Space) => {
      for (const p of s.params) {
        a[p.id] = p === target ? x : extremes(p)[0];
        if (p.options) walk(p.options[a[p.id]]);
      }
    };
    walk(space);
    // probe the nested params' other extreme too when the target is a choice
    return target.id in a ? [{ x, a }] : [];
  });
}

function describeProbe(p: Param, x: number): string {
  if (p.labels) return `option ${x + 1} (${p.labels[x]})`;
  if (p.dist.kind === 'categorical') return String(x);
  return `${x === p.dist.low ? 'low' : 'high'} ${x}`;
}

/** Loads a sweep spec from its file, or from `text` read as if it were that file (a sweep folder's copy). */
export async function loadSweep(file: string, overrides: readonly Override[] = [], text?: string): Promise<LoadedSweep> {
  const problems: string[] = [];
  let found: { settings: SweepSettings; space: Space; trials: number } | undefined;
  let searched: Path[] = [];
  const options: ParseOptions = {
    sweep: 'allow',
    // every check of the sweep happens here, before the spec itself is validated, so that all
    // problems are reported at once; the spec is then validated with each searched path at its
    // first value, and the searched paths' own problems come from the extremes' checks below
    fill(spec, sweep, at) {
      // a value from --set is named as such, beside the position of the key it replaced
      const where = (path: Path) => {
        const o = overrideFor(['sweep', ...path], overrides);
        return o ? `${at(['sweep', ...path])} (with --set ${o.text})` : at(['sweep', ...path]);
      };
      const parsed = sweepSchema.safeParse(sweep);
      if (!parsed.success) {
        for (const p of problemsOf(parsed.error.issues, sweep)) problems.push(`${where(p.path)}: sweep.${p.path.join('.')}: ${p.message}`);
        return;
      }
      const settings = parsed.data;
      const spaceProblems: SpaceProblem[] = [];
      const space = parseSpace(settings.params, spaceProblems);
      for (const p of spaceProblems) problems.push(`${where(['params', ...p.at])}: sweep.params${p.at.length ? '.' + p.at.join('.') : ''}: ${p.message}`);
      if (!(metricColumns as readonly string[]).includes(settings.metric)) {
        problems.push(`${where(['metric'])}: sweep.metric: unknown metric '${settings.metric}': expected a curve.csv column, one of ${metricColumns.join(', ')}`);
      }
      if (spaceProblems.length > 0) return;
      searched = space.params.map((p) => p.path);
      for (const p of allParams(space)) {
        const seen = new Set<string>();
        const root = space.params.find((r) => p.id === r.id || p.id.startsWith(`${r.id}[`))!.path.join('.');
        for (const { x, a } of probes(space, p)) {
          const v = validateValue(withValues(spec, space, a));
          if (v.ok) continue;
          for (const message of v.problems) {
            // only this param's own problems; the rest is the spec's own, reported with its position later
            if (!message.startsWith(`${root}:`) && !message.startsWith(`${root}.`)) continue;
            if (!seen.has(message)) problems.push(`${where(['params', p.id.split('[')[0]])}: sweep.params.${p.id}: at its ${describeProbe(p, x)}: ${message}`);
            seen.add(message);
          }
        }
      }
      let trials = settings.trials ?? 20;
      if (settings.method === 'grid') {
        const continuous = continuousParams(space);
        if (continuous.length > 0) {
          problems.push(`${where(['method'])}: sweep.method: grid needs finite values, but ${continuous.map((p) => p.id).join(', ')} ${continuous.length === 1 ? 'is' : 'are'} continuous: give a step, or use choice/grid`);
        } else {
          const size = gridSize(space);
          if (settings.trials !== undefined && size > settings.trials) {
            problems.push(`${where(['trials'])}: sweep.trials: the grid has ${size} points, more than the budget of ${settings.trials} trials: raise trials to ${size} or search fewer values`);
          }
          trials = Math.min(size, settings.trials ?? size);
        }
      }
      const dataset = (spec.data as { dataset?: unknown } | undefined)?.dataset;
      if (settings.folds !== undefined && (dataset === 'morse' || (dataset as { type?: unknown } | undefined)?.type === 'morse')) {
        problems.push(`${where(['folds'])}: sweep.folds: the morse dataset has its own validation set, so it cannot be split into folds`);
      }
      const first: Assignment = {};
      const walk = (s: Space) => s.params.forEach((p) => { first[p.id] = extremes(p)[0]; if (p.options) walk(p.options[first[p.id]]); });
      walk(space);
      Object.assign(spec, withValues(spec, space, first));
      found = { settings, space, trials };
    },
    ignore: (path) => searched.some((s) => s.every((k, i) => String(path[i]) === String(k))),
  };
  let loaded: LoadedSpec;
  try {
    loaded = text === undefined ? await loadSpec(file, overrides, options) : parseSpec(file, text, overrides, options);
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    throw new SpecError([...e.problems, ...problems]);
  }
  if (loaded.sweep === undefined) {
    throw new SpecError([`${file}:1:1: sweep: missing: a sweep spec is an experiment spec plus a sweep: section (method, trials, metric, params); dlx train runs a spec without one`]);
  }
  if (!found || problems.length > 0) throw new SpecError(problems);
  const { settings, space, trials } = found;
  return {
    loaded,
    settings,
    space,
    objective: { metric: settings.metric, mode: modeOfMetric(settings.metric, settings.mode) },
    trials,
    seed: settings.seed ?? loaded.resolved.seed,
  };
}

/** Whether the sweep searches the run seed itself (an ensemble of seeds). */
const searchesSeed = (space: Space) => space.params.some((p) => p.path.length === 1 && p.path[0] === 'seed');

/**
 * Trial n's spec (fold `fold` of k when cross-validating): the searched values, the trial's own
 * seed (unless `seed` is searched), one split seed for every trial so that all validate on the
 * same rows, and no test evaluation (the sweep evaluates its best trial once, at the end).
 */
export function trialSpec(sweep: LoadedSweep, a: Assignment, trial: number, fold?: number): { ok: true; resolved: ResolvedSpec } | { ok: false; problems: string[] } {
  const spec = withValues(sweep.loaded.raw, sweep.space, a);
  const base = sweep.loaded.resolved;
  if (!searchesSeed(sweep.space)) spec.seed = trialSeed(sweep.seed, trial);
  const data = (spec.data ?? {}) as Record<string, unknown>;
  const split = { ...(data.split as Record<string, unknown> | undefined) };
  split.seed ??= base.data.split.seed ?? base.seed;
  if (fold !== undefined) split.fold = { k: sweep.settings.folds, index: fold };
  spec.data = { ...data, split };
  spec.train = { ...(spec.train as Record<string, unknown> | undefined), test: false };
  return validateValue(spec);
}

/** dlx validate: a spec, or a sweep spec with its sweep section and every searched extreme. */
export async function validateFile(file: string, overrides: readonly Override[]): Promise<{ kind: 'spec' | 'sweep'; loaded: LoadedSpec }> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text !== undefined && /^sweep\s*:/m.test(text)) return { kind: 'sweep', loaded: (await loadSweep(file, overrides, text)).loaded };
  return { kind: 'spec', loaded: await loadSpec(file, overrides) };
}
