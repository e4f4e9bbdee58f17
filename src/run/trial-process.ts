// A sweep trial in its own child process: forked with an IPC channel, in its own process group
// (so a terminal's Ctrl-C reaches only the coordinator, which forwards it once).
import { fork } from 'node:child_process';
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

export function forkTrial(entry: string, job: TrialJob, handlers: TrialHandlers): TrialProcess {
  const child = fork(entry, [], { detached: true, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
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
  const done = new Promise<TrialExit>((resolve) => {
    child.on('error', (e) => resolve({ kind: 'crashed', reason: e.message }));
    child.on('exit', (code, signal) => {
      resolve(outcome ?? { kind: 'crashed', reason: `the trial's process ${signal ? `was killed by ${signal}` : `exited with ${code}`}${stderr ? `: ${tail(stderr)}` : ''}` });
    });
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
