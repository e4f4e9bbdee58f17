// Loads the compiled kernels (dist/wasm, built by scripts/build-wasm.mjs) and picks the variant
// this runtime can run: relaxed-SIMD fused multiply-add when the engine accepts it and the madd
// really is fused, plain SIMD otherwise. Node 20 accepts relaxed SIMD only behind
// --experimental-wasm-relaxed-simd; V8 reads that flag when it compiles a module, so setting it
// here at start-up is enough (no re-spawn of node, so signals reach this very process).
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

export type KernelVariant = 'relaxed-simd' | 'simd';

export interface KernelExports {
  gemm(m: number, n: number, k: number, a: number, lda: number, transA: number, b: number, ldb: number, transB: number,
    c: number, ldc: number, accumulate: number, scratch: number): void;
  scratchBytes(n: number): number;
  panelRows(): number;
  panelCols(): number;
  fmaProbe(x: number): number;
  squash(kind: number, x: number, y: number, n: number, alpha: number): void;
  squashBackward(kind: number, x: number, y: number, dy: number, dx: number, n: number, alpha: number): void;
  leakyRelu(x: number, y: number, n: number, alpha: number): void;
  leakyReluBackward(x: number, dy: number, dx: number, n: number, alpha: number): void;
  maxpool(x: number, y: number, argmax: number, p0: number, p1: number, H: number, W: number, kh: number, kw: number, sh: number, sw: number, outH: number, outW: number): void;
  maxpoolBackward(dy: number, argmax: number, dx: number, p0: number, p1: number, outPerPlane: number, inPerPlane: number): void;
  avgpool(x: number, y: number, p0: number, p1: number, H: number, W: number, kh: number, kw: number, sh: number, sw: number, outH: number, outW: number): void;
  avgpoolBackward(dy: number, dx: number, p0: number, p1: number, H: number, W: number, kh: number, kw: number, sh: number, sw: number, outH: number, outW: number): void;
  batchnormStats(x: number, n: number, C: number, S: number, c0: number, c1: number, mean: number, m2: number): void;
  batchnormApply(x: number, y: number, xhat: number, mean: number, inv: number, gamma: number, beta: number, n: number, C: number, S: number, c0: number, c1: number): void;
  batchnormBackward(dy: number, xhat: number, dx: number, gamma: number, inv: number, dgamma: number, dbeta: number, n: number, C: number, S: number, c0: number, c1: number): void;
  addRowVector(out: number, bias: number, rows: number, cols: number): void;
  sumRows(x: number, rows: number, cols: number, out: number): void;
  dropout(x: number, y: number, mask: number, n: number, keep: number, state: number): void;
  dropoutBackward(dy: number, mask: number, dx: number, n: number): void;
  adam(w: number, g: number, m: number, v: number, n: number, stepSize: number, correction2: number, beta1: number, beta2: number,
    oneMinusBeta1: number, oneMinusBeta2: number, eps: number): void;
  gemmSamples(count: number, m: number, n: number, k: number, a: number, lda: number, strideA: number, transA: number,
    b: number, ldb: number, strideB: number, transB: number, c: number, ldc: number, accumulate: number, scratch: number): void;
  convForward(x: number, w: number, b: number, y: number, cols: number, s0: number, s1: number, F: number, ...rest: [...ConvArgs, number]): void;
  convBackwardData(w: number, dy: number, dx: number, s0: number, s1: number, F: number, ...rest: [...ConvArgs, number]): void;
  convBackwardScratch(K: number, P: number, gemmScratch: number): number;
  winogradFilter(w: number, U: number, F: number, C: number, transposed: number): void;
  winogradScratch(C: number, F: number, outH: number, outW: number): number;
  winogradConv(x: number, U: number, b: number, y: number, Vg: number, s0: number, s1: number, C: number, H: number, W: number,
    F: number, outH: number, outW: number, padTop: number, padLeft: number, scratch: number): void;
  winogradWeightScratch(F: number, C: number, outH: number, outW: number): number;
  winogradWeightChunks(dy: number, V: number, dUc: number, k0: number, k1: number, n: number, F: number, C: number, outH: number, outW: number,
    scratch: number): void;
  winogradSumChunks(dUc: number, dU: number, chunks: number, size: number, from: number, to: number): void;
  winogradChunks(n: number, outH: number, outW: number): number;
  winogradKept(n: number, C: number, outH: number, outW: number): number;
  winogradFilterGrad(dU: number, dW: number, F: number, C: number): void;
  biasGrad(dy: number, db: number, f0: number, f1: number, F: number, n: number, P: number): void;
}

/** inC, inH, inW, kh, kw, sh, sw, outH, outW, padTop, padLeft */
type ConvArgs = readonly [number, number, number, number, number, number, number, number, number, number, number];

export const MAX_PAGES = 32768; // 2 GiB, as the modules declare

const fileOf = (variant: KernelVariant) =>
  new URL(`../../../wasm/kernels-${variant === 'relaxed-simd' ? 'relaxed' : 'simd'}.wasm`, import.meta.url);

export function newMemory(): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
}

export function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  const abort = () => {
    throw new Error('wasm kernel aborted');
  };
  return new WebAssembly.Instance(module, { env: { memory, abort } }).exports as unknown as KernelExports;
}

function compile(variant: KernelVariant): WebAssembly.Module | undefined {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(readFileSync(fileOf(variant)));
  } catch {
    throw new Error(`the WebAssembly kernels are not built (${fileOf(variant).pathname}): run npm install`);
  }
  if (!WebAssembly.validate(bytes) && variant === 'relaxed-simd') setFlagsFromString('--experimental-wasm-relaxed-simd');
  return WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : undefined;
}

let chosen: { module: WebAssembly.Module; variant: KernelVariant } | undefined;

/** The kernel module for this process: relaxed when usable and fused, else plain SIMD. */
export function kernelModule(prefer: KernelVariant = 'relaxed-simd'): { module: WebAssembly.Module; variant: KernelVariant } {
  if (chosen && chosen.variant === prefer) return chosen;
  if (prefer === 'relaxed-simd') {
    const relaxed = compile('relaxed-simd');
    if (relaxed && instantiate(relaxed, newMemory()).fmaProbe(1 + 1 / 4096) === 1) {
      return (chosen = { module: relaxed, variant: 'relaxed-simd' });
    }
  }
  const simd = compile('simd');
  if (!simd) throw new Error('this runtime cannot run WebAssembly SIMD');
  return (chosen = { module: simd, variant: 'simd' });
}
