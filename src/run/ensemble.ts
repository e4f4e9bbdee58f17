// `dlx ensemble`: the members' output probabilities averaged (REFERENCE.md §4; Dietterich 2000,
// https://doi.org/10.1007/3-540-45014-9_1), with each member's metrics, their mean, and the
// ensemble's. Members must share the dataset, its split and the fitted preprocessing, so that
// every member sees the same rows the same way; otherwise the message names what differs.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError } from '../common/errors.js';
import { batches, epochOrder } from '../data/batches.js';
import type { Examples } from '../data/dataset.js';
import { loadWeights, readCheckpoint } from '../train/checkpoint.js';
import { EVAL_BATCH } from '../train/metrics.js';
import { build, buildModel, type Compute } from './build.js';
import { files } from './layout.js';
import { locateCheckpoint, readEnv, readMetrics, readPreprocessing, readRunSpec } from './run-folder.js';
import type { SplitName } from './evaluate-run.js';
import { isSweepFolder, readJournal, sweepFiles, trialDir, type SweepJson } from './sweep-folder.js';

export interface MemberMetrics {
  /** Mean negative log-likelihood of the probabilities (cross-entropy). */
  loss: number;
  accuracy: number;
}

export interface EnsembleResult {
  split: SplitName;
  count: number;
  members: ({ runDir: string; checkpoint: string } & MemberMetrics)[];
  /** The members' metrics averaged. */
  mean: MemberMetrics;
  /** The averaged probabilities' metrics. */
  ensemble: MemberMetrics;
}

/** A sweep's trial folders, best first by its objective (finished trials only); `top` of them. */
export async function sweepMembers(sweepDir: string, top?: number): Promise<string[]> {
  const meta = JSON.parse(await readFile(join(sweepDir, sweepFiles.sweep), 'utf8')) as SweepJson;
  const ended = (await readJournal(sweepDir)).flatMap((e) => (e.event === 'ended' && e.result.value !== null && (e.result.status === 'finished' || e.result.status === 'stopped-early') ? [{ trial: e.trial, value: e.result.value }] : []));
  ended.sort((a, b) => (meta.mode === 'min' ? a.value - b.value : b.value - a.value) || a.trial - b.trial);
  return ended.slice(0, top ?? ended.length).map((t) => trialDir(sweepDir, t.trial, meta.folds ? 1 : undefined));
}

/** Run folders and checkpoints from the arguments: a sweep stands for its best `top` trials. */
export async function expandMembers(targets: readonly string[], top?: number): Promise<{ runDir: string; checkpoint: string }[]> {
  const out: { runDir: string; checkpoint: string }[] = [];
  for (const t of targets) {
    if (await isSweepFolder(t)) {
      for (const runDir of await sweepMembers(t, top)) out.push({ runDir, checkpoint: join(runDir, files.lastCheckpoint) });
    } else out.push(await locateCheckpoint(t));
  }
  return out;
}

/** The spec keys whose values differ, as dotted paths. */
function differing(a: unknown, b: unknown, at: string): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return [at];
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((k) => differing((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`));
}

/** Refuses members that would not see the same rows the same way, naming what differs. */
export async function checkCompatible(members: readonly { runDir: string }[]): Promise<void> {
  if (members.length < 2) throw new DataError(`an ensemble needs at least 2 members, found ${members.length}`);
  const [first, ...rest] = members;
  const dataOf = async (runDir: string) => {
    const { augment: _augment, ...data } = (await readRunSpec(runDir)).data;
    void _augment; // augmentation changes training only, not what a member is evaluated on
    return data;
  };
  const d0 = await dataOf(first.runDir);
  const p0 = await readPreprocessing(first.runDir);
  for (const m of rest) {
    const keys = differing(d0, await dataOf(m.runDir), 'data');
    if (keys.length > 0) throw new DataError(`ensemble members must share dataset, split and preprocessing: ${m.runDir} differs from ${first.runDir} in ${keys.join(', ')}`);
    const pre = differing(p0, await readPreprocessing(m.runDir), 'preprocessing');
    if (pre.length > 0) throw new DataError(`ensemble members must share their fitted preprocessing: ${m.runDir} differs from ${first.runDir} in ${pre.slice(0, 3).join(', ')} (preprocessing.json)`);
  }
}

function metricsOf(probs: Float32Array, y: Int32Array, k: number): MemberMetrics {
  let nll = 0;
  let hits = 0;
  for (let r = 0; r < y.length; r++) {
    const row = probs.subarray(r * k, (r + 1) * k);
    nll -= Math.log(Math.max(row[y[r]], 1e-12));
    let best = 0;
    for (let c = 1; c < k; c++) if (row[c] > row[best]) best = c;
    if (best === y[r]) hits++;
  }
  return { loss: nll / y.length, accuracy: hits / y.length };
}

export async function ensembleRuns(targets: readonly string[], options: { top?: number; split: SplitName; compute?: Partial<Compute> }): Promise<EnsembleResult> {
  const members = await expandMembers(targets, options.top);
  await checkCompatible(members);
  const spec0 = await readRunSpec(members[0].runDir);
  const env0 = await readEnv(members[0].runDir);
  const backend = options.compute?.backend ?? env0.backend;
  const built = await build(spec0, env0.specFile, { backend, threads: options.compute?.threads ?? env0.threads }, await readPreprocessing(members[0].runDir));
  const examples: Examples | undefined = built.data[options.split];
  if (!examples) throw new DataError(`${members[0].runDir}: no ${options.split} split (its dataset has no official test set and data.split.test is 0)`);
  const k = built.data.classes.length;
  const sum = new Float64Array(examples.y.length * k);
  const results: EnsembleResult['members'] = [];
  for (const m of members) {
    await readMetrics(m.runDir);
    const spec = await readRunSpec(m.runDir);
    const model = buildModel(spec, env0.specFile, built.data.sampleShape, k, built.backend);
    loadWeights(model, await readCheckpoint(m.checkpoint), m.checkpoint);
    const probs = new Float32Array(examples.y.length * k);
    let at = 0;
    for (const b of batches(examples, built.data.sampleShape, epochOrder(examples.y.length, undefined), EVAL_BATCH)) {
      const p = model.loss.outputs(model.logits(b.x, false)).data;
      probs.set(p.subarray(0, b.y.length * k), at * k);
      at += b.y.length;
    }
    for (let i = 0; i < probs.length; i++) sum[i] += probs[i];
    results.push({ ...m, ...metricsOf(probs, examples.y, k) });
  }
  const avg = Float32Array.from(sum, (v) => v / members.length);
  const mean = { loss: results.reduce((a, r) => a + r.loss, 0) / results.length, accuracy: results.reduce((a, r) => a + r.accuracy, 0) / results.length };
  return { split: options.split, count: examples.y.length, members: results, mean, ensemble: metricsOf(avg, examples.y, k) };
}
