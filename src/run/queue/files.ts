// A trial's run folder as it travels back from a worker: every file by its relative path, base64,
// and the digests that name data files in Redis.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';

export const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(path)));
    else if (e.isFile()) out.push(path);
  }
  return out.sort();
}

/** Every file of a run folder, base64 by relative path ('/' separated); `limit` bounds the bytes. */
export async function packFolder(dir: string, limit: number): Promise<{ files: Record<string, string>; bytes: number }> {
  const files: Record<string, string> = {};
  let bytes = 0;
  for (const path of await walk(dir)) {
    const data = await readFile(path);
    bytes += data.length;
    if (bytes > limit) return { files: {}, bytes };
    files[relative(dir, path).split(/[\\/]/).join('/')] = data.toString('base64');
  }
  return { files, bytes };
}

/**
 * Writes packed files as the folder `dir` (names were checked by the result schema: no '..',
 * relative): into a hidden sibling first, renamed into place at the end, so a crash never
 * leaves half a trial folder (and one rename costs less than a synced write per file).
 */
export async function unpackFolder(dir: string, files: Record<string, string>): Promise<void> {
  const staging = join(dirname(dir), `.${basename(dir)}.delivery`);
  await rm(staging, { recursive: true, force: true });
  for (const [name, data] of Object.entries(files)) {
    const path = join(staging, ...name.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, Buffer.from(data, 'base64'));
  }
  await mkdir(staging, { recursive: true });
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
}
