// dlx resume RUN_OR_SWEEP: an interrupted run continues from its last checkpoint, exactly; a
// sweep continues its trials. The work's modules are imported on use.
import { line, type Io } from '../io.js';
import { printOutcome, printPlots } from './train.js';

interface ResumeFlags { quiet?: boolean; json?: boolean; threads?: string; workers?: string; queue?: string; queueTimeout?: string; plots: boolean }

export async function resumeAction(io: Io, signal: AbortSignal, runDir: string, flags: ResumeFlags): Promise<void> {
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
}
