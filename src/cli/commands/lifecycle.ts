// dlx resume, dlx reproduce, dlx compare, dlx predict: what makes a run folder useful later.
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import * as z from 'zod';
import { DataError } from '../../common/errors.js';
import { compareRuns } from '../../run/compare.js';
import { predict } from '../../run/predict.js';
import { reproduceRun } from '../../run/reproduce.js';
import { resumeRun } from '../../run/resume.js';
import { fixed, line, percent, table, type Io } from '../io.js';
import { checked, threadsFrom } from '../options.js';
import { progressEvents, progressMode } from '../progress.js';
import { printOutcome } from './train.js';
import { isSweepFolder } from '../../run/sweep.js';
import { resumeSweepCommand } from './sweep.js';

type Run = (action: (signal: AbortSignal) => Promise<void>) => Promise<void>;

export function registerLifecycle(program: Command, io: Io, run: Run): void {
  program
    .command('resume')
    .description('continue an interrupted run from its last checkpoint, exactly; or an interrupted sweep')
    .argument('<run>', 'the run folder')
    .option('--threads <n>', 'threads for the large kernels (default: as the run had)')
    .option('--quiet', 'print only the final summary')
    .option('--json', 'print one JSON object per epoch and a final one, nothing else')
    .addHelpText('after', '\nExample:\n  dlx resume runs/quickstart/20261125-101500-a1b2c3')
    .option('--workers <n>', 'for a sweep: trials in parallel (default: as the sweep had)')
    .option('--queue <url>', 'for a sweep: run its trials on dlx workers through Redis (as dlx sweep --queue)')
    .option('--queue-timeout <seconds>', 'with --queue: stop when Redis is unreachable this many seconds (default 300)')
    .action((runDir: string, flags: { quiet?: boolean; json?: boolean; threads?: string; workers?: string; queue?: string; queueTimeout?: string }) => run(async (signal) => {
      const mode = progressMode(io, flags);
      if (await isSweepFolder(runDir)) {
        await resumeSweepCommand(io, mode, runDir, flags, signal);
        return;
      }
      const r = await resumeRun(runDir, { threads: threadsFrom(flags.threads), argv: process.argv.slice(2), signal, events: progressEvents(io, mode) });
      if (r.alreadyDone) {
        if (mode === 'json') line(io.out, JSON.stringify({ event: 'done', runDir, alreadyDone: true, ...r.metrics }));
        else line(io.out, `nothing to resume: ${runDir} already ended after epoch ${r.fromEpoch} (${r.metrics.status})`);
        return;
      }
      printOutcome(io, mode, r.runDir, r.metrics);
    }));

  program
    .command('reproduce')
    .description('rerun a finished run from its resolved.json; exit 0 when curves and final weights match, 1 otherwise')
    .argument('<run>', 'the run folder')
    .option('--tolerance <relative>', 'allowed relative difference (0: bit-identical)', '0')
    .addHelpText('after', '\nExample:\n  dlx reproduce runs/quickstart/20261125-101500-a1b2c3 && echo reproducible')
    .action((runDir: string, flags: { tolerance: string }) => run(async () => {
      const tolerance = checked(z.coerce.number().min(0).finite({ message: 'expected a number ≥ 0' }), flags.tolerance, '--tolerance');
      const r = await reproduceRun(runDir, { tolerance, argv: process.argv.slice(2) });
      const how = r.maxRelative === 0 ? 'bit-identical' : `within relative ${r.maxRelative.toExponential(2)}`;
      line(io.out, `reproduced ${runDir}: ${r.epochs} epochs and ${r.tensors} weight tensors ${how}`);
    }));

  program
    .command('compare')
    .description('the spec differences and the metrics of runs, side by side')
    .argument('<runs...>', 'run folders')
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExample:\n  dlx compare runs/quickstart/*')
    .action((runs: string[], flags: { json?: boolean }) => run(async () => {
      const c = await compareRuns(runs);
      if (flags.json) {
        line(io.out, JSON.stringify(c));
        return;
      }
      const headers = ['', ...runs.map((_, i) => `run ${i + 1}`)];
      runs.forEach((r, i) => line(io.out, `run ${i + 1}: ${r}`));
      line(io.out);
      const show = (v: unknown) => (v === undefined ? '-' : typeof v === 'string' ? v : JSON.stringify(v));
      line(io.out, c.differences.length === 0 ? 'the specs are the same' : table(['spec key', ...headers.slice(1)], c.differences.map((d) => [d.key, ...d.values.map(show)])));
      line(io.out);
      const m = c.metrics.map((x) => x.metrics);
      line(io.out, table(['metric', ...headers.slice(1)], [
        ['status', ...m.map((x) => x.status)],
        ['epochs', ...m.map((x) => String(x.epochs))],
        ['final val_loss', ...m.map((x) => fixed(x.final?.val_loss))],
        ['final val_acc', ...m.map((x) => percent(x.final?.val_acc))],
        ['best epoch', ...m.map((x) => String(x.best?.epoch ?? '-'))],
        ['best val_loss', ...m.map((x) => fixed(x.best?.val_loss))],
        ['best val_acc', ...m.map((x) => percent(x.best?.val_acc))],
      ]));
    }));

  program
    .command('predict')
    .description('class probabilities for new samples (CSV rows or an IDX file) as CSV')
    .argument('<checkpoint>', 'a run folder (its last checkpoint) or a .safetensors checkpoint in one')
    .argument('<input>', 'a CSV of feature rows (header optional) or an IDX file (.idx, -ubyte, .gz)')
    .option('--out <file>', 'write the CSV here instead of standard output')
    .addHelpText('after', '\nExample:\n  dlx predict runs/quickstart/20261125-101500-a1b2c3 new-flowers.csv --out predictions.csv')
    .action((target: string, input: string, flags: { out?: string }) => run(async () => {
      const p = await predict(target, input);
      const k = p.classes.length;
      const rows = Array.from({ length: p.rows }, (_, r) => {
        const probs = Array.from(p.probabilities.subarray(r * k, (r + 1) * k));
        return [p.classes[probs.indexOf(Math.max(...probs))], ...probs];
      });
      const csv = stringify(rows, { header: true, columns: ['predicted', ...p.classes] });
      if (flags.out) {
        await writeFile(flags.out, csv).catch((e: NodeJS.ErrnoException) => {
          throw new DataError(`${flags.out}: cannot write (${e.code ?? String(e)})`);
        });
      } else io.out.write(csv);
    }));
}
