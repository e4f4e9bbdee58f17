// `dlx worker`: takes trials from the queues of running sweeps (BullMQ), each in its own child
// process (the trial entry of a local sweep), in a scratch folder of its own; streams epoch
// reports to the coordinator, waits for its pruning decisions, and returns the run folders'
// files back (a bundle under a key of the delivery; the job's return value names it). A worker
// killed mid-trial loses its job lock; another worker takes the job (BullMQ's stalled-job
// check) and trains the trial again from scratch, which gives the same result (training is
// deterministic). A worker stopped with Ctrl-C puts its running trials back on the queue at once.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { shippedDatasetPath } from '../../data/package-root.js';
import type { EpochRecord } from '../../train/loop.js';
import { files as runFiles } from '../layout.js';
import { startTrialProcesses, trialPool, type TrialExit } from '../trial-process.js';
import type { TrialJob } from '../trial.js';
import { trialDir } from '../sweep-folder.js';
import { keys, type QueueAddress } from './connection.js';
import { packRun, sha256Of } from './files.js';
import { checkJob, maxResultBytes, type CheckedJob, type TrialResultValue, type WorkerMessage } from './messages.js';

export interface WorkerEvents {
  ready?(info: { host: string; concurrency: number; threads: number; queue: string }): void;
  sweep?(queue: string): void;
  trialStart?(queue: string, trial: number, jobId: string): void;
  trialEpoch?(queue: string, trial: number, record: EpochRecord): void;
  trialEnd?(queue: string, trial: number, outcome: { status: string; seconds: number; message?: string }): void;
  refused?(queue: string, jobId: string, reason: string): void;
  connection?(state: 'lost' | 'back', detail: string): void;
}

export interface WorkerOptions {
  address: QueueAddress;
  concurrency: number;
  threads: number;
  /** Trial folders are trained here, then removed once sent. */
  scratch: string;
  trialEntry: string;
  /** How long a job's lock lasts without renewal: a dead worker's trial is retaken after about this. */
  lockMs: number;
  signal?: AbortSignal;
  events?: WorkerEvents;
}

