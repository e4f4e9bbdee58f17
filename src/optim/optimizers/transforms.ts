// Transforms shared by every optimizer, written once: clipping and decoupled weight decay.
import type { ParamRef } from './optimizer.js';

/** torch.nn.utils.clip_grad_norm_: scale by maxNorm/(‖g‖ + 1e-6) when that is below 1. */
export function clipByGlobalNorm(params: readonly ParamRef[], maxNorm: number): number {
  let sum = 0;
  for (const p of params) for (let i = 0; i < p.grad.length; i++) sum += p.grad[i] * p.grad[i];
  const norm = Math.sqrt(sum);
  const scale = maxNorm / (norm + 1e-6);
  if (scale < 1) for (const p of params) for (let i = 0; i < p.grad.length; i++) p.grad[i] *= scale;
  return norm;
}

export function clipByValue(params: readonly ParamRef[], limit: number): void {
  for (const p of params) {
    for (let i = 0; i < p.grad.length; i++) p.grad[i] = Math.min(limit, Math.max(-limit, p.grad[i]));
  }
}

/** w ← w − lr·λ·w before the update (AdamW's order), on weights only. */
export function decayWeights(params: readonly ParamRef[], lr: number, weightDecay: number): void {
  const factor = 1 - lr * weightDecay;
  for (const p of params) {
    if (p.decay === false) continue;
    for (let i = 0; i < p.value.length; i++) p.value[i] *= factor;
  }
}
