// The kernels a backend provides. The reference backend (reference.ts) is the readable
// oracle; faster backends implement the same interface and pass the same test table.

export interface MatmulArgs {
  /** a is m×k (or k×m when transA), b is k×n (or n×k when transB), out is m×n. */
  m: number;
  k: number;
  n: number;
  transA?: boolean;
  transB?: boolean;
  /** out = a·b + (accumulate ? out : 0) */
  accumulate?: boolean;
}

export interface Backend {
  readonly name: string;
  /** Threads the large kernels run on (results do not depend on it). */
  readonly threads: number;
  /** Which kernels run: 'typescript', 'relaxed-simd' (fused multiply-add) or 'simd'. */
  readonly variant: string;
  matmul(a: Float32Array, b: Float32Array, out: Float32Array, args: MatmulArgs): void;
  /** out[i, j] += bias[j] over rows of length bias.length. */
  addRowVector(out: Float32Array, bias: Float32Array): void;
  /** out[j] = Σ_i x[i, j]: column sums of a rows×bias.length matrix (bias gradients). */
  sumRows(x: Float32Array, cols: number, out: Float32Array): void;
}
