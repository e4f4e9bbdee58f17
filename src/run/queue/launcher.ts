// The coordinator's side of a queue sweep: a TrialLauncher (sweep.ts) that puts each trial on the
// sweep's BullMQ queue instead of forking it. Results travel as the job's return value (the run
// folders' files, a bundle under a key the return value names); epoch reports and pruning
// requests on a Redis stream of the sweep;
// pruning decisions on a list per request that the worker pops. Job ids are `t<trial>.a<attempt>`,
// so a trial put on the queue twice (a resumed coordinator) is one job, and a trial delivered
// twice (a worker killed mid-trial) is recorded once: only the latest delivery's reports count,
// and the result is read once, when the job completes.
import { rm } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { Job, Queue } from 'bullmq';
import { files as runFiles } from '../layout.js';
import { readMetrics } from '../run-folder.js';
import type { TrialExit, TrialHandlers, TrialProcess } from '../trial-process.js';
import type { TrialJob } from '../trial.js';
import { json } from '../writers.js';
import { keys, type QueueAddress } from './connection.js';
import { commitFolder, sha256Of, stageFolder, stagingOf, unpackRun } from './files.js';
import { jobBuilder, restoreCheckpointSpecs } from './job-data.js';
import { resultSchema, workerMessageSchema, type QueueJob, type TrialResultValue, type WorkerMessage } from './messages.js';

export interface QueueProgress {
  /** A worker took the trial, `queuedMs` after it was put on the queue (unknown when it was taken before a resume). */
  taken?(trial: number, host: string, queuedMs: number | undefined): void;
  /** The trial's files are in its folder, `deliveredMs` after the worker finished it. */
  delivered?(trial: number, host: string, deliveredMs: number): void;
}

export interface QueueLauncherOptions {
  address: QueueAddress;
  queue: string;
  /** Redis unreachable this long: onUnreachable is called once (the sweep then stops). */
  unreachableMs: number;
  onUnreachable(message: string): void;
  progress?: QueueProgress;
}

export interface QueueLauncher {
  launch(job: TrialJob, handlers: TrialHandlers): TrialProcess;
  /** Stops listening; when the sweep finished, removes its queue, stream and registration. */
  close(finished: boolean): Promise<void>;
}

interface Attached {
  id: string;
  trial: TrialJob;
  handlers: TrialHandlers;
  data: QueueJob;
  resolve(exit: TrialExit): void;
  token?: string;
  checking: boolean;
  /** Asked to check while a check ran (the worker's 'ended' during the periodic check): check again. */
  again: boolean;
  /** A delivery's files written ahead into the staging folders, while BullMQ completes its job. */
  early?: { delivery: string; sha256: string; staged: Promise<Staged | undefined> };
}

/** The staging folders written (files.ts), a message when the bundle is wrong, null when it is not in Redis. */
type Staged = { dirs: string[] } | string | null;

/** Messages of a delivery not attached yet (a resumed coordinator reads the stream from its start). */
interface Buffered {
  token?: string;
  host?: string;
  at?: number;
  messages: WorkerMessage[];
}

const withTimeout = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<undefined>((r) => setTimeout(() => r(undefined), ms).unref())]);

