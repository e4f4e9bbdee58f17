// dlx eval RUN_OR_CHECKPOINT: a checkpoint's metrics on a split.
import type { Command } from 'commander';
import { threadsHelp, type Run } from '../flags.js';
import { fixed, line, percent, table, type Io } from '../io.js';
import { warnChangedData } from '../warnings.js';

interface EvalFlags {
  split: string;
  json?: boolean;
  backend?: string;
  threads?: string;
  topK: string;
  allowChangedData?: boolean;
}

export async function evalCommand(io: Io, target: string, flags: EvalFlags): Promise<void> {
  const z = await import('zod');
  const { evaluateRun } = await import('../../run/evaluate-run.js');
  const { checked, splitOption, threadsFor } = await import('../options.js');
  const split = checked(splitOption, flags.split, '--split');
  const k = checked(z.coerce.number().int().min(1, { message: 'expected a whole number ≥ 1' }), flags.topK, '--top-k');
  const r = await evaluateRun(target, split, { backend: flags.backend, threads: threadsFor(io, flags.threads) }, k, flags.allowChangedData);
  warnChangedData(io, r.dataChanged);
  if (flags.json) {
    line(io.out, JSON.stringify(r));
    return;
  }
  line(io.out, `${r.checkpoint} (epoch ${r.epoch}) on ${r.split}: ${r.count} rows`);
  if ('r2' in r) {
    line(io.out, `loss ${fixed(r.loss)}  ${r.target}: mae ${r.mae.toPrecision(4)}  rmse ${r.rmse.toPrecision(4)}  r2 ${fixed(r.r2)}`);
    return;
  }
  line(io.out, `loss ${fixed(r.loss)}  accuracy ${percent(r.accuracy)}  top-${r.topK.k} accuracy ${percent(r.topK.accuracy)}`);
  line(io.out);
  line(io.out, table(['class', 'precision', 'recall', 'f1', 'support'], r.perClass.map((c) => [c.class, fixed(c.precision), fixed(c.recall), fixed(c.f1), String(c.support)])));
  line(io.out);
  line(io.out, 'confusion matrix (rows: true class, columns: predicted)');
  line(io.out, table(['', ...r.perClass.map((c) => c.class)], r.confusion.map((row, i) => [r.perClass[i].class, ...row.map(String)])));
}

export function registerEval(program: Command, io: Io, run: Run): void {
  program
    .command('eval')
    .description("a checkpoint's loss, accuracy, top-k, per-class precision/recall/F1 and confusion matrix on a split")
    .argument('<run>', 'a run folder (its last checkpoint) or a .safetensors checkpoint in one')
    .option('--split <split>', 'train, val or test', 'val')
    .option('--top-k <k>', 'k of the top-k accuracy (at most the class count)', '5')
    .option('--backend <backend>', 'the compute backend: native, wasm or reference (default: the run\'s own)')
    .option('--threads <n>', threadsHelp)
    .option('--json', 'print one JSON object')
    .option('--allow-changed-data', 'evaluate even when the data differs from what the run recorded (a warning, and dataChanged in --json)')
    .addHelpText('after', '\nExample:\n  dlx eval runs/quickstart/20261125-101500-a1b2c3 --split val --json')
    .action((target: string, flags: EvalFlags) => run(() => evalCommand(io, target, flags)));
}
