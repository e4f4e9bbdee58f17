// dlx eval RUN_OR_CHECKPOINT: a checkpoint's metrics on a split.
import type { Command } from 'commander';
import * as z from 'zod';
import { evaluateRun } from '../../run/evaluate-run.js';
import { fixed, line, percent, table, type Io } from '../io.js';
import { checked, splitOption, threadsFrom, threadsHelp } from '../options.js';

interface EvalFlags {
  split: string;
  json?: boolean;
  backend?: string;
  threads?: string;
  topK: string;
}

export async function evalCommand(io: Io, target: string, flags: EvalFlags): Promise<void> {
  const split = checked(splitOption, flags.split, '--split');
  const k = checked(z.coerce.number().int().min(1, { message: 'expected a whole number ≥ 1' }), flags.topK, '--top-k');
  const r = await evaluateRun(target, split, { backend: flags.backend, threads: threadsFrom(flags.threads) }, k);
  if (flags.json) {
    line(io.out, JSON.stringify(r));
    return;
  }
  line(io.out, `${r.checkpoint} (epoch ${r.epoch}) on ${r.split}: ${r.count} rows`);
  line(io.out, `loss ${fixed(r.loss)}  accuracy ${percent(r.accuracy)}  top-${r.topK.k} accuracy ${percent(r.topK.accuracy)}`);
  line(io.out);
  line(io.out, table(['class', 'precision', 'recall', 'f1', 'support'], r.perClass.map((c) => [c.class, fixed(c.precision), fixed(c.recall), fixed(c.f1), String(c.support)])));
  line(io.out);
  line(io.out, 'confusion matrix (rows: true class, columns: predicted)');
  line(io.out, table(['', ...r.perClass.map((c) => c.class)], r.confusion.map((row, i) => [r.perClass[i].class, ...row.map(String)])));
}

export function registerEval(program: Command, io: Io, run: (action: () => Promise<void>) => Promise<void>): void {
  program
    .command('eval')
    .description("a checkpoint's loss, accuracy, top-k, per-class precision/recall/F1 and confusion matrix on a split")
    .argument('<run>', 'a run folder (its last checkpoint) or a .safetensors checkpoint in one')
    .option('--split <split>', 'train, val or test', 'val')
    .option('--top-k <k>', 'k of the top-k accuracy (at most the class count)', '5')
    .option('--backend <backend>', 'the compute backend: native, wasm or reference (default: the run\'s own)')
    .option('--threads <n>', threadsHelp)
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExample:\n  dlx eval runs/quickstart/20261125-101500-a1b2c3 --split val --json')
    .action((target: string, flags: EvalFlags) => run(() => evalCommand(io, target, flags)));
}
