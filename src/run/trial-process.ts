// A sweep trial in its own child process: forked with an IPC channel, in its own process group
// (so a terminal's Ctrl-C reaches only the coordinator, which forwards it once).
import { fork, type ChildProcess } from 'node:child_process';
import type { EpochRecord } from '../train/loop.js';
import type { FoldOutcome, TrialJob } from './trial.js';
import type { FromTrial, ToTrial } from './trial-protocol.js';

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

/** A forked trial process before it has a job, its stderr kept from the start. */
interface Child {
  process: ChildProcess;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null } | { error: Error }>;
}

function spawnChild(entry: string): Child {
  const child = fork(entry, [], { detached: true, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null } | { error: Error }>((resolve) => {
    child.on('error', (error) => resolve({ error }));
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  return { process: child, stderr: () => stderr, exited };
}

const alive = (c: Child) => c.process.connected && c.process.exitCode === null && c.process.signalCode === null;

function startJob(c: Child, job: TrialJob, handlers: TrialHandlers): TrialProcess {
  const child = c.process;
  let outcome: TrialExit | undefined;
  const send = (m: ToTrial) => {
    if (child.connected) child.send(m);
  };
  child.on('message', (m: FromTrial) => {
    if (m.type === 'epoch') handlers.epoch(m.fold, m.record);
    else if (m.type === 'decide') void handlers.decide(m.record).then((prune) => send({ type: 'decision', prune }));
    else if (m.type === 'done') outcome = { kind: 'done', folds: m.folds };
    else outcome = { kind: 'error', exitCode: m.exitCode, message: m.message };
  });
  const done = c.exited.then((e): TrialExit => {
    if ('error' in e) return { kind: 'crashed', reason: e.error.message };
    const stderr = c.stderr();
    return outcome ?? { kind: 'crashed', reason: `the trial's process ${e.signal ? `was killed by ${e.signal}` : `exited with ${e.code}`}${stderr ? `: ${tail(stderr)}` : ''}` };
  });
  send({ type: 'job', job });
  return {
    pid: child.pid,
    done,
    interrupt: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    },
  };
}

/** One fresh process for one trial. */
export function forkTrial(entry: string, job: TrialJob, handlers: TrialHandlers): TrialProcess {
  return startJob(spawnChild(entry), job, handlers);
}

export interface TrialForker {
  launch(job: TrialJob, handlers: TrialHandlers): TrialProcess;
  /** Stops the spare process, if any. */
  close(): void;
}

/**
 * Each trial still gets a fresh process of its own, but the next one is forked while the current
 * trials train, so its start-up (Node, the modules, the kernels) is paid off the critical path:
 * at most one spare waits, idle, for its job. A spare that died meanwhile is replaced.
 */
export function trialForker(entry: string, moreToCome: () => boolean): TrialForker {
  let spare: Child | undefined;
  let closed = false;
  return {
    launch(job, handlers) {
      const child = spare && alive(spare) ? spare : spawnChild(entry);
      if (spare && spare !== child) spare.process.kill();
      spare = undefined;
      const p = startJob(child, job, handlers);
      if (!closed && moreToCome()) spare = spawnChild(entry);
      return p;
    },
    close() {
      closed = true;
      // an idle spare exits when its channel closes; kill it in case it is still loading
      if (spare?.process.connected) spare.process.disconnect();
      spare?.process.kill();
      spare = undefined;
    },
  };
}
