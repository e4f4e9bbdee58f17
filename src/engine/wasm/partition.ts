// How a product is split across threads: into contiguous runs of whole micro-kernel panels,
// along the output's longer panel axis. Small products stay on one thread, where a hand-off
// would cost more than it saves.

/** A part of C: rows [i0, i1) and columns [j0, j1). */
export type Part = [i0: number, i1: number, j0: number, j1: number];

export const MIN_FLOPS_PER_THREAD = 1 << 20;

export function partition(m: number, n: number, k: number, threads: number, mr: number, nr: number): Part[] {
  const whole: Part[] = [[0, m, 0, n]];
  if (threads <= 1 || 2 * m * n * k < MIN_FLOPS_PER_THREAD * 2) return whole;
  const rowPanels = Math.ceil(m / mr);
  const colPanels = Math.ceil(n / nr);
  const byCols = colPanels >= rowPanels;
  const panels = byCols ? colPanels : rowPanels;
  const count = Math.min(threads, panels, Math.floor((2 * m * n * k) / MIN_FLOPS_PER_THREAD));
  if (count <= 1) return whole;
  const width = byCols ? nr : mr;
  const extent = byCols ? n : m;
  const parts: Part[] = [];
  for (let t = 0; t < count; t++) {
    const from = Math.floor((t * panels) / count) * width;
    const to = Math.min(Math.floor(((t + 1) * panels) / count) * width, extent);
    parts.push(byCols ? [0, m, from, to] : [from, to, 0, n]);
  }
  return parts;
}

/** Element-wise work: fewer values than this per thread stay on one thread. */
export const MIN_VALUES_PER_THREAD = 1 << 16;

/**
 * `count` items (values, planes, samples) in contiguous runs [from, to), one per thread, each of
 * at least `minPerThread` items and (but the last) a multiple of `quantum` long.
 */
export function split(count: number, threads: number, minPerThread: number, quantum = 1): [number, number][] {
  const parts = Math.max(1, Math.min(threads, Math.floor(count / Math.max(minPerThread, 1))));
  const runs: [number, number][] = [];
  for (let t = 0, from = 0; t < parts; t++) {
    const to = t === parts - 1 ? count : Math.min(count, Math.round(((t + 1) * count) / parts / quantum) * quantum);
    if (to > from) runs.push([from, to]);
    from = Math.max(from, to);
  }
  return runs.length > 0 ? runs : [[0, count]];
}
