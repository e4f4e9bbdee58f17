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

export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicOptions = {}): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${counter++}.tmp`);
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(data);
      if (options.sync !== false) await handle.sync();
    } finally {
      await handle.close();
    }
    await options.beforeRename?.(temp);
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    // a write on a full disk names no path: name the file it was for
    if (e instanceof Error && 'code' in e && !('path' in e)) Object.assign(e, { path });
    throw e;
  }
}
