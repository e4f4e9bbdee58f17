// dlx eval RUN_OR_CHECKPOINT: a checkpoint's metrics on a split.
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

export async function evalAction(io: Io, _signal: AbortSignal, target: string, flags: EvalFlags): Promise<void> {
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
