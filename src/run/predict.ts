// `dlx predict CHECKPOINT INPUT`: class probabilities for new rows (CSV) or samples (IDX),
// through the run's saved preprocessing and the checkpoint's weights. Needs no training data.
import { extname } from 'node:path';
import { DataError } from '../common/errors.js';
import { restoreChain, applyChain } from '../data/normalizers/index.js';
import { readIdx } from '../data/readers/idx.js';
import { readNumericCsv } from '../data/readers/numeric-csv.js';
import { parseCsv } from '../data/readers/csv.js';
import { readText, tableFromText } from '../data/readers/table-reader.js';
import { encode } from '../data/table.js';
import { Tensor } from '../engine/tensor.js';
import { loadWeights } from '../train/checkpoint.js';
import { backendFor, buildModel, type Compute } from './build.js';
import { checkCompatible } from './ensemble.js';
import { checkRecordedFiles } from './data-check.js';
import { locateCheckpoint } from './run-folder.js';
import { openCheckpoint } from './checkpoint-source.js';

export interface Predictions {
  classes: string[];
  /** rows × classes; for regression, rows × 1 predicted values in the target's units. */
  probabilities: Float32Array;
  regression: boolean;
  rows: number;
  /** With allowChangedData: how the run's recorded data files differ now (empty: the same). */
  dataChanged: string[];
}

const CHUNK = 1024;

export async function predict(target: string, input: string, compute?: Compute, allowChangedData = false): Promise<Predictions> {
  const { checkpoint, origin, spec, env, preprocessing: pre, loaded } = await openCheckpoint(target);
  const dataChanged = await checkRecordedFiles(origin, allowChangedData);
  const width = pre.rawShape.reduce((a, b) => a * b, 1);
  let rows: number;
  let raw: Float32Array;
  if (/\.idx\d?(-ubyte)?(\.gz)?$|ubyte(\.gz)?$/i.test(input) || extname(input) === '.idx') {
    const idx = await readIdx(input);
    const sample = idx.shape.slice(1).reduce((a, b) => a * b, 1);
    if (sample !== width) throw new DataError(`${input}: samples of shape [${idx.shape.slice(1).join(', ')}], the model was trained on [${pre.rawShape.join(', ')}]`);
    [rows, raw] = [idx.shape[0], idx.data];
  } else if (pre.encoding) {
    // tabular data: columns by name from a header line, else in the training order
    const names = pre.encoding.map((e) => e.name);
    const text = await readText(input);
    const first = new Set(parseCsv(text, input)[0]?.fields.map((f) => f.trim()));
    const header = names.every((n) => first.has(n));
    const categorical = pre.encoding.filter((e) => e.kind === 'categorical').map((e) => e.name);
    const { table } = tableFromText(text, input, { header, columns: header ? undefined : names, categorical: header ? categorical.filter((c) => first.has(c)) : categorical });
    [rows, raw] = [table.lines.length, encode(table, pre.encoding)];
  } else {
    ({ rows, data: raw } = await readNumericCsv(input, width));
  }
  // in the units of the dataset's files: divided as the loader did (image bytes by 255)
  const divideBy = pre.divideBy ?? 1;
  if (divideBy !== 1) for (let i = 0; i < raw.length; i++) raw[i] /= divideBy;
  const model = buildModel(spec, env.specFile, pre.sampleShape, pre.classes.length, await backendFor(compute ?? { backend: env.backend, threads: env.threads }), undefined, undefined, pre.target && new Float32Array(0));
  loadWeights(model, loaded, checkpoint);
  const x = applyChain(restoreChain(pre.steps), { data: raw, rows, cols: width });
  const features = x.cols;
  const probabilities = new Float32Array(rows * pre.classes.length);
  for (let start = 0; start < rows; start += CHUNK) {
    const n = Math.min(CHUNK, rows - start);
    const batch = new Tensor([n, ...pre.sampleShape], x.data.subarray(start * features, (start + n) * features));
    probabilities.set(model.loss.outputs(model.logits(batch, false)).data, start * pre.classes.length);
  }
  // a regression model predicts the standardized target: back to the target's units
  if (pre.target) for (let i = 0; i < probabilities.length; i++) probabilities[i] = probabilities[i] * pre.target.std + pre.target.mean;
  return { classes: pre.classes, probabilities, rows, regression: pre.target !== undefined, dataChanged };
}

/** Several checkpoints: their probabilities averaged (members must share data and preprocessing). */
export async function predictMany(targets: readonly string[], input: string, compute?: Compute, allowChangedData = false): Promise<Predictions> {
  if (targets.length === 1) return predict(targets[0], input, compute, allowChangedData);
  await checkCompatible(await Promise.all(targets.map(locateCheckpoint)));
  const all = [];
  for (const t of targets) all.push(await predict(t, input, compute, allowChangedData));
  const probabilities = new Float32Array(all[0].probabilities.length);
  for (let i = 0; i < probabilities.length; i++) probabilities[i] = all.reduce((a, p) => a + p.probabilities[i], 0) / all.length;
  return { classes: all[0].classes, probabilities, rows: all[0].rows, regression: all[0].regression, dataChanged: all.flatMap((p) => p.dataChanged) };
}
