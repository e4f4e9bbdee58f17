// `dlx compare RUN…`: where the runs' resolved specs differ, and their metrics side by side.
import { writeFileAtomic } from '../common/atomic.js';
import { DataError } from '../common/errors.js';
import { curveRow, readCurve, readMetrics, readRunSpec, type RunMetrics } from './run-folder.js';
import { sweepTrialRuns } from './list-sweeps.js';
import { isSweepFolder } from './sweep-folder.js';

export interface Comparison {
  runs: string[];
  /** Spec keys (dotted paths) whose values differ, with each run's value. */
  differences: { key: string; values: unknown[] }[];
  metrics: { run: string; metrics: RunMetrics }[];
}

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): Map<string, unknown> {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    if (entries.length === 0) out.set(prefix, value);
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, value);
  return out;
}

/** Run folders from the arguments: a sweep folder stands for its trials. */
export async function expandSweeps(targets: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const t of targets) out.push(...((await isSweepFolder(t)) ? await sweepTrialRuns(t) : [t]));
  return out;
}

export async function compareRuns(targets: string[]): Promise<Comparison> {
  const runDirs = await expandSweeps(targets);
  const specs = await Promise.all(runDirs.map(readRunSpec));
  const flat = specs.map((s) => flatten(s, '', new Map()));
  const keys = [...new Set(flat.flatMap((f) => [...f.keys()]))].sort();
  const differences = keys
    .map((key) => ({ key, values: flat.map((f) => f.get(key)) }))
    .filter(({ values }) => values.some((v) => JSON.stringify(v) !== JSON.stringify(values[0])));
  const metrics = await Promise.all(runDirs.map(async (run) => ({ run, metrics: await readMetrics(run) })));
  return { runs: runDirs, differences, metrics };
}

/** `--plot FILE.svg`: the runs' curves overlaid, labelled run 1, run 2… as in the table. */
export async function writeCompareOverlay(runDirs: string[], file: string): Promise<void> {
  const { toSvg } = await import('../plots/render.js');
  const { overlaySpec } = await import('../plots/overlay.js');
  const runs = await Promise.all(runDirs.map(async (run, i) => ({ label: `run ${i + 1}`, rows: (await readCurve(run)).map(curveRow) })));
  const svg = await toSvg(overlaySpec(runs));
  await writeFileAtomic(file, svg).catch((e: NodeJS.ErrnoException) => {
    throw new DataError(`${file}: cannot write (${e.code ?? String(e)})`);
  });
}
