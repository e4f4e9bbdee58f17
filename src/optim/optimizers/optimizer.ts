// An optimizer is a per-parameter update rule with named state slots (tinygrad nn/optim.py in
// spirit), wrapped by transforms that every rule shares: gradient clipping and decoupled weight
// decay. Rules run on float32 weights in training and on float64 in the golden tests.
import * as z from 'zod';
import type { Backend } from '../../engine/backend.js';
import { positive, strictObject, type Component } from '../../common/schema.js';
import { clipByGlobalNorm, clipByValue, decayWeights } from './transforms.js';

export type Vec = Float32Array | Float64Array;

export interface UpdateRule {
  /** Names of the state slots each parameter keeps (e.g. ['velocity']), zero at start. */
  readonly slots: readonly string[];
  /**
   * Updates w in place from its gradient g; `t` counts updates from 1. A rule may hand float32
   * work to the backend's kernel (Adam does); float64 weights (the golden tests) never go there.
   */
  update(w: Vec, g: Vec, state: Vec[], lr: number, t: number, backend?: Backend): void;
}

/** Options every optimizer has, applied by the Optimizer around its rule. */
export const sharedOptions = {
  /** Decoupled weight decay (Loshchilov & Hutter 2019, https://arxiv.org/abs/1711.05101). */
  weightDecay: z.number().min(0).default(0),
  /** Scale all gradients so their global L2 norm is at most this (Pascanu et al. 2013). */
  clipNorm: positive().optional(),
  /** Clamp every gradient element to [−clipValue, clipValue]. */
  clipValue: positive().optional(),
};

export type SharedOptions = { weightDecay: number; clipNorm?: number; clipValue?: number };

/** The schema of one optimizer: its own options, the learning rate, and the shared options. */
export function optimizerSchema<T extends string, S extends z.ZodRawShape>(type: T, lr: number, shape: S) {
  return strictObject({ type: z.literal(type), lr: positive().default(lr), ...shape, ...sharedOptions });
}

export interface OptimizerComponent<S extends z.ZodObject = z.ZodObject> extends Component<S> {
  create(config: z.output<S>): UpdateRule;
}

export const defineOptimizer = <S extends z.ZodObject>(c: OptimizerComponent<S>) => c;

export interface ParamRef {
  readonly name: string;
  readonly value: Vec;
  readonly grad: Vec;
  /** Weight decay applies (weights yes; biases and normalization parameters no). */
  readonly decay?: boolean;
}

/** Applies a rule to named parameters and owns their state, which checkpoints save by name. */
export class Optimizer {
  private readonly state = new Map<string, Vec[]>();

  constructor(readonly rule: UpdateRule, readonly options: SharedOptions = { weightDecay: 0 }, readonly backend?: Backend) {}

  step(params: readonly ParamRef[], lr: number, t: number): void {
    if (this.options.clipNorm !== undefined) clipByGlobalNorm(params, this.options.clipNorm);
    if (this.options.clipValue !== undefined) clipByValue(params, this.options.clipValue);
    if (this.options.weightDecay > 0) decayWeights(params, lr, this.options.weightDecay);
    for (const p of params) {
      let slots = this.state.get(p.name);
      if (!slots) {
        slots = this.rule.slots.map(() => this.zeros(p.value));
        this.state.set(p.name, slots);
      }
      this.rule.update(p.value, p.grad, slots, lr, t, this.backend);
    }
  }

  /** A zero slot like `like`: float64 for float64 weights, else in the backend's own buffers. */
  private zeros(like: Vec): Vec {
    if (like instanceof Float64Array) return new Float64Array(like.length);
    return this.backend ? this.backend.alloc(like.length) : new Float32Array(like.length);
  }

  /** State tensors named `<param>.<slot>`. */
  saveState(): Map<string, Vec> {
    const out = new Map<string, Vec>();
    for (const [name, slots] of this.state) slots.forEach((s, i) => out.set(`${name}.${this.rule.slots[i]}`, s));
    return out;
  }

  loadState(params: readonly ParamRef[], saved: ReadonlyMap<string, Vec>): void {
    this.state.clear();
    for (const p of params) {
      const slots = this.rule.slots.map((slot) => saved.get(`${p.name}.${slot}`));
      if (slots.every((s) => s !== undefined)) {
        this.state.set(p.name, slots.map((s) => {
          const copy = this.zeros(s!);
          copy.set(s!);
          return copy;
        }));
      }
    }
  }
}