export function openQueueLauncher(options: QueueLauncherOptions): QueueLauncher {
  const { queue: name } = options;
  const queue = new Queue(name, { connection: options.address.options });
  queue.on('error', () => {});
  const redis = new Redis(options.address.options);
  const reader = new Redis(options.address.options);
  let lostAt: number | undefined;
  let closed = false;
  let lastError = '';
  redis.on('error', (e: Error) => {
    lostAt ??= Date.now();
    lastError = e.message;
  });
  redis.on('close', () => (lostAt ??= Date.now()));
  redis.on('ready', () => (lostAt = undefined));
  reader.on('error', () => {});

  const attached = new Map<string, Attached>();
  const buffered = new Map<string, Buffered>();
  /** Decisions per trial and epoch: asked again (a new delivery, a resent request), answered the same. */
  const decisions = new Map<string, Promise<boolean>>();
  const attempts = new Map<number, number>();
  const builder = jobBuilder(redis, name);

  // registered (again, after a Redis restart): workers hear of it at once
  const register = async () => {
    if ((await redis.sadd(keys.sweeps, name)) === 1) await redis.publish(keys.sweeps, name);
  };

  const enqueue = async (a: Attached) => {
    await builder.resend(a.data);
    await register();
    await queue.add('trial', a.data, { jobId: a.id, attempts: 1, removeOnComplete: false, removeOnFail: false });
  };

  const detach = (a: Attached, exit: TrialExit) => {
    if (attached.get(a.id) !== a) return;
    attached.delete(a.id);
    buffered.delete(a.id);
    a.resolve(exit);
  };

  /** Fetches a delivery's bundle, checks it, and writes each fold's files into its staging folder. */
  const stage = async (a: Attached, delivery: string, bytes: number, sha256: string, host: string): Promise<Staged> => {
    const bundle = await redis.getBuffer(keys.result(name, a.id, delivery));
    if (bundle === null) return null;
    const sent = bundle.length === bytes && sha256Of(bundle) === sha256 ? unpackRun(bundle) : `${bundle.length} bytes that are not the ${bytes} bytes of SHA-256 ${sha256.slice(0, 12)}… it announced`;
    if (typeof sent === 'string') return sent;
    const dirs: string[] = [];
    for (const f of a.trial.folds) {
      const fold = sent.find((x) => x.fold === f.fold);
      if (!fold) return `it has no files for fold ${f.fold}`;
      const files: Record<string, Uint8Array> = { ...fold.files };
      // the coordinator's own spec, paths and folder, not the worker's scratch copy
      files[runFiles.spec] = Buffer.from(a.trial.specText);
      files[runFiles.resolved] = Buffer.from(json(f.spec));
      if (files[runFiles.env] !== undefined) {
        const env = JSON.parse(Buffer.from(files[runFiles.env]).toString('utf8')) as Record<string, unknown>;
        files[runFiles.env] = Buffer.from(json({ ...env, specFile: a.trial.specFile, sweep: a.trial.sweepDir, worker: host }));
      }
      // the checkpoints' embedded spec and spec file get the coordinator's paths back
      restoreCheckpointSpecs(files, f.spec, a.trial.specFile);
      await stageFolder(f.runDir, files);
      dirs.push(f.runDir);
    }
    return { dirs };
  };

  /** Files being written ahead; a coordinator that stops waits for them, then removes what was not committed. */
  const staging = new Set<Promise<Staged | undefined>>();

  /** The worker stored its delivery's files: written ahead, committed when the job completes. */
  const stageEarly = (a: Attached, delivery: string, m: Extract<WorkerMessage, { type: 'stored' }>, host: string) => {
    const before = a.early?.staged;
    const staged = (async () => {
      await before;
      return stage(a, delivery, m.bytes, m.sha256, host);
    })().catch(() => undefined);
    a.early = { delivery, sha256: m.sha256, staged };
    staging.add(staged);
    void staged.then(() => staging.delete(staged));
  };

  /** Writes a finished trial's files into its folders, as a local trial would have left them; false: its files are gone. */
  const deliver = async (a: Attached, r: TrialResultValue): Promise<boolean> => {
    if (r.kind === 'error') {
      detach(a, { kind: 'error', exitCode: r.exitCode, message: `${r.message} (on ${r.host})` });
      return true;
    }
    const early = a.early;
    a.early = undefined;
    // the files written ahead count only if they are this delivery's, with this digest
    let staged = early ? await early.staged : undefined;
    if (!early || early.delivery !== r.delivery || early.sha256 !== r.sha256 || typeof staged !== 'object' || staged === null) {
      staged = await stage(a, r.delivery, r.bytes, r.sha256, r.host);
    }
    if (staged === null || staged === undefined) return false;
    if (typeof staged === 'string') {
      detach(a, { kind: 'error', exitCode: 3, message: `the files of job ${a.id} from ${r.host}: ${staged}` });
      return true;
    }
    const folds = [];
    for (const [i, f] of a.trial.folds.entries()) {
      await commitFolder(staged.dirs[i]);
      folds.push({ ...(f.fold !== undefined && { fold: f.fold }), runDir: f.runDir, metrics: await readMetrics(f.runDir) });
    }
    options.progress?.delivered?.(a.trial.trial, r.host, Date.now() - r.finishedAt);
    detach(a, { kind: 'done', folds });
    return true;
  };

  /** Looks at the job in Redis: completed or failed → the trial ends; gone (Redis restarted) → queued again. */
  const check = async (a: Attached): Promise<void> => {
    if (closed) return;
    if (a.checking) {
      a.again = true;
      return;
    }
    a.checking = true;
    a.again = false;
    try {
      // one read of the job's hash answers most checks; the state's own query only when in doubt
      const job = await Job.fromId(queue, a.id);
      const state = job === undefined ? 'unknown' : job.finishedOn === undefined ? 'unfinished' : job.failedReason ? 'failed' : 'completed';
      if (job && (state === 'completed' || state === 'failed')) {
        if (state === 'failed') {
          const reason = job.failedReason ?? 'the job failed';
          return detach(a, reason.startsWith('refused:') ? { kind: 'error', exitCode: 2, message: `a worker ${reason}` } : { kind: 'crashed', reason });
        }
        const r = resultSchema.safeParse(job.returnvalue);
        if (!r.success) return detach(a, { kind: 'error', exitCode: 3, message: `the result of job ${a.id} is malformed: ${r.error.issues[0]?.message}` });
        const delivered = await deliver(a, r.data);
        // the files are in the trial folder: Redis keeps no copy (a coordinator killed before the
        // journal line finds the job gone on resume, and has the trial trained again: same result)
        await job.remove().catch(() => {});
        if (r.data.kind === 'done') await redis.del(keys.result(name, a.id, r.data.delivery)).catch(() => {});
        // its files expired or were lost (a Redis restarted between the two): trained again
        if (!delivered) await enqueue(a);
      } else if (state === 'unknown') {
        await enqueue(a);
      }
    } catch (e) {
      if (!closed && attached.get(a.id) === a && !(e instanceof Error && /Connection|ECONN|closed/i.test(e.message))) {
        detach(a, { kind: 'error', exitCode: 3, message: e instanceof Error ? e.message : String(e) });
      }
    } finally {
      a.checking = false;
    }
    if (a.again && attached.get(a.id) === a) return check(a);
  };

  const handle = (a: Attached, m: WorkerMessage, token = a.token!) => {
    if (m.type === 'epoch') a.handlers.epoch(m.fold, m.record);
    else if (m.type === 'decide') {
      const key = `${a.trial.trial}:${m.record.epoch}`;
      let decision = decisions.get(key);
      if (!decision) decisions.set(key, (decision = a.handlers.decide(m.record)));
      void decision.then(async (prune) => {
        const list = keys.decision(name, a.id, token, m.record.epoch);
        await redis.multi().del(list).lpush(list, prune ? '1' : '0').expire(list, 3600).exec();
      });
    }
  };

  const dispatch = (id: string, token: string, m: WorkerMessage) => {
    const a = attached.get(id);
    if (m.type === 'ended') {
      if (a) void check(a);
      return;
    }
    const b = buffered.get(id) ?? { messages: [] };
    buffered.set(id, b);
    if (m.type === 'start') {
      // a new delivery of the job (another worker took it): its reports replace the old one's
      Object.assign(b, { token, host: m.host, at: m.at, messages: [] });
      if (a) {
        a.token = token;
        options.progress?.taken?.(a.trial.trial, m.host, m.at - a.data.enqueuedAt);
      }
      return;
    }
    if (m.type === 'stored') {
      if (a && token === b.token) stageEarly(a, token, m, b.host ?? 'unknown');
      return;
    }
    // a stale delivery (its worker lost the job) is answered too, so that it ends and frees its
    // worker; only the latest delivery's epochs count
    if (token !== b.token) {
      if (a && m.type === 'decide') handle(a, m, token);
      return;
    }
    if (a) handle(a, m);
    else b.messages.push(m);
  };

  // the stream from its start: a resumed coordinator sees what its trials did while it was away
  const read = async () => {
    let last = '0';
    while (!closed) {
      try {
        const got = await reader.xread('COUNT', 1000, 'BLOCK', 1000, 'STREAMS', keys.events(name), last);
        for (const [, entries] of got ?? []) {
          for (const [id, fields] of entries) {
            last = id;
            const f: Record<string, string> = {};
            for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]] = fields[i + 1];
            let parsed: unknown;
            try {
              parsed = JSON.parse(f.m ?? 'null');
            } catch {
              continue;
            }
            const m = workerMessageSchema.safeParse(parsed);
            if (m.success && typeof f.job === 'string' && typeof f.token === 'string') dispatch(f.job, f.token, m.data);
          }
        }
      } catch {
        if (!closed) await new Promise((r) => setTimeout(r, 200));
      }
    }
  };
  void read();

  let warned = false;
  const timers = [
    // the jobs' states, in case a message was missed (and to find jobs a restarted Redis lost)
    setInterval(() => {
      if (lostAt !== undefined) return;
      void register().catch(() => {});
      for (const a of attached.values()) void check(a);
    }, 1000),
    setInterval(() => {
      if (lostAt === undefined || warned || Date.now() - lostAt < options.unreachableMs) return;
      warned = true;
      options.onUnreachable(`Redis at ${options.address.shown} unreachable for ${Math.round((Date.now() - lostAt) / 1000)} s${lastError ? ` (${lastError})` : ''}`);
    }, 250),
  ];

  return {
    launch(trial, handlers) {
      const attempt = attempts.get(trial.trial) ?? 0;
      attempts.set(trial.trial, attempt + 1);
      const id = `t${trial.trial}.a${attempt}`;
      let resolveDone!: (exit: TrialExit) => void;
      const done = new Promise<TrialExit>((r) => (resolveDone = r));
      void (async () => {
        let data: QueueJob;
        try {
          data = await builder.jobData(trial, attempt);
        } catch (e) {
          return resolveDone({ kind: 'error', exitCode: 3, message: e instanceof Error ? e.message : String(e) });
        }
        const a: Attached = { id, trial, handlers, data, resolve: resolveDone, checking: false, again: false };
        attached.set(id, a);
        const b = buffered.get(id);
        if (b?.token) {
          a.token = b.token;
          if (b.host !== undefined) options.progress?.taken?.(trial.trial, b.host, undefined);
          for (const m of b.messages) handle(a, m);
          b.messages = [];
        }
        try {
          await enqueue(a);
        } catch (e) {
          return detach(a, { kind: 'error', exitCode: 3, message: e instanceof Error ? e.message : String(e) });
        }
        await check(a);
      })();
      return {
        pid: undefined,
        done,
        // the coordinator stops; the job stays on the queue, and `dlx resume` picks it up
        interrupt: () => {
          const a = attached.get(id);
          if (a) detach(a, { kind: 'error', exitCode: 130, message: 'interrupted' });
        },
      };
    },
    async close(finished) {
      closed = true;
      timers.forEach(clearInterval);
      // no hidden half-delivered folders left in trials/ (a resume writes them again)
      for (const staged of await withTimeout(Promise.all(staging), 5000) ?? []) {
        if (typeof staged === 'object' && staged !== null) for (const dir of staged.dirs) await rm(stagingOf(dir), { recursive: true, force: true });
      }
      if (finished && lostAt === undefined) {
        await withTimeout((async () => {
          await redis.srem(keys.sweeps, name);
          await queue.obliterate({ force: true });
          await redis.del(keys.events(name));
          // bundles of deliveries that lost their job (a paused worker's, after another took the trial)
          for (let cursor = '0'; ;) {
            const [next, found] = await redis.scan(cursor, 'MATCH', keys.result(name, '*', '*'), 'COUNT', 1000);
            if (found.length > 0) await redis.del(...found);
            if ((cursor = next) === '0') break;
          }
        })().catch(() => {}), 5000);
      }
      reader.disconnect();
      await withTimeout(queue.close().catch(() => {}), 2000);
      redis.disconnect();
    },
  };
}
