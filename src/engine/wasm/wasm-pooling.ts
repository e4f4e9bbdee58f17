// The wasm backend's pooling: max and average pooling and their gradients, each thread a run of
// whole planes (assembly/pool.ts). Max pooling's argmax is used in place when it is resident.
import type { PoolGeometry } from '../backend.js';
import { MIN_VALUES_PER_THREAD, split } from './partition.js';
import type { Task } from './slots.js';
import type { KernelRunner } from './runner.js';

export function maxpool(r: KernelRunner, x: Float32Array, y: Float32Array, argmax: Int32Array, g: PoolGeometry): void {
  const n = g.planes * g.outH * g.outW;
  const { at: [px, py, pa] } = r.arena.place([x.subarray(0, g.planes * g.H * g.W), r.arena.out(y.subarray(0, n)), r.arena.out(argmax.subarray(0, n))]);
  eachPlanes(r, g, (p0, p1) => ({ op: 'maxpool', args: [px, py, pa, p0, p1, g.H, g.W, g.kh, g.kw, g.sh, g.sw, g.outH, g.outW] }));
  r.arena.fetch(py, y.subarray(0, n));
  r.arena.fetchInts(pa, argmax.subarray(0, n));
}

export function maxpoolBackward(r: KernelRunner, dy: Float32Array, argmax: Int32Array, dx: Float32Array, g: PoolGeometry): void {
  const [outs, ins] = [g.outH * g.outW, g.H * g.W];
  const n = g.planes * outs;
  const { at: [pdy, pa, pdx] } = r.arena.place([dy.subarray(0, n), argmax.subarray(0, n), r.arena.out(dx.subarray(0, g.planes * ins))]);
  eachPlanes(r, g, (p0, p1) => ({ op: 'maxpoolBackward', args: [pdy, pa, pdx, p0, p1, outs, ins] }));
  r.arena.fetch(pdx, dx.subarray(0, g.planes * ins));
}

export function avgpool(r: KernelRunner, x: Float32Array, y: Float32Array, g: PoolGeometry): void {
  const [ins, outs] = [g.planes * g.H * g.W, g.planes * g.outH * g.outW];
  const { at: [px, py] } = r.arena.place([x.subarray(0, ins), r.arena.out(y.subarray(0, outs))]);
  eachPlanes(r, g, (p0, p1) => ({ op: 'avgpool', args: [px, py, p0, p1, g.H, g.W, g.kh, g.kw, g.sh, g.sw, g.outH, g.outW] }));
  r.arena.fetch(py, y.subarray(0, outs));
}

export function avgpoolBackward(r: KernelRunner, dy: Float32Array, dx: Float32Array, g: PoolGeometry): void {
  const [ins, outs] = [g.planes * g.H * g.W, g.planes * g.outH * g.outW];
  const { at: [pdy, pdx] } = r.arena.place([dy.subarray(0, outs), r.arena.out(dx.subarray(0, ins))]);
  eachPlanes(r, g, (p0, p1) => ({ op: 'avgpoolBackward', args: [pdy, pdx, p0, p1, g.H, g.W, g.kh, g.kw, g.sh, g.sw, g.outH, g.outW] }));
  r.arena.fetch(pdx, dx.subarray(0, ins));
}

/** Pooling work in runs of whole planes, one per thread. */
function eachPlanes(r: KernelRunner, g: PoolGeometry, task: (p0: number, p1: number) => Task): void {
  r.run(split(g.planes, r.threads, Math.ceil(MIN_VALUES_PER_THREAD / (g.H * g.W))).map(([p0, p1]) => task(p0, p1)));
}
