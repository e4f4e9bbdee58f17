// A normalizer is fitted on the training split only (in float64) and then applied to every
// split; its fitted state is plain JSON, saved in preprocessing.json and re-applied by eval.
import type * as z from 'zod';
import type { Component } from '../../common/schema.js';

export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

export interface Fitted {
  /** JSON-serializable statistics (means, stds, components…). */
  readonly state: Record<string, unknown>;
  /** The transformed data; with `inPlace`, a normalizer that keeps the width may reuse x's buffer. */
  apply(x: Matrix, inPlace?: boolean): Matrix;
}

export interface NormalizerComponent<S extends z.ZodObject = z.ZodObject> extends Component<S> {
  fit(config: z.output<S>, train: Matrix, labels: Int32Array): Fitted;
  /** The same transform from a saved state. */
  restore(config: z.output<S>, state: Record<string, unknown>): Fitted;
}

export const defineNormalizer = <S extends z.ZodObject>(c: NormalizerComponent<S>) => c;

/** Per-feature affine map x ← (x − shift) / scale, the shape of zscore and minmax. */
export function affine(shift: number[], scale: number[]): (x: Matrix, inPlace?: boolean) => Matrix {
  return ({ data, rows, cols }, inPlace = false) => {
    const out = inPlace ? data : new Float32Array(data.length);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) out[r * cols + c] = (data[r * cols + c] - shift[c]) / scale[c];
    }
    return { data: out, rows, cols };
  };
}

export function numberArray(state: Record<string, unknown>, key: string, length: number): number[] {
  const v = state[key];
  if (!Array.isArray(v) || v.length !== length || !v.every((n) => typeof n === 'number')) {
    throw new Error(`preprocessing state '${key}' should be ${length} numbers`);
  }
  return v as number[];
}
