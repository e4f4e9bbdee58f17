// `dlx eval`: a checkpoint's metrics on a split, with the run's own saved preprocessing (never
// refitted) and its own split seed, through the same evaluation code that training used.
import { DataError } from '../common/errors.js';
import { loadWeights } from '../train/checkpoint.js';
import { evaluateRegression, report, type RegressionMetrics, type Report } from '../train/metrics.js';
import { build, type Compute } from './build.js';
import { checkRunData } from './data-check.js';
import { openCheckpoint } from './checkpoint-source.js';

export type SplitName = 'train' | 'val' | 'test';

interface Where {
  split: SplitName;
  checkpoint: string;
  epoch: number;
  /** With allowChangedData: how the data differs from the run's (empty: the same). */
  dataChanged?: string[];
}

/** Classification: the full report; regression: its errors in the target's units and R². */
export type EvalResult = (Where & Report) | (Where & RegressionMetrics & { target: string });

/** A checkpoint's metrics on a split; by default on the backend the run trained on, so they match it exactly. */
export async function evaluateRun(target: string, split: SplitName, compute: Partial<Compute> = {}, topK = 5, allowChangedData = false): Promise<EvalResult> {
  const { origin, checkpoint, spec, env, preprocessing, loaded: ckpt } = await openCheckpoint(target);
  const backend = compute.backend ?? env.backend;
  const built = await build(spec, env.specFile, { backend, threads: compute.threads ?? (backend === env.backend ? env.threads : undefined) }, preprocessing);
  const dataChanged = await checkRunData(origin, spec, built.data, { allowChanged: allowChangedData, offerFlag: true });
  loadWeights(built.model, ckpt, checkpoint);
  const examples = built.data[split];
  if (!examples) {
    throw new DataError(`${origin}: this run has no ${split} split (its dataset has no official test set and data.split.test is 0)`);
  }
  const r = built.data.regression;
  if (r) return { split, checkpoint, epoch: ckpt.state.epoch, target: r.name, ...evaluateRegression(built.model, examples, built.data.sampleShape, r), ...(allowChangedData && { dataChanged }) };
  const k = Math.min(topK, built.data.classes.length);
  return { split, checkpoint, epoch: ckpt.state.epoch, ...report(built.model, examples, built.data.sampleShape, built.data.classes, k), ...(allowChangedData && { dataChanged }) };
}
