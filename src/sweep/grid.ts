// Grid search: every combination, in a documented, stable order — the params in the order the
// sweep lists them, the first varying slowest and the last fastest (nested for-loops), a
// choice's options in their order, each followed by its own params' combinations.
import type { Distribution } from './distribution.js';
import type { Assignment, Param, Space } from './space.js';

/** The internal numbers a grid visits for one distribution, or undefined when it is continuous. */
export function gridValues(dist: Distribution): number[] | undefined {
  if (dist.kind === 'categorical') return dist.choices.map((_, i) => i);
  if (dist.kind === 'float' && dist.step === undefined) return undefined;
  const step = dist.step!;
  const n = Math.floor((dist.high - dist.low) / step + 1e-9) + 1;
  return Array.from({ length: n }, (_, i) => (dist.kind === 'int' ? dist.low + i * step : Number((dist.low + i * step).toPrecision(15))));
}

/** The params a grid cannot enumerate (continuous without a step). */
export function continuousParams(space: Space): Param[] {
  return space.params.flatMap((p) => [...(gridValues(p.dist) ? [] : [p]), ...(p.options ?? []).flatMap(continuousParams)]);
}

/** How many points the grid has (may be large: computed without listing them). */
export function gridSize(space: Space): number {
  let size = 1;
  for (const p of space.params) {
    const values = gridValues(p.dist) ?? [];
    const each = p.options ? p.options.reduce((a, o) => a + gridSize(o), 0) : values.length;
    size *= each;
  }
  return size;
}

/** The points of one param and its options: [assignment fragment]. */
function pointsOf(p: Param): Assignment[] {
  const values = gridValues(p.dist) ?? [];
  return values.flatMap((x) => {
    const sub = p.options ? gridPoints(p.options[x]) : [{}];
    return sub.map((s) => ({ [p.id]: x, ...s }));
  });
}

/** Every point of the grid, in grid order. */
export function gridPoints(space: Space): Assignment[] {
  let points: Assignment[] = [{}];
  for (const p of space.params) {
    const mine = pointsOf(p);
    points = points.flatMap((a) => mine.map((m) => ({ ...a, ...m })));
  }
  return points;
}
