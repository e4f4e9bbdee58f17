// An optimizer is a per-parameter update rule with named state slots (tinygrad nn/optim.py in
// spirit). The rule runs on float32 weights in training and on float64 in the golden tests.
import type * as z from 'zod';
import type { Component } from '../../common/schema.js';

export type Vec = Float32Array | Float64Array;

export interface UpdateRule {
  /** Names of the state slots each parameter keeps (e.g. ['velocity']), zero at start. */
  readonly slots: readonly string[];
  /** Updates w in place from its gradient g; `t` counts updates from 1. */
  update(w: Vec, g: Vec, state: Vec[], lr: number, t: number): void;
}

export interface OptimizerComponent<S extends z.ZodObject = z.ZodObject> extends Component<S> {
  create(config: z.output<S>): UpdateRule;
}

export interface ParamRef {
  readonly name: string;
  readonly value: Vec;
  readonly grad: Vec;
}

/** Applies a rule to named parameters and owns their state, which checkpoints save by name. */
export class Optimizer {
  private readonly state = new Map<string, Vec[]>();

  constructor(readonly rule: UpdateRule) {}

  step(params: readonly ParamRef[], lr: number, t: number): void {
    for (const p of params) {
      let slots = this.state.get(p.name);
      if (!slots) {
        slots = this.rule.slots.map(() => (p.value instanceof Float64Array ? new Float64Array(p.value.length) : new Float32Array(p.value.length)));
        this.state.set(p.name, slots);
      }
      this.rule.update(p.value, p.grad, slots, lr, t);
    }
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
      if (slots.every((s) => s !== undefined)) this.state.set(p.name, slots.map((s) => s!.slice()));
    }
  }
}
