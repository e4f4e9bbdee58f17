// The wasm backend's batch normalization: statistics, normalization and gradients, each thread a
// run of whole channels, so that a channel's sums are formed by one thread (assembly/batchnorm.ts).
import { MIN_VALUES_PER_THREAD, split } from './partition.js';
import type { Task } from './slots.js';
import type { KernelRunner } from './runner.js';

export function batchnormStats(r: KernelRunner, x: Float32Array, n: number, S: number, mean: Float64Array, m2: Float64Array): void {
  const C = mean.length;
  const { at: [px, pm, pm2] } = r.arena.place([x.subarray(0, n * C * S), 2 * C, 2 * C]);
  eachChannels(r, n, C, S, (c0, c1) => ({ op: 'batchnormStats', args: [px, n, C, S, c0, c1, pm, pm2] }));
  r.arena.fetchFloat64(pm, mean);
  r.arena.fetchFloat64(pm2, m2);
}

export function batchnormApply(r: KernelRunner, x: Float32Array, y: Float32Array, xhat: Float32Array | undefined, mean: Float32Array, inv: Float32Array,
  gamma: Float32Array, beta: Float32Array, n: number, S: number): void {
  const C = mean.length;
  const size = n * C * S;
  const { at: [px, py, pxhat, pmean, pinv, pg, pb] } = r.arena.place([x.subarray(0, size), r.arena.out(y.subarray(0, size)),
    xhat ? r.arena.out(xhat.subarray(0, size)) : 0, mean, inv, gamma, beta]);
  eachChannels(r, n, C, S, (c0, c1) => ({ op: 'batchnormApply', args: [px, py, xhat ? pxhat : 0, pmean, pinv, pg, pb, n, C, S, c0, c1] }));
  r.arena.fetch(py, y.subarray(0, size));
  if (xhat) r.arena.fetch(pxhat, xhat.subarray(0, size));
}

export function batchnormBackward(r: KernelRunner, dy: Float32Array, xhat: Float32Array, dx: Float32Array, gamma: Float32Array, inv: Float32Array,
  dGamma: Float32Array, dBeta: Float32Array, n: number, S: number): void {
  const C = gamma.length;
  const size = n * C * S;
  const { at: [pdy, pxhat, pdx, pg, pinv, pdg, pdb] } = r.arena.place([dy.subarray(0, size), xhat.subarray(0, size),
    r.arena.out(dx.subarray(0, size)), gamma, inv, r.arena.out(dGamma), r.arena.out(dBeta)]);
  eachChannels(r, n, C, S, (c0, c1) => ({ op: 'batchnormBackward', args: [pdy, pxhat, pdx, pg, pinv, pdg, pdb, n, C, S, c0, c1] }));
  r.arena.fetch(pdx, dx.subarray(0, size));
  r.arena.fetch(pdg, dGamma);
  r.arena.fetch(pdb, dBeta);
}

/** Per-channel work over x[n][C][S] in runs of whole channels, one per thread. */
function eachChannels(r: KernelRunner, n: number, C: number, S: number, task: (c0: number, c1: number) => Task): void {
  r.run(split(C, r.threads, Math.ceil(MIN_VALUES_PER_THREAD / (n * S))).map(([c0, c1]) => task(c0, c1)));
}
