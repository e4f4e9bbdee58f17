// `dlx sweep … --queue URL` and `dlx resume SWEEP --queue URL`: the sweep's trials go on a Redis
// queue (src/run/queue/launcher.ts) instead of child processes. The launcher opens once the
// sweep folder (and so the queue's name) is known; Redis unreachable past --queue-timeout stops
// the sweep with a message that says how to resume.
import { basename, dirname } from 'node:path';
import * as z from 'zod';
import { DataError, InterruptedError } from '../common/errors.js';
import { parseQueueUrl, queueName, redactArgv } from '../run/queue/connection.js';
import { openQueueLauncher, type QueueLauncher } from '../run/queue/launcher.js';
import type { SweepEvents, SweepOptions } from '../run/sweep.js';
import { line, type Io } from './io.js';
import { checked } from './options.js';
import type { ProgressMode } from './progress.js';

const timeoutSchema = z.coerce.number().min(1, { message: 'expected seconds ≥ 1' }).max(86400, { message: 'expected at most 86400 s' });


export interface QueueSweep {
  options: Pick<SweepOptions, 'launcher' | 'signal' | 'argv'>;
  /** Call from onStart: opens the queue of the sweep folder. */
  open(sweepDir: string): void;
  /** Runs the sweep, then closes the queue (removing it when the sweep finished). */
  around<T>(sweep: () => Promise<T>): Promise<T>;
}

export function queueSweep(io: Io, mode: ProgressMode, url: string, timeoutText: string | undefined, signal: AbortSignal, events: SweepEvents & { trialWorker?(trial: number, host: string): void }): QueueSweep {
  const address = parseQueueUrl(url, '--queue', io.env.DLX_REDIS_PASSWORD || undefined);
  const timeoutS = timeoutText === undefined ? 300 : checked(timeoutSchema, timeoutText, '--queue-timeout');
  const stop = new AbortController();
  signal.addEventListener('abort', () => stop.abort());
  if (signal.aborted) stop.abort();
  let launcher: QueueLauncher | undefined;
  let unreachable: string | undefined;
  let sweepDir = '';
  // worker finished → trial in the journal: measured when the coordinator reports the trial's end
  const finished = new Map<number, { host: string; at: number; filesMs: number }>();
  const trialEnd = events.trialEnd;
  events.trialEnd = (trial, result, best) => {
    const f = finished.get(trial);
    finished.delete(trial);
    // filesMs: until the files were in trials/<n>/; deliveredMs: until the journal line and summary.csv
    if (f && mode === 'json') line(io.out, JSON.stringify({ event: 'trial-delivered', trial, host: f.host, filesMs: f.filesMs, deliveredMs: Date.now() - f.at }));
    trialEnd?.call(events, trial, result, best);
  };
  return {
    options: {
      signal: stop.signal,
      argv: redactArgv(process.argv.slice(2)),
      launcher: (job, handlers) => launcher!.launch(job, handlers),
    },
    open(dir) {
      sweepDir = dir;
      const queue = queueName(basename(dirname(dir)), dir);
      if (mode === 'plain' || mode === 'tty') line(io.out, `queue ${queue} on ${address.shown}: start workers with dlx worker --queue ${address.shown}`);
      if (mode === 'json') line(io.out, JSON.stringify({ event: 'queue', queue, redis: address.shown }));
      launcher = openQueueLauncher({
        address, queue, unreachableMs: timeoutS * 1000,
        onUnreachable: (message) => {
          unreachable = message;
          stop.abort();
        },
        progress: {
          taken(trial, host, queuedMs) {
            events.trialWorker?.(trial, host);
            if (mode === 'json') line(io.out, JSON.stringify({ event: 'trial-taken', trial, host, queuedMs }));
          },
          delivered(trial, host, deliveredMs) {
            finished.set(trial, { host, at: Date.now() - deliveredMs, filesMs: deliveredMs });
          },
        },
      });
    },
    async around(sweep) {
      try {
        const r = await sweep();
        await launcher?.close(true);
        return r;
      } catch (e) {
        await launcher?.close(false);
        if (unreachable && e instanceof InterruptedError) {
          throw new DataError(`${unreachable} (--queue-timeout ${timeoutS}); the sweep stopped, its finished trials kept in the sweep folder. Once Redis is back: dlx resume ${sweepDir} --queue ${address.shown}`);
        }
        if (e instanceof InterruptedError) {
          throw new InterruptedError(`${e.message} --queue ${address.shown}\n(the queued trials stay on the queue; workers go on with them)`);
        }
        throw e;
      }
    },
  };
}
