// Every size a native kernel relies on, checked before the call crosses into C: a wrong size
// here is a bug in a caller, so it throws (a RangeError naming the kernel, the operand, what
// was expected and what was found) instead of letting C read or write past a buffer. The checks
// take one value each, positionally: they run several times per kernel call, and a record of
// operands per call cost a small MLP's step more than some of its kernels.
import type { PoolGeometry } from '../backend.js';
import type { ConvGeometry } from '../conv.js';

export const MAX_THREADS = 64;

function fail(kernel: string, message: string): never {
  throw new RangeError(`native ${kernel}: ${message}`);
}

/** A whole number ≥ min (a size, a stride), small enough that products of them stay exact. */
export function whole(kernel: string, name: string, v: number, min = 0): void {
  if (!Number.isSafeInteger(v) || v < min || v > 2 ** 31 - 1) fail(kernel, `${name} = ${v}, expected a whole number ≥ ${min}`);
}

/** The operand `name` holds at least the `needed` values the kernel touches. */
export function holds(kernel: string, name: string, array: ArrayLike<number>, needed: number): void {
  if (!Number.isSafeInteger(needed) || needed > 2 ** 31 - 1) fail(kernel, `${name} would need ${needed} values`);
  if (array.length < needed) fail(kernel, `${name} has ${array.length} values, expected at least ${needed}`);
}

export function threadCount(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) fail('backend', `threads = ${threads}, expected 1 to ${MAX_THREADS}`);
}

/** Window sizes and strides: whole numbers ≥ 1. */
function windows(kernel: string, g: { kh: number; kw: number; sh: number; sw: number }): void {
  whole(kernel, 'kh', g.kh, 1);
  whole(kernel, 'kw', g.kw, 1);
  whole(kernel, 'sh', g.sh, 1);
  whole(kernel, 'sw', g.sw, 1);
}

/** Pooling windows lie inside their planes. */
export function poolGeometry(kernel: string, g: PoolGeometry): void {
  whole(kernel, 'planes', g.planes);
  whole(kernel, 'H', g.H);
  whole(kernel, 'W', g.W);
  whole(kernel, 'outH', g.outH);
  whole(kernel, 'outW', g.outW);
  windows(kernel, g);
  if (g.outH > 0 && (g.outH - 1) * g.sh + g.kh > g.H) fail(kernel, `${g.outH} rows of ${g.kh}-high windows at stride ${g.sh} do not fit in ${g.H} rows`);
  if (g.outW > 0 && (g.outW - 1) * g.sw + g.kw > g.W) fail(kernel, `${g.outW} columns of ${g.kw}-wide windows at stride ${g.sw} do not fit in ${g.W} columns`);
  whole(kernel, 'planes·H·W', g.planes * g.H * g.W);
  whole(kernel, 'planes·outH·outW', g.planes * g.outH * g.outW);
}

/** A convolution's sizes: values per column (K), positions per plane (P), values per sample in. */
export interface ConvSizes {
  K: number;
  P: number;
  inSize: number;
}

/** A convolution's geometry: whole sizes, padding within a kernel's reach (the C side reads only inside the image). */
export function convGeometry(kernel: string, g: ConvGeometry, F: number, n: number): ConvSizes {
  whole(kernel, 'inC', g.inC);
  whole(kernel, 'inH', g.inH);
  whole(kernel, 'inW', g.inW);
  whole(kernel, 'outH', g.outH);
  whole(kernel, 'outW', g.outW);
  whole(kernel, 'padTop', g.padTop);
  whole(kernel, 'padLeft', g.padLeft);
  whole(kernel, 'filters', F);
  whole(kernel, 'samples', n);
  windows(kernel, g);
  if (g.padTop >= g.kh || g.padLeft >= g.kw) fail(kernel, `padding ${g.padTop}×${g.padLeft} reaches past a ${g.kh}×${g.kw} kernel`);
  const sizes = { K: g.inC * g.kh * g.kw, P: g.outH * g.outW, inSize: g.inC * g.inH * g.inW };
  whole(kernel, 'n·K·P', n * sizes.K * sizes.P);
  whole(kernel, 'n·F·P', n * F * sizes.P);
  whole(kernel, 'n·inC·inH·inW', n * sizes.inSize);
  return sizes;
}
