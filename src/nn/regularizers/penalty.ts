// Weight penalties (REFERENCE.md §4) over weights only — not biases, not normalization
// parameters. L2 adds 2λw to the gradient (Krogh & Hertz 1992). L1 is applied as a proximal
// step after the update, w ← sign(w)·max(|w| − lr·λ, 0) (ISTA; Tsuruoka et al. 2009,
// https://aclanthology.org/P09-1054/): the same as the subgradient λ·sign(w) except that a
// weight stops at zero instead of crossing it, which is what makes L1 solutions sparse.
import * as z from 'zod';
import { strictObject } from '../../common/schema.js';
import { penalize } from '../../engine/reference.js';

/** A parameter's values and gradient as flat arrays (float32 in training, float64 in tests). */
export interface PenaltyTarget {
  readonly value: Float32Array | Float64Array;
  readonly grad: Float32Array | Float64Array;
  readonly penalized: boolean;
}

export const regularizationSchema = strictObject({
  l1: z.number().min(0).default(0),
  l2: z.number().min(0).default(0),
});
export type Regularization = z.output<typeof regularizationSchema>;

/** A backend's one-pass kernel (Backend.penalize): Σ|w| and Σw² added to sums, g += 2·l2·w. */
export type PenalizeKernel = (w: Float32Array, g: Float32Array, l2: number, sums: Float64Array) => void;

/**
 * Before the optimizer step: the penalty λ1·Σ|w| + λ2·Σw² over the penalized parameters (the
 * value curve.csv reports), and L2's gradient g ← g + 2λ2·w, in one pass over each weight
 * (float32 weights through the backend's kernel when given).
 */
// the running sums, reused: this runs once a batch
const sums = new Float64Array(2);

export function applyPenalty(params: readonly PenaltyTarget[], { l1, l2 }: Regularization, kernel?: PenalizeKernel): number {
  if (l1 === 0 && l2 === 0) return 0;
  sums.fill(0);
  for (const p of params) {
    if (!p.penalized) continue;
    const { value, grad } = p;
    if (kernel && value instanceof Float32Array && grad instanceof Float32Array) kernel(value, grad, l2, sums);
    else penalize(value, grad, l2, sums);
  }
  return l1 * sums[0] + l2 * sums[1];
}

/** The L1 proximal step, after the optimizer step, with the step's learning rate. */
export function proximalL1(params: readonly PenaltyTarget[], { l1 }: Regularization, lr: number): void {
  if (l1 === 0) return;
  const shrink = lr * l1;
  for (const p of params) {
    if (!p.penalized) continue;
    const w = p.value;
    for (let i = 0; i < w.length; i++) {
      const a = Math.abs(w[i]) - shrink;
      w[i] = a > 0 ? Math.sign(w[i]) * a : 0;
    }
  }
}
