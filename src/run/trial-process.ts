// Sweep trials in child processes: forked with an IPC channel, in their own process group (so a
// terminal's Ctrl-C reaches only the coordinator, which forwards it once).
//
// A trial's process is either fresh (one process per trial, the next forked ahead while the
// current trials train) or reused: after a trial ends well, its process waits for the next one,
// as Ray Tune's reuse_actors does. Starting Node with dlx's modules costs about 0.4 s of CPU,
// more than a small trial trains; nothing a trial computes depends on the process's past (each
// run builds its own model, data, random streams and buffers; a test checks that reused and fresh
// processes give the same bytes). A process that reported an error or crashed is never reused.
import { fork, type ChildProcess } from 'node:child_process';
import type { EpochRecord } from '../train/loop.js';
import type { FoldOutcome, TrialJob } from './trial.js';
import type { FromTrial, ToTrial } from './trial-protocol.js';
import type { EvalResult } from './evaluate-run.js';

export type TrialExit =
  | { kind: 'done'; folds: FoldOutcome[] }
  | { kind: 'error'; exitCode: number; message: string }
  /** The process died without saying why (killed, out of memory, a crash): worth a retry. */
  | { kind: 'crashed'; reason: string };

export interface TrialHandlers {
  epoch(fold: number | undefined, record: EpochRecord): void;
  decide(record: EpochRecord): Promise<boolean>;
}

export interface TrialProcess {
  pid: number | undefined;
  done: Promise<TrialExit>;
  /** Ctrl-C for the trial: it writes a checkpoint and exits 130. */
  interrupt(): void;
}

/** The last lines a crashed process wrote to stderr, for the journal. */
const tail = (text: string) => text.trim().split('\n').slice(-3).join(' | ').slice(0, 500);

type Exited = { code: number | null; signal: NodeJS.Signals | null } | { error: Error };

/** A forked trial process, its stderr kept from the start, and the trial it runs now, if any. */
interface Child {
  process: ChildProcess;
  stderr(): string;
  exited: Promise<Exited>;
  job?: { handlers: TrialHandlers; outcome?: TrialExit; settle(exit: TrialExit): void };
  /** A split evaluated for the coordinator (TrialPool.evaluate): its result, or undefined when it failed. */
  evaluation?(result: EvalResult | undefined): void;
}

