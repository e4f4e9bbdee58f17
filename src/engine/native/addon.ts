// Loads the native kernels (dist/native/dlx-<isa>.node, built at install by
// scripts/build-native.mjs): the widest instruction set this CPU runs, tried in order; each
// build refuses to load on a CPU without its instructions. DLX_NATIVE=0 hides the build (CI runs
// the kernel table without it); DLX_NATIVE_DIR points at another build (the sanitizer one).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The instruction sets, widest first. */
export const ISAS = ['avx512', 'avx2', 'neon', 'generic'] as const;
export type Isa = (typeof ISAS)[number];

type F32 = Float32Array;
/** inC, inH, inW, kh, kw, sh, sw, outH, outW, padTop, padLeft */
export type ConvArgs = [number, number, number, number, number, number, number, number, number, number, number];
/** planes, H, W, kh, kw, sh, sw, outH, outW */
export type PoolArgs = [number, number, number, number, number, number, number, number, number];

/** What addon.c exports; sizes are checked by the caller (checks.ts) before each call. */
export interface NativeAddon {
  isa: Isa;
  matmul(a: F32, b: F32, out: F32, m: number, k: number, n: number, transA: number, transB: number, accumulate: number, threads: number): void;
  gatherRows(src: F32, srcRows: number, width: number, rows: Int32Array, count: number, out: F32, threads: number): void;
  prefetchRows(src: F32, srcRows: number, width: number, rows: Int32Array, count: number): void;
  addRowVector(out: F32, bias: F32, rows: number, cols: number, threads: number): void;
  sumRows(x: F32, rows: number, cols: number, out: F32, threads: number): void;
  squash(kind: number, x: F32, y: F32, n: number, alpha: number, threads: number): void;
  squashBackward(kind: number, x: F32, y: F32, dy: F32, dx: F32, n: number, alpha: number, threads: number): void;
  leakyRelu(x: F32, y: F32, n: number, alpha: number, threads: number): void;
  leakyReluBackward(x: F32, dy: F32, dx: F32, n: number, alpha: number, threads: number): void;
  maxpool(x: F32, y: F32, argmax: Int32Array, ...rest: [...PoolArgs, number]): void;
  maxpoolBackward(dy: F32, argmax: Int32Array, dx: F32, ...rest: [...PoolArgs, number]): void;
  avgpool(x: F32, y: F32, ...rest: [...PoolArgs, number]): void;
  avgpoolBackward(dy: F32, dx: F32, ...rest: [...PoolArgs, number]): void;
  batchnormStats(x: F32, n: number, C: number, S: number, mean: Float64Array, m2: Float64Array, threads: number): void;
  batchnormApply(x: F32, y: F32, xhat: F32 | null, mean: F32, inv: F32, gamma: F32, beta: F32, n: number, C: number, S: number, threads: number): void;
  batchnormBackward(dy: F32, xhat: F32, dx: F32, gamma: F32, inv: F32, dGamma: F32, dBeta: F32, n: number, C: number, S: number, threads: number): void;
  dropout(x: F32, y: F32, mask: F32, n: number, keep: number, state: Uint32Array, threads: number): void;
  dropoutBackward(dy: F32, mask: F32, dx: F32, n: number, threads: number): void;
  adam(w: F32, g: F32, m: F32, v: F32, n: number, stepSize: number, correction2: number, beta1: number, beta2: number, eps: number, threads: number): void;
  penalize(w: F32, g: F32, n: number, l2: number, sums: Float64Array): void;
  conv2dForward(x: F32, w: F32, b: F32, y: F32, cols: F32, ...rest: [...ConvArgs, number, number, number]): void;
  conv2dBackward(cols: F32, w: F32, dy: F32, dw: F32, db: F32, dx: F32 | null, ...rest: [...ConvArgs, number, number, number]): void;
}

export type Loaded = { addon: NativeAddon } | { why: string };

let loaded: Loaded | undefined;
let settings: { dir?: string; hidden?: boolean; isa?: string } = {};

/**
 * Where the builds are (default dist/native), whether to ignore them, and which instruction set
 * to load (default: the widest this CPU runs; a narrower one to measure it). The next load looks again.
 */
export function configureNative(options: { dir?: string; hidden?: boolean; isa?: string }): void {
  settings = options;
  loaded = undefined;
}

/** The native kernels, or why there are none (not built, hidden, or no build this CPU runs). */
export function nativeAddon(): Loaded {
  if (loaded) return loaded;
  if (settings.hidden) return (loaded = { why: 'hidden (DLX_NATIVE=0)' });
  const dir = settings.dir ?? fileURLToPath(new URL('../../../native/', import.meta.url));
  const require = createRequire(import.meta.url);
  const refused: string[] = [];
  if (settings.isa !== undefined && !ISAS.some((isa) => isa === settings.isa)) return (loaded = { why: `no instruction set ${settings.isa} (${ISAS.join(', ')})` });
  for (const isa of ISAS.filter((i) => settings.isa === undefined || i === settings.isa)) {
    const file = join(dir, `dlx-${isa}.node`);
    if (!existsSync(file)) continue;
    try {
      return (loaded = { addon: require(file) as NativeAddon });
    } catch (e) {
      refused.push(`${isa}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  const why = refused.length > 0 ? refused.join('; ') : `not built (no ${join(dir, 'dlx-*.node')}; npm run build builds them with a C compiler)`;
  return (loaded = { why });
}