/** A counting semaphore: the worker's trials at once, over all the sweeps it serves. */
function slots(n: number) {
  let free = n;
  const waiting: (() => void)[] = [];
  return {
    acquire: () => new Promise<void>((r) => (free > 0 ? (free--, r()) : waiting.push(r))),
    release: () => {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
  };
}

const host = `${hostname()}:${process.pid}`;

/** The worker is stopping: the trial goes back on the queue. */
class Stopped extends Error {}

/** A trial the worker put back on the queue when it was stopped. */
export interface PutBack {
  queue: string;
  trial: number;
}

/** The coordinator writes these itself (its own spec and paths): not sent back. */
const notSent = new Set([runFiles.spec, runFiles.resolved]);

/** Resolves when stopped (options.signal) and every trial is sent or put back; says which were put back. */
export async function runQueueWorker(options: WorkerOptions): Promise<PutBack[]> {
  const redis = new Redis(options.address.options);
  let lost = false;
  redis.on('error', (e: Error) => {
    if (!lost) options.events?.connection?.('lost', e.message);
    lost = true;
  });
  redis.on('ready', () => {
    if (lost) options.events?.connection?.('back', options.address.shown);
    lost = false;
  });
  const sem = slots(options.concurrency);
  const cleanups = new Set<Promise<void>>();
  /** Trial processes running now: stopped (after their batch) when the worker is. */
  const running = new Set<{ interrupt(): void }>();
  const putBack: PutBack[] = [];
  const stopping = () => options.signal?.aborted === true;
  // trials in processes the worker reuses (a local sweep's default): one that ended badly is replaced
  // started now, they load their modules while the worker connects and waits for a job
  const forker = trialPool(options.trialEntry, { reuse: true, moreToCome: () => !stopping(), started: startTrialProcesses(options.trialEntry, options.concurrency) });
  options.signal?.addEventListener('abort', () => running.forEach((p) => p.interrupt()));
  const workers = new Map<string, { worker: Worker; missing: number }>();
  options.events?.ready?.({ host, concurrency: options.concurrency, threads: options.threads, queue: options.address.shown });
  await mkdir(options.scratch, { recursive: true });

  const send = (queue: string, jobId: string, token: string, m: WorkerMessage) =>
    redis.xadd(keys.events(queue), 'MAXLEN', '~', '100000', '*', 'job', jobId, 'token', token, 'm', JSON.stringify(m));

  const refuse = async (queue: string, job: Job, reason: string): Promise<never> => {
    await redis.lpush(keys.refused, JSON.stringify({ queue, job: job.id, reason, host, at: new Date().toISOString() }));
    await redis.ltrim(keys.refused, 0, 999);
    options.events?.refused?.(queue, String(job.id), reason);
    // UnrecoverableError: BullMQ fails the job at once, with the reason, and tries it no more
    throw new UnrecoverableError(`refused: ${reason}`);
  };

  /** The data files and built-in files a job needs, in `dir/data`; a message when one is wrong. */
  const prepareData = async (checked: CheckedJob, dir: string): Promise<string | undefined> => {
    await mkdir(join(dir, 'data'), { recursive: true });
    for (const d of checked.job.data) {
      const bytes = await redis.getBuffer(keys.blob(d.sha256));
      if (bytes === null) return `data file ${d.name}: not in Redis (the coordinator sends it before the job; was Redis restarted?)`;
      if (sha256Of(bytes) !== d.sha256) return `data file ${d.name}: its SHA-256 in Redis is not ${d.sha256}`;
      await writeFile(join(dir, 'data', d.name), bytes);
    }
    for (const b of checked.job.builtin) {
      const path = shippedDatasetPath(b.file);
      const bytes = await readFile(path).catch(() => undefined);
      if (bytes === undefined) return `${path}: missing on worker ${host}; the coordinator has this built-in dataset file`;
      if (sha256Of(bytes) !== b.sha256) return `${path}: its SHA-256 on worker ${host} differs from the coordinator's copy (${b.sha256.slice(0, 12)}…); install the same dlx version on both`;
    }
    return undefined;
  };

  const runTrial = async (queue: string, job: Job, checked: CheckedJob, token: string): Promise<TrialResultValue> => {
    const { job: q, specs } = checked;
    const dir = await mkdtemp(join(options.scratch, `${q.trial}-`));
    const started = Date.now();
    try {
      const problem = await prepareData(checked, dir);
      if (problem) {
        options.events?.trialEnd?.(queue, q.trial, { status: 'error', seconds: (Date.now() - started) / 1000, message: problem });
        return { kind: 'error', host, finishedAt: Date.now(), exitCode: 3, message: problem };
      }
      const trialJob: TrialJob = {
        sweepDir: dir, trial: q.trial,
        folds: specs.map((spec, i) => ({ fold: q.folds[i].fold, runDir: trialDir(dir, q.trial, q.folds[i].fold), spec })),
        // data file names are relative to the spec's folder: the scratch data folder
        specFile: join(dir, 'data', 'spec.yaml'),
        specText: '# the coordinator writes this trial\'s spec.yaml\n',
        backend: q.backend, threads: options.threads, ask: q.ask, writeEvery: q.writeEvery, argv: q.argv,
      };
      if (stopping()) throw new Stopped();
      const blocking = q.ask ? redis.duplicate() : undefined;
      const proc = forker.launch(trialJob, {
        epoch: (fold, record) => {
          options.events?.trialEpoch?.(queue, q.trial, record);
          void send(queue, String(job.id), token, { type: 'epoch', ...(fold !== undefined && { fold }), record: { ...record } });
        },
        decide: async (record) => {
          const key = keys.decision(queue, String(job.id), token, record.epoch);
          // ask again every few seconds: a coordinator restarted, or a Redis restarted, answers then;
          // a job this worker no longer holds (taken by another, or its sweep ended) is stopped
          for (;;) {
            await send(queue, String(job.id), token, { type: 'decide', record: { ...record } });
            const got = await blocking!.blpop(key, stopping() ? 1 : 5);
            if (got) return got[1] === '1';
            if (stopping()) return false;
            if ((await redis.get(`bull:${queue}:${job.id}:lock`)) !== token) {
              proc.interrupt();
              return false;
            }
          }
        },
      });
      // a stopping worker stops its trials after their batch (the second Ctrl-C ends the process:
      // then the trial's process stops too, and its job goes to another worker as a stalled one)
      let exit: TrialExit;
      running.add(proc);
      try {
        exit = await proc.done;
      } finally {
        running.delete(proc);
        blocking?.disconnect();
      }
      // the queue's cost is counted from here: packing the files, Redis, the coordinator's writes
      const finishedAt = Date.now();
      const seconds = (finishedAt - started) / 1000;
      if (exit.kind === 'crashed') {
        options.events?.trialEnd?.(queue, q.trial, { status: 'crashed', seconds, message: exit.reason });
        throw new Error(exit.reason);
      }
      if (exit.kind === 'error') {
        options.events?.trialEnd?.(queue, q.trial, { status: exit.exitCode === 130 ? 'interrupted' : 'error', seconds, message: exit.message.split('\n')[0] });
        if (exit.exitCode === 130) throw new Stopped();
        return { kind: 'error', host, finishedAt, exitCode: exit.exitCode, message: exit.message.slice(0, 20_000) };
      }
      const packed = await packRun(exit.folds.map((f) => ({ fold: f.fold, dir: f.runDir })), notSent, maxResultBytes);
      if (!packed.bundle) {
        return { kind: 'error', host, finishedAt: Date.now(), exitCode: 3, message: `the trial's files are ${packed.bytes} bytes or more, more than the ${maxResultBytes} a worker sends back` };
      }
      // the bundle first, then the job's completion names it: a coordinator never sees one without
      // the other; told at once, it writes the files while BullMQ completes the job
      const digest = sha256Of(packed.bundle);
      const stored = await redis.multi()
        .set(keys.result(queue, String(job.id), token), packed.bundle, 'EX', 7 * 86400)
        .xadd(keys.events(queue), 'MAXLEN', '~', '100000', '*', 'job', String(job.id), 'token', token, 'm', JSON.stringify({ type: 'stored', bytes: packed.bundle.length, sha256: digest } satisfies WorkerMessage))
        .exec();
      const failed = stored?.find(([e]) => e)?.[0];
      if (failed) throw new Error(`storing the trial's files in Redis: ${failed.message}`);
      const status = exit.folds.find((f) => f.metrics.status === 'pruned')?.metrics.status ?? exit.folds[0]?.metrics.status ?? 'finished';
      options.events?.trialEnd?.(queue, q.trial, { status, seconds });
      return { kind: 'done', host, finishedAt, delivery: token, bytes: packed.bundle.length, sha256: digest };
    } finally {
      // not on the way to the coordinator: removed while BullMQ completes the job
      const removal = rm(dir, { recursive: true, force: true }).catch(() => {});
      cleanups.add(removal);
      void removal.then(() => cleanups.delete(removal));
    }
  };

  const serve = (queue: string) => {
    const worker = new Worker(queue, async (job, token) => {
      const checked = checkJob(job.data, queue);
      if (!checked.ok) return refuse(queue, job, checked.reason);
      await sem.acquire();
      const delivery = token ?? randomBytes(8).toString('hex');
      try {
        if (stopping()) throw new Stopped();
        options.events?.trialStart?.(queue, checked.value.job.trial, String(job.id));
        await send(queue, String(job.id), delivery, { type: 'start', host, at: Date.now() });
        return await runTrial(queue, job, checked.value, delivery);
      } catch (e) {
        if (!(e instanceof Stopped)) throw e;
        // stopped: the job goes back to the queue's head of waiting jobs now, not after its lock
        // lapses (a job this worker no longer holds is left to the stalled-job check)
        if (await job.moveToWait(delivery).then(() => true, () => false)) putBack.push({ queue, trial: checked.value.job.trial });
        throw new WaitingError();
      } finally {
        sem.release();
      }
    }, {
      connection: options.address.options,
      concurrency: options.concurrency,
      lockDuration: options.lockMs,
      stalledInterval: Math.max(500, Math.floor(options.lockMs / 2)),
      // a trial killed with its worker is retaken this many times before it fails
      maxStalledCount: 5,
    });
    worker.on('completed', (job) => void send(queue, String(job.id), '-', { type: 'ended' }).catch(() => {}));
    // BullMQ reports connection trouble here; the redis client above says it once
    worker.on('error', () => {});
    workers.set(queue, { worker, missing: 0 });
    options.events?.sweep?.(queue);
  };

  // serve the queues of the running sweeps; a queue missing for a while (its sweep ended) is closed
  const discover = async () => {
    const names = new Set(await redis.smembers(keys.sweeps).catch(() => [] as string[]));
    for (const name of names) if (!workers.has(name) && /^dlx\.[A-Za-z0-9_.-]{1,200}$/.test(name)) serve(name);
    for (const [name, w] of workers) {
      w.missing = names.has(name) || lost ? 0 : w.missing + 1;
      if (w.missing >= 10) {
        workers.delete(name);
        void w.worker.close();
      }
    }
  };
  await discover();
  // a new sweep is announced on a channel; the poll is the fallback
  const announcements = redis.duplicate();
  announcements.on('error', () => {});
  announcements.on('message', () => void discover());
  await announcements.subscribe(keys.sweeps).catch(() => {});
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => void discover(), 1000);
    const stop = () => {
      clearInterval(timer);
      resolve();
    };
    if (options.signal?.aborted) stop();
    options.signal?.addEventListener('abort', stop);
  });
  // stopping: take no new trials; the running ones stop after their batch and go back on the queue
  announcements.disconnect();
  await Promise.all([...workers.values()].map((w) => w.worker.close()));
  forker.close();
  await Promise.all(cleanups);
  redis.disconnect();
  return putBack;
}
