// dlx resume RUN_OR_SWEEP: an interrupted run continues from its last checkpoint, exactly; a
// sweep continues its trials. The work's modules are imported on use.
import type { Command } from 'commander';
import type { Run } from '../flags.js';
import { line, type Io } from '../io.js';
import { printOutcome, printPlots } from './train.js';

interface ResumeFlags { quiet?: boolean; json?: boolean; threads?: string; workers?: string; queue?: string; queueTimeout?: string; plots: boolean }

export function registerResume(program: Command, io: Io, run: Run): void {
  program
    .command('resume')
    .description('continue an interrupted run from its last checkpoint, exactly; or an interrupted sweep')
    .argument('<run>', 'the run folder, or a sweep folder')
    .option('--threads <n>', 'threads for the large kernels (default: as the run had)')
    .option('--workers <n>', 'for a sweep: trials in parallel (default: as the sweep had)')
    .option('--queue <url>', 'for a sweep: run its trials on dlx workers through Redis (as dlx sweep --queue)')
    .option('--queue-timeout <seconds>', 'with --queue: stop when Redis is unreachable this many seconds (default 300)')
    .option('--quiet', 'print only the final summary')
    .option('--json', 'print one JSON object per epoch and a final one, nothing else')
    .option('--no-plots', 'do not draw plots/*.svg at the end')
    .addHelpText('after', '\nExample:\n  dlx resume runs/quickstart/20261125-101500-a1b2c3')
    .action((runDir: string, flags: ResumeFlags) => run(async (signal) => {
      const { progressEvents, progressMode } = await import('../progress.js');
      const { isSweepFolder } = await import('../../run/sweep-folder.js');
      const mode = progressMode(io, flags);
      if (await isSweepFolder(runDir)) {
        const { resumeSweepCommand } = await import('./sweep.js');
        await resumeSweepCommand(io, mode, runDir, flags, signal);
        return;
      }
      const { resumeRun } = await import('../../run/resume.js');
      const { threadsFor } = await import('../options.js');
      const { withTestSignal } = await import('../test-hooks.js');
      const r = await resumeRun(runDir, { threads: threadsFor(io, flags.threads), argv: process.argv.slice(2), signal, events: withTestSignal(io.env, progressEvents(io, mode)), plots: flags.plots });
      if (r.alreadyDone) {
        if (mode === 'json') line(io.out, JSON.stringify({ event: 'done', runDir, alreadyDone: true, ...r.metrics }));
        else line(io.out, `nothing to resume: ${runDir} already ended after epoch ${r.fromEpoch} (${r.metrics.status})`);
        return;
      }
      printOutcome(io, mode, r.runDir, r.metrics);
      printPlots(io, mode, r.plots);
    }));
}
