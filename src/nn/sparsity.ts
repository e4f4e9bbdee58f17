// Pre-defined sparsity (Dey, Huang, Beerel & Chugg, "Pre-Defined Sparse Neural Networks with
// Hardware Acceleration", https://arxiv.org/abs/1812.01164): a dense layer whose connection
// pattern is fixed before training. Each input neuron keeps `fanOut` of the layer's outputs, so
// the density is fanOut/out. `structured` gives exact degrees: every input has fanOut outputs and
// every output has fanIn = in·fanOut/out inputs; `random` picks ⌈density·in·out⌉ cells uniformly.
import * as z from 'zod';
import { count, strictObject } from '../common/schema.js';
import type { Rng } from '../random/rng.js';
import { LayerShapeError } from './layer.js';

export const sparsitySchema = strictObject({
  fanOut: count(),
  pattern: z.enum(['structured', 'random']).default('structured'),
});

export type Sparsity = z.output<typeof sparsitySchema>;

/** Fisher–Yates shuffle of 0…n−1 from the given stream. */
function permutation(n: number, rng: Rng): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** A 0/1 mask over a weight of shape [inputs, outputs], row-major like the weight. */
export function connectionMask(inputs: number, outputs: number, { fanOut, pattern }: Sparsity, rng: Rng): Float32Array {
  if (fanOut > outputs) throw new LayerShapeError(`sparsity.fanOut ${fanOut} is more than the layer's ${outputs} units`);
  const mask = new Float32Array(inputs * outputs);
  if (pattern === 'random') {
    const cells = inputs * fanOut; // ⌈density·in·out⌉, in integers
    const order = permutation(inputs * outputs, rng);
    for (let c = 0; c < cells; c++) mask[order[c]] = 1;
    return mask;
  }
  if ((inputs * fanOut) % outputs !== 0) {
    throw new LayerShapeError(`sparsity: fanIn = inputs·fanOut/units = ${inputs}·${fanOut}/${outputs} is not a whole number; pick fanOut so that it is (or pattern: random)`);
  }
  // Input π(i) takes outputs σ(i·fo), σ(i·fo + 1), … (mod out): fo distinct outputs per input,
  // and the run i·fo + j over all i, j hits every output exactly in·fo/out times.
  const rows = permutation(inputs, rng);
  const cols = permutation(outputs, rng);
  for (let i = 0; i < inputs; i++) {
    for (let j = 0; j < fanOut; j++) mask[rows[i] * outputs + cols[(i * fanOut + j) % outputs]] = 1;
  }
  return mask;
}

/** x ⊙ mask, in place. */
export function applyMask(x: Float32Array, mask: Float32Array): void {
  for (let i = 0; i < mask.length; i++) if (mask[i] === 0) x[i] = 0;
}
