// What `dlx sweep` shows: on a terminal a line per running trial (epoch, metric) under a summary
// line (done, pruned, failed, best so far), redrawn in place; off a terminal a plain line per
// started and ended trial; --json one object per event; --quiet only the end.
import type { SweepEvents } from '../run/sweep.js';
import type { TrialResult } from '../run/sweep-folder.js';
import { line, type Io } from './io.js';
import type { ProgressMode } from './progress.js';

const show = (v: number | null | undefined) => (v === null || v === undefined ? '-' : Number(v.toPrecision(6)).toString());
const valuesText = (values: Record<string, number | string>) => Object.entries(values).map(([k, v]) => `${k}=${typeof v === 'number' ? show(v) : v}`).join(' ');

export function sweepProgress(io: Io, mode: ProgressMode, metric: () => string): SweepEvents & { trialWorker(trial: number, host: string): void } {
  const running = new Map<number, string>();
  const counts: Record<string, number> = {};
  let best: { trial: number; value: number } | undefined;
  let drawn = 0;
  // a trial's epochs can come many a millisecond (in bursts, see trial-child.ts): on epochs the
  // block is redrawn at most every 100 ms, the last state by a timer that does not keep the process
  // alive; a trial's start and end always redraw
  let drawnAt = -Infinity;
  let later: ReturnType<typeof setTimeout> | undefined;
  const summary = () => {
    const done = Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ') || 'none ended';
    return `trials: ${done}; running ${running.size}; best ${best ? `trial ${best.trial}: ${metric()} ${show(best.value)}` : '-'}`;
  };
  const redraw = () => {
    if (mode !== 'tty') return;
    clearTimeout(later);
    later = undefined;
    if (drawn > 0) io.out.write(`\x1b[${drawn}A\x1b[0J`);
    const lines = [...[...running.entries()].sort((a, b) => a[0] - b[0]).map(([, s]) => s), io.color.bold(summary())];
    io.out.write(lines.join('\n') + '\n');
    drawn = lines.length;
    drawnAt = performance.now();
  };
  const above = (text: string) => {
    // a permanent line, printed above the live block
    if (mode === 'tty' && drawn > 0) {
      io.out.write(`\x1b[${drawn}A\x1b[0J`);
      drawn = 0;
    }
    line(io.out, text);
    redraw();
  };
  const hosts = new Map<number, string>();
  const on = (trial: number) => (hosts.has(trial) ? ` on ${hosts.get(trial)}` : '');
  return {
    /** A queue sweep: a worker took the trial. */
    trialWorker(trial, host) {
      hosts.set(trial, host);
      if (mode === 'plain') line(io.out, `trial ${trial} running on ${host}`);
      else if (mode === 'tty' && running.has(trial)) {
        running.set(trial, `trial ${trial}${on(trial)}: starting`);
        redraw();
      }
    },
    trialStart(trial, values) {
      running.set(trial, `trial ${trial}: starting (${valuesText(values)})`);
      if (mode === 'json') line(io.out, JSON.stringify({ event: 'trial-start', trial, values }));
      else if (mode === 'plain') line(io.out, `trial ${trial} started: ${valuesText(values)}`);
      else redraw();
    },
    trialEpoch(trial, fold, record, value) {
      running.set(trial, `trial ${trial}${on(trial)}: ${fold === undefined ? '' : `fold ${fold} `}epoch ${record.epoch} ${metric()} ${show(value)}`);
      if (mode === 'json') line(io.out, JSON.stringify({ event: 'trial-epoch', trial, ...(fold !== undefined && { fold }), epoch: record.epoch, value }));
      else if (mode === 'tty' && !later) {
        const wait = drawnAt + 100 - performance.now();
        if (wait <= 0) redraw();
        else later = setTimeout(redraw, wait).unref();
      }
    },
    trialEnd(trial, result: TrialResult, bestSoFar) {
      running.delete(trial);
      hosts.delete(trial);
      counts[result.status] = (counts[result.status] ?? 0) + 1;
      best = bestSoFar;
      if (mode === 'json') {
        line(io.out, JSON.stringify({ event: 'trial-end', trial, ...result }));
        return;
      }
      if (mode === 'quiet') return;
      const std = result.std === undefined ? '' : ` ± ${show(result.std)}`;
      const why = result.reason ? `: ${result.reason}` : '';
      above(`trial ${trial} ${result.status}: ${metric()} ${show(result.value)}${std}${result.bestEpoch ? ` (epoch ${result.bestEpoch})` : ''}${why}  — ${summary()}`);
    },
  };
}
