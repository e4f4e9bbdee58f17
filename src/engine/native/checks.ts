// Every size a native kernel relies on, checked before the call crosses into C: a wrong size
// here is a bug in a caller, so it throws (a RangeError naming the kernel, the operand, what
// was expected and what was found) instead of letting C read or write past a buffer.
import type { PoolGeometry } from '../backend.js';
import type { ConvGeometry } from '../conv.js';

export const MAX_THREADS = 64;

function fail(kernel: string, message: string): never {
  throw new RangeError(`native ${kernel}: ${message}`);
}

/** Whole numbers ≥ min (sizes, strides), small enough that their products stay exact. */
export function whole(kernel: string, values: Record<string, number>, min = 0): void {
  for (const [name, v] of Object.entries(values)) {
    if (!Number.isSafeInteger(v) || v < min || v > 2 ** 31 - 1) fail(kernel, `${name} = ${v}, expected a whole number ≥ ${min}`);
  }
}

/** Each operand holds at least the values the kernel touches. */
export function holds(kernel: string, operands: Record<string, [ArrayLike<number>, number]>): void {
  for (const [name, [array, needed]] of Object.entries(operands)) {
    if (!Number.isSafeInteger(needed) || needed > 2 ** 31 - 1) fail(kernel, `${name} would need ${needed} values`);
    if (array.length < needed) fail(kernel, `${name} has ${array.length} values, expected at least ${needed}`);
  }
}

export function threadCount(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) fail('backend', `threads = ${threads}, expected 1 to ${MAX_THREADS}`);
}

/** Pooling windows lie inside their planes. */
export function poolGeometry(kernel: string, g: PoolGeometry): void {
  whole(kernel, { planes: g.planes, H: g.H, W: g.W, outH: g.outH, outW: g.outW });
  whole(kernel, { kh: g.kh, kw: g.kw, sh: g.sh, sw: g.sw }, 1);
  if (g.outH > 0 && (g.outH - 1) * g.sh + g.kh > g.H) fail(kernel, `${g.outH} rows of ${g.kh}-high windows at stride ${g.sh} do not fit in ${g.H} rows`);
  if (g.outW > 0 && (g.outW - 1) * g.sw + g.kw > g.W) fail(kernel, `${g.outW} columns of ${g.kw}-wide windows at stride ${g.sw} do not fit in ${g.W} columns`);
  whole(kernel, { 'planes·H·W': g.planes * g.H * g.W, 'planes·outH·outW': g.planes * g.outH * g.outW });
}

/** A convolution's geometry: whole sizes, padding within a kernel's reach (the C side reads only inside the image). */
export function convGeometry(kernel: string, g: ConvGeometry, F: number, n: number): { K: number; P: number; inSize: number } {
  whole(kernel, { inC: g.inC, inH: g.inH, inW: g.inW, outH: g.outH, outW: g.outW, padTop: g.padTop, padLeft: g.padLeft, filters: F, samples: n });
  whole(kernel, { kh: g.kh, kw: g.kw, sh: g.sh, sw: g.sw }, 1);
  if (g.padTop >= g.kh || g.padLeft >= g.kw) fail(kernel, `padding ${g.padTop}×${g.padLeft} reaches past a ${g.kh}×${g.kw} kernel`);
  const sizes = { K: g.inC * g.kh * g.kw, P: g.outH * g.outW, inSize: g.inC * g.inH * g.inW };
  whole(kernel, { 'n·K·P': n * sizes.K * sizes.P, 'n·F·P': n * F * sizes.P, 'n·inC·inH·inW': n * sizes.inSize });
  return sizes;
}
