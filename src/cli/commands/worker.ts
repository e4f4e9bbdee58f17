// dlx worker --queue URL: trains the trials of sweeps started with `dlx sweep --queue URL`, taken
// from Redis.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import { parseQueueUrl } from '../../run/queue/connection.js';
import { InterruptedError } from '../../common/errors.js';
import { runQueueWorker, type WorkerEvents } from '../../run/queue/worker.js';
import { line, type Io } from '../io.js';
import { checked } from '../options.js';
import { progressMode, type ProgressMode } from '../progress.js';
import { threadsPerTrial, trialEntry } from './sweep.js';

const count = (max: number) => z.coerce.number().int({ message: 'expected a whole number ≥ 1' }).min(1, { message: 'expected a whole number ≥ 1' }).max(max, { message: `expected at most ${max}` });
const seconds = z.coerce.number().min(1, { message: 'expected seconds ≥ 1' }).max(3600, { message: 'expected at most 3600' });


function workerEvents(io: Io, mode: ProgressMode): WorkerEvents {
  const say = (text: string, event: Record<string, unknown>) => {
    if (mode === 'json') line(io.out, JSON.stringify(event));
    else if (mode !== 'quiet') line(io.out, text);
  };
  return {
    ready: (i) => say(`worker ${i.host} on ${i.queue}: ${i.concurrency} trial${i.concurrency === 1 ? '' : 's'} at once × ${i.threads} thread${i.threads === 1 ? '' : 's'}; waiting for sweeps`, { event: 'worker-start', ...i }),
    sweep: (queue) => say(`serving ${queue}`, { event: 'sweep', queue }),
    trialStart: (queue, trial, jobId) => say(`${queue}: trial ${trial} started (job ${jobId})`, { event: 'trial-start', queue, trial, job: jobId }),
    trialEpoch: (queue, trial, record) => {
      if (mode === 'json') line(io.out, JSON.stringify({ event: 'trial-epoch', queue, trial, epoch: record.epoch, val_loss: record.val_loss, val_acc: record.val_acc }));
    },
    trialEnd: (queue, trial, o) => say(`${queue}: trial ${trial} ${o.status} in ${o.seconds.toFixed(1)} s${o.message ? `: ${o.message}` : ''}`, { event: 'trial-end', queue, trial, ...o }),
    refused: (queue, jobId, reason) => {
      if (mode === 'json') line(io.out, JSON.stringify({ event: 'refused', queue, job: jobId, reason }));
      else line(io.err, `${io.color.yellow('refused')} job ${jobId} of ${queue}: ${reason}`);
    },
    connection: (state, detail) => {
      if (mode === 'json') line(io.out, JSON.stringify({ event: 'redis', state, detail }));
      else line(io.err, state === 'lost' ? `redis unreachable (${detail}); retrying` : `redis back (${detail})`);
    },
  };
}


export interface WorkerFlags { queue: string; concurrency: string; threads?: string; scratch?: string; lockSeconds: string; quiet?: boolean; json?: boolean }

export async function workerAction(io: Io, signal: AbortSignal, flags: WorkerFlags): Promise<void> {
  const mode = progressMode(io, flags);
  const address = parseQueueUrl(flags.queue, '--queue', io.env.DLX_REDIS_PASSWORD || undefined);
  const concurrency = checked(count(64), flags.concurrency, '--concurrency');
  const threads = flags.threads === undefined ? threadsPerTrial(concurrency) : checked(count(64), flags.threads, '--threads');
  const lockMs = checked(seconds, flags.lockSeconds, '--lock-seconds') * 1000;
  const putBack = await runQueueWorker({
    address, concurrency, threads, lockMs, trialEntry, signal,
    scratch: flags.scratch ?? join(tmpdir(), `dlx-worker-${process.pid}`),
    events: workerEvents(io, mode),
  });
  // only Ctrl-C ends a worker: say what became of its trials, exit 130
  if (mode === 'json') line(io.out, JSON.stringify({ event: 'worker-stop', putBack }));
  const trials = putBack.map((p) => `trial ${p.trial} of ${p.queue}`);
  throw new InterruptedError(trials.length === 0
    ? 'worker stopped; it had no trial running'
    : `worker stopped; put back on the queue for another worker (trained again from the start, same result): ${trials.join(', ')}`);
}
