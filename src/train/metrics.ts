// Metrics of a model over a whole split, in inference mode, batch by batch in file order.
// Training's end-of-epoch validation and `dlx eval` call this same function, so eval
// reproduces a run's numbers exactly.
import { batches, epochOrder } from '../data/batches.js';
import type { Examples } from '../data/dataset.js';
import type { RegressionTargets } from '../data/prepare.js';
import type { Tensor } from '../engine/tensor.js';
import type { Model } from '../nn/model.js';

export const EVAL_BATCH = 256;

export interface Metrics {
  loss: number;
  accuracy: number;
  count: number;
}

export interface PerClass {
  class: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Report extends Metrics {
  topK: { k: number; accuracy: number };
  perClass: PerClass[];
  /** confusion[true][predicted] counts. */
  confusion: number[][];
}

/** Number of rows whose largest logit is at the label. */
export function correct(logits: Tensor, labels: Int32Array): number {
  const classes = logits.cols;
  let hits = 0;
  for (let r = 0; r < labels.length; r++) if (argmax(logits.data, r * classes, classes) === labels[r]) hits++;
  return hits;
}

/** The first largest of the `classes` values from `o` on (the row's data and width given: this runs per row of every batch). */
function argmax(z: Float32Array, o: number, classes: number): number {
  let best = 0;
  for (let c = 1; c < classes; c++) if (z[o + c] > z[o + best]) best = c;
  return best;
}

/** The label is among the k largest logits (ties resolved toward the label's favour never). */
function inTopK(logits: Tensor, row: number, label: number, k: number): boolean {
  const o = row * logits.cols;
  const mine = logits.data[o + label];
  let above = 0;
  for (let c = 0; c < logits.cols; c++) if (logits.data[o + c] > mine || (logits.data[o + c] === mine && c < label)) above++;
  return above < k;
}

function visit(model: Model, e: Examples, sampleShape: readonly number[], each: (logits: Tensor, labels: Int32Array) => void): Metrics {
  let loss = 0;
  let hits = 0;
  const count = e.y.length;
  for (const batch of batches(e, sampleShape, epochOrder(count, undefined), EVAL_BATCH)) {
    const logits = model.logits(batch.x, false);
    loss += model.loss.compute(logits, batch.y).loss * batch.y.length;
    hits += correct(logits, batch.y);
    each(logits, batch.y);
  }
  return { loss: loss / count, accuracy: hits / count, count };
}

export function evaluate(model: Model, e: Examples, sampleShape: readonly number[]): Metrics {
  return visit(model, e, sampleShape, () => {});
}

/** A regression model's metrics, in the target's own units (predictions un-standardized). */
export interface RegressionMetrics {
  loss: number;
  mae: number;
  rmse: number;
  /** 1 − SS_res/SS_tot around the split's own mean, as scikit-learn's r2_score. */
  r2: number;
  count: number;
}

export function evaluateRegression(model: Model, e: Examples, sampleShape: readonly number[], t: RegressionTargets): RegressionMetrics {
  const count = e.y.length;
  let [loss, absSum, sqSum, sum, sumSq] = [0, 0, 0, 0, 0];
  for (const batch of batches(e, sampleShape, epochOrder(count, undefined), EVAL_BATCH)) {
    const pred = model.logits(batch.x, false);
    loss += model.loss.compute(pred, batch.y).loss * batch.y.length;
    for (let i = 0; i < batch.y.length; i++) {
      const truth = t.values[batch.y[i]];
      const d = pred.data[i] * t.std + t.mean - truth;
      absSum += Math.abs(d);
      sqSum += d * d;
      sum += truth;
      sumSq += truth * truth;
    }
  }
  const total = sumSq - (sum * sum) / count;
  return { loss: loss / count, mae: absSum / count, rmse: Math.sqrt(sqSum / count), r2: total > 0 ? 1 - sqSum / total : NaN, count };
}

/** evaluate() plus top-k accuracy, per-class precision/recall/F1 and the confusion matrix. */
export function report(model: Model, e: Examples, sampleShape: readonly number[], classes: readonly string[], k: number): Report {
  const n = classes.length;
  const confusion = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  let topHits = 0;
  const metrics = visit(model, e, sampleShape, (logits, labels) => {
    for (let r = 0; r < labels.length; r++) {
      confusion[labels[r]][argmax(logits.data, r * logits.cols, logits.cols)]++;
      if (inTopK(logits, r, labels[r], k)) topHits++;
    }
  });
  const perClass = classes.map((name, c) => {
    const tp = confusion[c][c];
    const predicted = confusion.reduce((s, row) => s + row[c], 0);
    const support = confusion[c].reduce((s, v) => s + v, 0);
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    return { class: name, precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall), support };
  });
  return { ...metrics, topK: { k, accuracy: topHits / metrics.count }, perClass, confusion };
}
