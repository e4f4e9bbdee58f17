// Asking for trial n's values: grid, random or TPE over a (tree-structured) space. Pure — the
// space, the sweep seed, the trial number and the history in; an assignment out.
//
// Reproducible whatever the timing: random draws come from a stream of (seed, trial number);
// TPE is given a history that the caller fixes by the trial number (the trials that had to
// finish before trial n could be asked, and the ones still pending, as constant liars).
import { Rng } from '../random/rng.js';
import { sampleUniform } from './distribution.js';
import { gridPoints } from './grid.js';
import type { methods } from './settings.js';
import { assign, type Assignment, type Space } from './space.js';
import { tpeSuggest, type TpeObservation, type TpeOptions } from './tpe.js';

/** A trial as a sampler sees it. `value` is oriented so that lower is better. */
export interface TrialView {
  number: number;
  assignment: Assignment;
  state: 'complete' | 'pruned' | 'pending';
  /** complete: the objective; pruned: the last value reported. */
  value: number;
  /** pruned: the last epoch reported. */
  step: number;
}

export interface SamplerArgs {
  method: (typeof methods)[number];
  space: Space;
  seed: number;
  /** The trial to ask for, from 0. */
  trial: number;
  /** TPE only: the trials the suggestion may depend on (failed ones left out). */
  history: readonly TrialView[];
  tpe?: Partial<TpeOptions>;
}

/** The seed of trial n's run (unless the sweep searches `seed` itself). */
export function trialSeed(seed: number, trial: number): number {
  return Rng.stream(seed, `sweep/seed/${trial}`).nextUint32();
}

const grids = new WeakMap<Space, Assignment[]>();

export function suggest(args: SamplerArgs): Assignment {
  const { space, seed, trial } = args;
  if (args.method === 'grid') {
    let points = grids.get(space);
    if (!points) grids.set(space, (points = gridPoints(space)));
    if (trial >= points.length) throw new RangeError(`grid trial ${trial} beyond the grid's ${points.length} points`);
    return points[trial];
  }
  if (args.method === 'random') {
    const rng = Rng.stream(seed, `sweep/random/${trial}`);
    return assign(space, (p) => sampleUniform(p.dist, rng));
  }
  const rng = Rng.stream(seed, `sweep/tpe/${trial}`);
  return assign(space, (p) => {
    // per node: only the trials in which this parameter was present
    const obs: TpeObservation[] = args.history
      .filter((t) => p.id in t.assignment)
      .map((t) => ({ x: t.assignment[p.id], state: t.state, value: t.value, step: t.step }));
    return tpeSuggest(p.dist, obs, rng, args.tpe);
  });
}
