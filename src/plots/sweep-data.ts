// A sweep as the plots see it: its searched parameters and its trials, read from sweep.json
// and summary.csv by the run layer (the sweep folder's contract is in src/run/sweep-folder.ts).

export interface SweepParam {
  /** The spec path, e.g. optimizer.lr or optimizer[1].lr (option 1 of the choice at optimizer). */
  id: string;
  kind: 'float' | 'int' | 'categorical';
  low?: number;
  high?: number;
  log?: boolean;
  /** Categorical: the labels, in the order of the choices. */
  labels?: string[];
}

export type ParamValue = number | string | null;

export interface Trial {
  trial: number;
  status: string;
  /** By param id; null where a conditional param is absent from the trial. */
  params: Record<string, ParamValue>;
  /** The objective (the mean over folds); null when the trial failed. */
  value: number | null;
  std: number | null;
  foldValues: number[];
  bestEpoch: number | null;
  seconds: number | null;
}

export interface SweepData {
  name: string;
  method: string;
  metric: string;
  mode: 'min' | 'max';
  folds: number | null;
  params: SweepParam[];
  trials: Trial[];
}

/** Trials with a finite objective, the ones plots and importance use. */
export const scored = (trials: readonly Trial[]) => trials.filter((t): t is Trial & { value: number } => t.value !== null && Number.isFinite(t.value));

/** A param's value on [0, 1]: numeric ones over [low, high] (log-scaled when searched so),
 * categorical ones by label position. Undefined when absent or out of reach. */
export function unitValue(p: SweepParam, v: ParamValue, observed?: { min: number; max: number }): number | undefined {
  if (v === null || v === undefined) return undefined;
  if (p.kind === 'categorical') {
    const k = p.labels?.length ?? 0;
    const i = p.labels?.indexOf(String(v)) ?? -1;
    return i < 0 ? undefined : k <= 1 ? 0.5 : i / (k - 1);
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
  const lo = p.low ?? observed?.min ?? v;
  const hi = p.high ?? observed?.max ?? v;
  const f = (x: number) => (p.log && x > 0 ? Math.log(x) : x);
  const span = f(hi) - f(lo);
  return span === 0 ? 0.5 : Math.min(1, Math.max(0, (f(v) - f(lo)) / span));
}