function spawnChild(entry: string): Child {
  const child = fork(entry, [], { detached: true, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<Exited>((resolve) => {
    child.on('error', (error) => resolve({ error }));
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const c: Child = { process: child, stderr: () => stderr, exited };
  const send = (m: ToTrial) => {
    if (child.connected) child.send(m);
  };
  child.on('message', (m: FromTrial) => {
    if (c.evaluation && (m.type === 'evaluated' || m.type === 'error')) return c.evaluation(m.type === 'evaluated' ? m.result : undefined);
    const job = c.job;
    if (!job) return;
    if (m.type === 'epochs') for (const r of m.records) job.handlers.epoch(m.fold, r);
    else if (m.type === 'decide') void job.handlers.decide(m.record).then((prune) => send({ type: 'decision', prune }));
    else if (m.type === 'done') job.outcome = { kind: 'done', folds: m.folds };
    else if (m.type === 'error') job.outcome = { kind: 'error', exitCode: m.exitCode, message: m.message };
    if (m.type !== 'done') return;
    // a reused process stays: its trial is over once it has said so; a fresh one is let go
    if (reusable.has(child)) job.settle(job.outcome!);
    else if (child.connected) child.disconnect();
  });
  void exited.then((e) => {
    c.evaluation?.(undefined);
    const job = c.job;
    if (!job) return;
    if ('error' in e) return job.settle({ kind: 'crashed', reason: e.error.message });
    const err = c.stderr();
    job.settle(job.outcome ?? { kind: 'crashed', reason: `the trial's process ${e.signal ? `was killed by ${e.signal}` : `exited with ${e.code}`}${err ? `: ${tail(err)}` : ''}` });
  });
  return c;
}

/** Processes that go back to their pool after a trial that ended well. */
const reusable = new WeakSet<ChildProcess>();

const alive = (c: Child) => c.process.connected && c.process.exitCode === null && c.process.signalCode === null;

function startJob(c: Child, job: TrialJob, handlers: TrialHandlers, ended: (exit: TrialExit) => void): TrialProcess {
  const child = c.process;
  const done = new Promise<TrialExit>((resolve) => {
    c.job = {
      handlers,
      settle: (exit) => {
        if (c.job?.handlers !== handlers) return;
        c.job = undefined;
        ended(exit);
        resolve(exit);
      },
    };
  });
  if (child.connected) child.send({ type: 'job', job } satisfies ToTrial);
  return {
    pid: child.pid,
    done,
    interrupt: () => {
      if (c.job?.handlers === handlers && child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    },
  };
}

/** One fresh process for one trial. */
export function forkTrial(entry: string, job: TrialJob, handlers: TrialHandlers): TrialProcess {
  return startJob(spawnChild(entry), job, handlers, () => {});
}

/**
 * Trial processes forked before the sweep's spec is even read (`dlx sweep` starts them first):
 * Node and dlx's modules load in them while the coordinator reads the spec and writes the sweep
 * folder, instead of after it, on the critical path. The pool takes them before forking more.
 */
export interface StartedProcesses {
  readonly entry: string;
  readonly children: Child[];
}

export function startTrialProcesses(entry: string, count: number): StartedProcesses {
  return { entry, children: Array.from({ length: count }, () => spawnChild(entry)) };
}

/** Stops the started processes no pool took (a bad spec: none will): they are still loading. */
export function stopTrialProcesses(started: StartedProcesses | undefined): void {
  for (const c of started?.children.splice(0) ?? []) {
    if (c.process.connected) c.process.disconnect();
    c.process.kill();
  }
}

export interface TrialPool {
  launch(job: TrialJob, handlers: TrialHandlers): TrialProcess;
  /**
   * A run's split evaluated in an idle reused process, warm from its trials (modules, compiled
   * code, kernels) where the coordinator would start cold; the same code on the run's own
   * backend, so the same numbers. Undefined when no process is idle or the evaluation failed:
   * the caller evaluates itself (and reports any error).
   */
  evaluate(runDir: string, split: 'test'): Promise<EvalResult | undefined>;
  /** Stops the idle processes (a running trial's process exits when it ends). */
  close(): void;
}

export interface TrialPoolOptions {
  /** Run the next trial in a process whose trial ended well (default), or one process per trial. */
  reuse: boolean;
  /** Whether more trials will come (fresh processes: fork the next one ahead). */
  moreToCome(): boolean;
  /** Processes started earlier, taken before new ones are forked (closing the pool stops the rest). */
  started?: StartedProcesses;
}

/**
 * Trials in processes: reused ones when `reuse` (an idle process takes the next trial; new ones
 * are forked only while none is idle, so at most as many as trials run at once), else a fresh
 * process per trial, the next forked while the current trials train so its start-up is paid off
 * the critical path (at most one spare waits, idle, for its job; one that died is replaced).
 */
export function trialPool(entry: string, options: TrialPoolOptions): TrialPool {
  const idle: Child[] = [];
  let spare: Child | undefined;
  let closed = false;
  const stop = (c: Child, loading: boolean) => {
    // an idle process exits when its channel closes; a spare may still be loading: killed
    if (c.process.connected) c.process.disconnect();
    if (loading) c.process.kill();
  };
  const take = (): Child => {
    while (idle.length > 0) {
      const c = idle.shift()!;
      if (alive(c)) return c;
    }
    const early = options.started?.entry === entry ? options.started.children : [];
    while (!spare && early.length > 0) {
      const c = early.shift()!;
      if (alive(c)) spare = c;
    }
    const c = spare && alive(spare) ? spare : spawnChild(entry);
    if (spare && spare !== c) spare.process.kill();
    spare = undefined;
    if (options.reuse) reusable.add(c.process);
    return c;
  };
  return {
    launch(job, handlers) {
      const c = take();
      const p = startJob(c, job, handlers, (exit) => {
        if (exit.kind === 'done' && options.reuse && alive(c)) {
          if (closed) stop(c, false);
          else idle.push(c);
        }
      });
      if (!options.reuse && !closed && options.moreToCome()) spare = spawnChild(entry);
      return p;
    },
    async evaluate(runDir, split) {
      let c: Child | undefined;
      while (!c && idle.length > 0) c = [idle.shift()!].find(alive);
      if (!c) return undefined;
      const child = c;
      const result = await new Promise<EvalResult | undefined>((resolve) => {
        child.evaluation = resolve;
        child.process.send({ type: 'evaluate', runDir, split } satisfies ToTrial);
      });
      child.evaluation = undefined;
      if (result && alive(child)) {
        if (closed) stop(child, false);
        else idle.push(child);
      }
      return result;
    },
    close() {
      closed = true;
      for (const c of idle.splice(0)) stop(c, false);
      if (spare) stop(spare, true);
      spare = undefined;
      stopTrialProcesses(options.started);
    },
  };
}
