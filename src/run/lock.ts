// One process at a time in a run folder: `<dir>/.lock` names its holder (pid, host, start time).
// It is created whole in one atomic step (a complete temporary file hard-linked to the lock's
// name, which fails when the name exists), so a reader never sees half a lock. A lock whose
// process is gone (same host, no such pid, or the pid now belongs to a later process) is stale
// and is taken over; a live holder's lock is a RunBusyError naming it.
import { readFileSync } from 'node:fs';
import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import { DataError, RunBusyError } from '../common/errors.js';

export const LOCK_FILE = '.lock';

const holderSchema = z.object({
  pid: z.number().int().positive(),
  host: z.string(),
  startedAt: z.string(),
  /** The process's start in clock ticks since boot (Linux), which tells a reused pid apart. */
  processStart: z.string().optional(),
  command: z.string().optional(),
});
export type LockHolder = z.infer<typeof holderSchema>;

/** Field 22 of /proc/<pid>/stat; undefined off Linux or when the process is gone. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) is in parentheses and may hold spaces: count after its ')'
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether the lock's holder may still be running (a holder on another host always may). */
export function holderAlive(h: LockHolder): boolean {
  if (h.host !== hostname()) return true;
  if (h.pid === process.pid) return true;
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const now = processStart(h.pid);
  return h.processStart === undefined || now === undefined || now === h.processStart;
}

/** The lock in `dir`: its holder, null when there is none, 'unreadable' when it is damaged. */
export async function readLock(dir: string): Promise<LockHolder | null | 'unreadable'> {
  const text = await readFile(join(dir, LOCK_FILE), 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? null : ''));
  if (text === null) return null;
  try {
    const parsed = holderSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

export const describeHolder = (h: LockHolder) => `process ${h.pid} on ${h.host} (since ${h.startedAt}${h.command ? `: ${h.command}` : ''})`;

let counter = 0;

/**
 * Takes the lock of a run folder, or throws RunBusyError naming the live process that holds it.
 * Returns the release function; pass the folder's new path when it was renamed meanwhile (a
 * staging folder promoted to its real name carries its lock along).
 */
export async function acquireRunLock(dir: string, command?: string): Promise<(movedTo?: string) => Promise<void>> {
  const me: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), processStart: processStart(process.pid), ...(command && { command }) };
  const text = JSON.stringify(me) + '\n';
  const path = join(dir, LOCK_FILE);
  const temp = join(dir, `.lock.${process.pid}.${counter++}.tmp`);
  await writeFile(temp, text).catch((e: NodeJS.ErrnoException) => {
    throw new DataError(`${dir}: cannot write its lock file (${e.code ?? String(e)})`);
  });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await link(temp, path);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 5) throw e;
      }
      const holder = await readLock(dir);
      if (holder === null) continue; // released meanwhile
      if (holder !== 'unreadable' && holderAlive(holder)) {
        throw new RunBusyError(`${dir} is in use by ${describeHolder(holder)}; wait for it to end, or stop it`);
      }
      await takeOver(path, holder === 'unreadable' ? undefined : holder);
    }
  } finally {
    await rm(temp, { force: true });
  }
  return async (movedTo = dir) => {
    const lock = join(movedTo, LOCK_FILE);
    // only our own lock: never one a later process took over
    if ((await readFile(lock, 'utf8').catch(() => '')) === text) await rm(lock, { force: true });
  };
}

/** Moves a stale lock aside; if what was moved turns out not to be the stale one, puts it back. */
async function takeOver(path: string, stale: LockHolder | undefined): Promise<void> {
  const aside = `${path}.${process.pid}.${counter++}.stale`;
  try {
    await rename(path, aside);
  } catch {
    return; // gone already: try again
  }
  const moved = await readFile(aside, 'utf8').catch(() => '');
  let now: string | undefined; // the moved lock as judged: a holder's JSON, or undefined when unreadable
  try {
    now = JSON.stringify(holderSchema.parse(JSON.parse(moved)));
  } catch {
    now = undefined;
  }
  const same = now === (stale && JSON.stringify(stale));
  if (!same) await link(aside, path).catch(() => undefined);
  await rm(aside, { force: true });
}
