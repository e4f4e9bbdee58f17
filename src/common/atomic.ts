// Atomic file writes: write a temporary sibling, flush it, then rename over the target, so a
// crash leaves either the old file or the new one, never half of one (DESIGN.md "A run folder").
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicOptions {
  /** Runs after the data is written and before the rename; tests use it to simulate a crash. */
  beforeRename?: (tempPath: string) => void | Promise<void>;
  /** false: no fsync before the rename, for files rebuilt from others after a crash (still never half written by a crashed process). */
  sync?: boolean;
}

let counter = 0;

const tempOf = (path: string) => join(dirname(path), `.${basename(path)}.${process.pid}.${counter++}.tmp`);

async function writeSynced(temp: string, path: string, data: string | Uint8Array, sync = true): Promise<void> {
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(data);
      if (sync) await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (e) {
    // a write on a full disk names no path: name the file it was for
    if (e instanceof Error && 'code' in e && !('path' in e)) Object.assign(e, { path });
    throw e;
  }
}

export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicOptions = {}): Promise<void> {
  const temp = tempOf(path);
  try {
    await writeSynced(temp, path, data, options.sync !== false);
    await options.beforeRename?.(temp);
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    if (e instanceof Error && 'code' in e && !('path' in e)) Object.assign(e, { path });
    throw e;
  }
}

/**
 * Several files, each atomically: their temporaries are written and flushed at once (one wait
 * for the disk instead of one per file), then renamed in the given order, so a crash leaves the
 * first files of the list new and the rest old — the order the caller's consistency relies on.
 */
export async function writeFilesAtomic(entries: readonly (readonly [path: string, data: string | Uint8Array])[]): Promise<void> {
  const temps = entries.map(([path]) => tempOf(path));
  try {
    const written = await Promise.allSettled(entries.map(([path, data], i) => writeSynced(temps[i], path, data)));
    const failed = written.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    for (const [i, [path]] of entries.entries()) {
      try {
        await rename(temps[i], path);
      } catch (e) {
        if (e instanceof Error && 'code' in e && !('path' in e)) Object.assign(e, { path });
        throw e;
      }
    }
  } catch (e) {
    await Promise.all(temps.map((t) => rm(t, { force: true })));
    throw e;
  }
}
