// dlx eval RUN_OR_CHECKPOINT: a checkpoint's metrics on a split.
import type { Command } from 'commander';
import { defaultBackendName } from '../../engine/backends.js';
import { evaluateRun } from '../../run/evaluate-run.js';
import { fixed, line, percent, type Io } from '../io.js';
import { checked, splitOption } from '../options.js';

interface EvalFlags {
  split: string;
  json?: boolean;
  backend: string;
}

export async function evalCommand(io: Io, target: string, flags: EvalFlags): Promise<void> {
  const split = checked(splitOption, flags.split, '--split');
  const r = await evaluateRun(target, split, flags.backend);
  if (flags.json) {
    line(io.out, JSON.stringify(r));
    return;
  }
  line(io.out, `${r.checkpoint} (epoch ${r.epoch}) on ${r.split}: ${r.count} rows`);
  line(io.out, `loss ${fixed(r.loss)}  accuracy ${percent(r.accuracy)}`);
}

export function registerEval(program: Command, io: Io, run: (action: () => Promise<void>) => Promise<void>): void {
  program
    .command('eval')
    .description("a checkpoint's loss and accuracy on a split, with the run's saved preprocessing")
    .argument('<run>', 'a run folder (its last checkpoint) or a .safetensors checkpoint in one')
    .option('--split <split>', 'train, val or test', 'val')
    .option('--backend <backend>', 'the compute backend', defaultBackendName)
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExample:\n  dlx eval runs/quickstart/20261125-101500-a1b2c3 --split val --json')
    .action((target: string, flags: EvalFlags) => run(() => evalCommand(io, target, flags)));
}
