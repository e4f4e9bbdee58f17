// Node's file-system errors (ENOSPC, EROFS, …) as plain one-line EnvironmentErrors, so that a
// full disk or a read-only folder is reported as what it is, never as a bug in dlx.
import { constants, type Stats } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { EnvironmentError, SpecError } from './errors.js';

const reasons: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  EEXIST: 'something already exists there',
  ENOENT: 'no such file or folder',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'an input/output error of the device',
  ENAMETOOLONG: 'the name is too long',
};

const verbs: Record<string, string> = { open: 'open', mkdir: 'create the folder', rename: 'rename into', write: 'write', read: 'read', unlink: 'remove', rmdir: 'remove', fsync: 'flush', scandir: 'list' };

export function isFsError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && (e as NodeJS.ErrnoException).code! in reasons;
}

/** The EnvironmentError for a Node file-system error, or undefined for anything else. */
export function environmentError(e: unknown): EnvironmentError | undefined {
  if (e instanceof EnvironmentError) return e;
  if (!isFsError(e)) return undefined;
  const code = e.code!;
  // a rename names its source first; the destination is where the result was to go
  const path = (e as { dest?: string }).dest ?? e.path;
  const verb = e.syscall ? (verbs[e.syscall] ?? e.syscall) : 'use';
  return new EnvironmentError(`${path ? `${path}: ` : ''}cannot ${verb}: ${reasons[code]} (${code})`);
}

/**
 * A folder dlx is to write into (`--runs-dir`), checked before any work: it, or the nearest
 * folder above it that exists, must be a writable folder. (A recursive mkdir on a read-only
 * file system reports ENOENT, which would name the wrong cause.)
 */
export async function checkWritableFolder(dir: string, option: string): Promise<void> {
  let at = resolve(dir);
  let info: Stats | undefined;
  for (;;) {
    info = await stat(at).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return undefined;
      throw environmentError(e) ?? e;
    });
    const up = dirname(at);
    if (info || up === at) break;
    at = up;
  }
  if (!info) return;
  if (!info.isDirectory()) {
    throw new SpecError([`${option} ${dir}: ${at === resolve(dir) ? '' : `${at} is `}a file, not a folder`]);
  }
  await access(at, constants.W_OK).catch((e: NodeJS.ErrnoException) => {
    throw new EnvironmentError(`${option} ${dir}: cannot write into ${at}: ${reasons[e.code ?? ''] ?? e.message} (${e.code})`);
  });
}
